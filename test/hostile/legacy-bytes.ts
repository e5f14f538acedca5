/**
 * Text to legacy-encoded bytes, for tests and the encoding bench. Node's TextEncoder only writes
 * UTF-8, so each encoder is the inverse of the WHATWG TextDecoder table for that encoding, built once
 * by decoding every one- and two-byte sequence. A character the encoding cannot hold becomes an
 * `&#N;` reference, as the CMSs that still serve these encodings write it.
 */

/** LegacyEncoding is an encoding encodeLegacy can write. */
export type LegacyEncoding = 'gbk' | 'big5' | 'shift_jis' | 'euc-jp' | 'euc-kr' | 'koi8-r' | 'windows-1250' | 'windows-1251' | 'windows-1252' | 'windows-1253';

// Lead and trail byte ranges per double-byte encoding; Big5's HKSCS leads (below A1) come last so
// the standard Big5 code wins where both map a character, as WHATWG's Big5 encoder does.
const DOUBLE_BYTE: Partial<Record<LegacyEncoding, { leads: number[]; trails: number[]; singles?: number[] }>> = {
  gbk: { leads: range(0x81, 0xfe), trails: [...range(0x40, 0x7e), ...range(0x80, 0xfe)] },
  big5: { leads: [...range(0xa1, 0xfe), ...range(0x87, 0xa0)], trails: [...range(0x40, 0x7e), ...range(0xa1, 0xfe)] },
  shift_jis: { leads: [...range(0x81, 0x9f), ...range(0xe0, 0xfc)], trails: [...range(0x40, 0x7e), ...range(0x80, 0xfc)], singles: range(0xa1, 0xdf) },
  'euc-jp': { leads: range(0xa1, 0xfe), trails: range(0xa1, 0xfe) },
  'euc-kr': { leads: range(0x81, 0xfe), trails: range(0x41, 0xfe) },
};

const tables = new Map<LegacyEncoding, Map<string, number[]>>();

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function tableFor(encoding: LegacyEncoding): Map<string, number[]> {
  const known = tables.get(encoding);
  if (known) return known;
  const decoder = new TextDecoder(encoding, { fatal: true });
  const table = new Map<string, number[]>();
  const add = (seq: number[]): void => {
    let text: string;
    try {
      text = decoder.decode(new Uint8Array(seq));
    } catch {
      return;
    }
    if ([...text].length === 1 && !table.has(text)) table.set(text, seq);
  };
  const layout = DOUBLE_BYTE[encoding];
  if (layout) {
    for (const single of layout.singles ?? []) add([single]);
    for (const lead of layout.leads) for (const trail of layout.trails) add([lead, trail]);
  } else {
    for (let byte = 0x80; byte <= 0xff; byte++) add([byte]);
  }
  tables.set(encoding, table);
  return table;
}

/**
 * encodeLegacy writes text in a legacy encoding; ASCII stays as is and an unmappable character
 * becomes `&#N;`. The count of such references is returned too, so a caller can see how faithful
 * the bytes are.
 *
 * @example encodeLegacy('中文', 'big5').bytes // A4 A4 A4 E5
 */
export function encodeLegacy(text: string, encoding: LegacyEncoding): { bytes: Uint8Array; unmapped: number } {
  const table = tableFor(encoding);
  const out: number[] = [];
  let unmapped = 0;
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (code < 0x80) {
      out.push(code);
      continue;
    }
    const seq = table.get(char);
    if (seq) out.push(...seq);
    else {
      unmapped++;
      for (const c of `&#${code};`) out.push(c.charCodeAt(0));
    }
  }
  return { bytes: new Uint8Array(out), unmapped };
}
