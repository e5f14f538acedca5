import { EBCDIC, SINGLE_BYTE_HIGH } from './code-pages.js';
import { detectEncoding } from './detect.js';
import { decodeUtf8Strict } from './utf8.js';

/**
 * Bytes to text for feeds and pages.
 *
 * Precedence, highest first:
 * 1. a byte-order mark (UTF-8, UTF-16LE/BE): the bytes cannot lie about it;
 * 2. the per-source `override`: the user has looked at this source and knows better than its server;
 * 3. the HTTP `Content-Type` charset (RFC 7303 gives it priority over the XML declaration);
 * 4. the XML declaration, or `<meta charset>` / `<meta http-equiv>` for HTML;
 * 5. UTF-8 when the bytes are valid UTF-8, else the encoding the detector finds (detect.ts: chardet,
 *    with a common-hanzi check between GBK and Big5), reported with its confidence in a warning.
 * A declared (header or in-document) non-UTF-8 encoding is not trusted when the bytes contain
 * multibyte sequences and are valid UTF-8: that combination is almost always a stale declaration.
 * Pure ASCII is valid in both, so it keeps the declared encoding (which decodes ASCII the same way).
 * Legacy DOS/Mac code pages and EBCDIC, which TextDecoder lacks, are decoded from tables
 * (code-pages.ts); an EBCDIC document is recognised by its `<?xm` bytes.
 */

/** DecodeHints tells decodeText what the transport and the user know about the bytes. */
export interface DecodeHints {
  /** The HTTP Content-Type header value, if any. */
  contentType?: string;
  /** A per-source encoding override (a WHATWG label such as `gbk`). */
  override?: string;
  /** What kind of document this is; selects which in-document declaration is looked for. */
  kind?: 'xml' | 'html' | 'json';
}

/** DecodedText is the decoded text, the WHATWG name of the encoding used and what went wrong. */
export interface DecodedText {
  text: string;
  encoding: string;
  warnings: string[];
}

// GB2312 and GBK documents often contain characters only GB18030 maps; it is a strict superset.
const ALIASES: Record<string, string> = {
  gb2312: 'gb18030',
  gbk: 'gb18030',
  'x-gbk': 'gb18030',
  cp936: 'gb18030',
  'csgb2312': 'gb18030',
  'gb_2312-80': 'gb18030',
  'chinese': 'gb18030',
  'iso-ir-58': 'gb18030',
  'big5-hkscs': 'big5',
  'utf8': 'utf-8',
  'unicode': 'utf-16le',
  'ucs-2': 'utf-16le',
  'utf-16': 'utf-16le',
  'utf-32': 'utf-32le',
  'ucs-4': 'utf-32le',
  'utf-32le': 'utf-32le',
  'utf-32be': 'utf-32be',
};

// TextDecoder has no UTF-32; decodeText decodes it itself.
const UTF32 = new Set(['utf-32le', 'utf-32be']);

/**
 * normalizeEncodingLabel maps a charset label to the WHATWG encoding name decodeText uses, or
 * undefined when TextDecoder does not know it.
 */
export function normalizeEncodingLabel(label: string): string | undefined {
  const clean = label.trim().toLowerCase().replace(/^["']|["']$/g, '');
  const mapped = ALIASES[clean] ?? clean;
  if (UTF32.has(mapped)) return mapped;
  try {
    const name = new TextDecoder(mapped).encoding;
    return name === 'gbk' ? 'gb18030' : name;
  } catch {
    return codePageName(mapped);
  }
}

/** codePageName maps labels such as `IBM437`, `cp-850`, `x-mac-greek`, `ebcdic-cp-us` to a table. */
function codePageName(label: string): string | undefined {
  if (label === 'ebcdic-cp-us' || label === 'ebcdic-cp-ca' || label === 'ebcdic-cp-nl') return 'cp037';
  const number = /^(?:cp|ibm|csibm|cspc|ms|windows)?[-_]?0*(\d{3,4})$/.exec(label)?.[1];
  if (number !== undefined) {
    const name = `cp${number.padStart(3, '0')}`;
    return name in SINGLE_BYTE_HIGH || name in EBCDIC ? name : undefined;
  }
  const mac = /^(?:x-)?mac[-_]?(greek|iceland|turkish|latin2|croatian|romanian|centraleurroman|ce)$/.exec(label)?.[1];
  if (mac !== undefined) return `mac-${mac === 'centraleurroman' || mac === 'ce' ? 'latin2' : mac}`;
  return undefined;
}

/** charsetFromContentType extracts the `charset` parameter of a Content-Type header value. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const match = /;\s*charset\s*=\s*("?)([^";,\s]+)\1/i.exec(contentType);
  return match?.[2];
}

/**
 * decodeText turns bytes into text following the precedence described in this module's header.
 * It never throws: undecodable bytes become U+FFFD and a warning.
 *
 * @example
 * decodeText(bytes, { contentType: 'application/rss+xml; charset=gbk' }).text
 */
export function decodeText(bytes: Uint8Array, hints: DecodeHints = {}): DecodedText {
  const warnings: string[] = [];
  const bom = sniffBom(bytes);
  if (bom) {
    const declared = bom.encoding === 'utf-8' ? sniffDeclaration(bytes.subarray(3), hints.kind ?? 'xml') : undefined;
    const name = declared === undefined ? undefined : normalizeEncodingLabel(declared);
    if (declared !== undefined && name !== 'utf-8') {
      warnings.push(`decode: the document declares ${declared} but starts with a UTF-8 byte-order mark; used UTF-8`);
    }
    return finish(bytes.subarray(bom.skip), bom.encoding, warnings);
  }

  if (hints.override) {
    const name = normalizeEncodingLabel(hints.override);
    if (name) return finish(bytes, name, warnings);
    warnings.push(`decode: unknown encoding override "${hints.override}" ignored`);
  }

  const utf16 = sniffUtf16WithoutBom(bytes);
  if (utf16) return finish(bytes, utf16, warnings);
  const ebcdic = sniffEbcdic(bytes, warnings);
  if (ebcdic) return finish(bytes, ebcdic, warnings);

  const candidates: { label: string; from: string }[] = [];
  const header = charsetFromContentType(hints.contentType);
  if (header) candidates.push({ label: header, from: 'HTTP charset' });
  const declared = sniffDeclaration(bytes, hints.kind ?? 'xml');
  if (declared) candidates.push({ label: declared, from: hints.kind === 'html' ? 'meta charset' : 'XML declaration' });

  // Strict UTF-8 decoding doubles as the validity check; it runs at most once.
  let strict: string | null | undefined;
  const asUtf8 = (): string | null => {
    if (strict === undefined) {
      strict = decodeUtf8Strict(bytes);
    }
    return strict;
  };

  // A later, lower-priority declaration that names another encoding is reported, not followed.
  const noteOverruled = (index: number, used: string): void => {
    const chosen = candidates[index] as { label: string; from: string };
    const later = candidates.slice(index + 1).find((other) => normalizeEncodingLabel(other.label) !== undefined);
    if (later && normalizeEncodingLabel(later.label) !== used) {
      warnings.push(`decode: the ${later.from} says ${later.label} but the ${chosen.from} says ${chosen.label}; used ${used}`);
    }
  };

  for (const [index, candidate] of candidates.entries()) {
    const name = normalizeEncodingLabel(candidate.label);
    if (!name) {
      warnings.push(`decode: unknown encoding "${candidate.label}" in the ${candidate.from}`);
      continue;
    }
    if (name.startsWith('utf-16') || UTF32.has(name)) {
      // A document that reached us without a BOM and with ASCII markup is not UTF-16 whatever it says.
      warnings.push(`decode: the ${candidate.from} says ${candidate.label} but there is no byte-order mark; ignored`);
      continue;
    }
    if (name === 'utf-8') {
      const text = asUtf8();
      if (text !== null) {
        noteOverruled(index, name);
        return { text, encoding: 'utf-8', warnings };
      }
      if (mostlyUtf8(bytes)) return finish(bytes, 'utf-8', warnings);
      if (index < candidates.length - 1) {
        warnings.push(`decode: the ${candidate.from} says ${candidate.label} but the bytes are not UTF-8; ignored`);
        continue;
      }
      const guess = guessLegacy(bytes);
      warnings.push(`decode: the ${candidate.from} says ${candidate.label} but the bytes are not UTF-8; ${guess.note}`);
      return finish(bytes, guess.encoding, warnings);
    }
    if (hasHighBytes(bytes)) {
      const text = asUtf8();
      if (text !== null) {
        warnings.push(`decode: the ${candidate.from} says ${candidate.label} but the bytes are valid UTF-8; decoded as UTF-8`);
        return { text, encoding: 'utf-8', warnings };
      }
    }
    noteOverruled(index, name);
    return finish(bytes, name, warnings);
  }

  const text = asUtf8();
  if (text !== null) return { text, encoding: 'utf-8', warnings };
  if (mostlyUtf8(bytes)) return finish(bytes, 'utf-8', warnings);
  const guess = guessLegacy(bytes);
  warnings.push(`decode: no usable encoding declared and the bytes are not UTF-8; ${guess.note}`);
  return finish(bytes, guess.encoding, warnings);
}

function finish(bytes: Uint8Array, encoding: string, warnings: string[]): DecodedText {
  if (encoding === 'utf-32le' || encoding === 'utf-32be') return decodeUtf32(bytes, encoding, warnings);
  const high = SINGLE_BYTE_HIGH[encoding];
  if (high !== undefined) return decodeTable(bytes, encoding, high, 0x80, warnings);
  const ebcdic = EBCDIC[encoding];
  if (ebcdic !== undefined) return decodeTable(bytes, encoding, ebcdic, 0, warnings);
  if (encoding === 'utf-8') {
    const text = decodeUtf8Strict(bytes);
    if (text !== null) return { text, encoding, warnings };
  }
  try {
    const text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
    return { text, encoding, warnings };
  } catch {
    const text = new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
    warnings.push(`decode: byte sequences invalid in ${encoding} were replaced with U+FFFD`);
    return { text, encoding, warnings };
  }
}

function sniffBom(bytes: Uint8Array): { encoding: string; skip: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', skip: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0) return { encoding: 'utf-32le', skip: 4 };
  if (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff) return { encoding: 'utf-32be', skip: 4 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', skip: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', skip: 2 };
  return undefined;
}

/** XML 1.0 appendix F: `<` in UTF-16 or UTF-32 without a BOM still shows its zero bytes. */
function sniffUtf16WithoutBom(bytes: Uint8Array): string | undefined {
  if (bytes.length < 4) return undefined;
  if (bytes[0] === 0x3c && bytes[1] === 0 && bytes[2] === 0 && bytes[3] === 0) return 'utf-32le';
  if (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0 && bytes[3] === 0x3c) return 'utf-32be';
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] !== 0x00 && bytes[3] === 0x00) return 'utf-16le';
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] !== 0x00) return 'utf-16be';
  return undefined;
}

const XML_DECL = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']\s*([A-Za-z0-9._:-]+)\s*["']/;
const META_CHARSET = /<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i;

function sniffDeclaration(bytes: Uint8Array, kind: 'xml' | 'html' | 'json'): string | undefined {
  if (kind === 'json') return undefined;
  // Declarations are ASCII; latin1 maps each byte to one char, so offsets and matches stay exact.
  const head = latin1(bytes.subarray(0, kind === 'html' ? 2048 : 512));
  if (kind === 'xml') return XML_DECL.exec(head)?.[1];
  return XML_DECL.exec(head)?.[1] ?? META_CHARSET.exec(head)?.[1];
}

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i] as number);
  return out;
}

function hasHighBytes(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) >= 0x80) return true;
  return false;
}

/**
 * guessLegacy detects the encoding of bytes that are neither UTF-8 nor declared, passing the detector
 * the language the document states, and words the result for the warning.
 */
function guessLegacy(bytes: Uint8Array): { encoding: string; note: string } {
  const head = latin1(bytes.subarray(0, 4096));
  const language = /<(?:dc:)?language>\s*([A-Za-z_-]+)|xml:lang\s*=\s*["']([A-Za-z_-]+)/.exec(head);
  const detected = detectEncoding(bytes, language?.[1] ?? language?.[2]);
  const how = detected.by === 'hanzi' ? 'share of common hanzi' : 'chardet confidence';
  return { encoding: detected.encoding, note: `detected ${detected.encoding} (${how} ${detected.confidence.toFixed(2)})` };
}

/**
 * mostlyUtf8 tells a UTF-8 document with a few broken sequences (keep it, replace those) from a
 * legacy-encoded one that merely claims UTF-8 (no valid multibyte sequence, or more broken than valid).
 */
function mostlyUtf8(bytes: Uint8Array): boolean {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b < 0x80) continue;
    const need = b >= 0xf0 && b <= 0xf4 ? 3 : b >= 0xe0 ? 2 : b >= 0xc2 && b <= 0xdf ? 1 : -1;
    let ok = need > 0 && i + need < bytes.length;
    for (let k = 1; ok && k <= need; k++) ok = ((bytes[i + k] as number) & 0xc0) === 0x80;
    if (ok) {
      valid++;
      i += need;
    } else invalid++;
  }
  return valid > invalid;
}

function decodeUtf32(bytes: Uint8Array, encoding: string, warnings: string[]): DecodedText {
  const little = encoding === 'utf-32le';
  const parts: string[] = [];
  let chunk: number[] = [];
  let invalid = bytes.length % 4 !== 0;
  for (let i = 0; i + 3 < bytes.length; i += 4) {
    const b0 = bytes[i] as number;
    const b1 = bytes[i + 1] as number;
    const b2 = bytes[i + 2] as number;
    const b3 = bytes[i + 3] as number;
    const code = little ? (b3 << 24) | (b2 << 16) | (b1 << 8) | b0 : (b0 << 24) | (b1 << 16) | (b2 << 8) | b3;
    if (code < 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      invalid = true;
      chunk.push(0xfffd);
    } else chunk.push(code);
    if (chunk.length >= 8192) {
      parts.push(String.fromCodePoint(...chunk));
      chunk = [];
    }
  }
  parts.push(String.fromCodePoint(...chunk));
  if (invalid) warnings.push(`decode: byte sequences invalid in ${encoding} were replaced with U+FFFD`);
  return { text: parts.join(''), encoding, warnings };
}

/** `<?xm` in EBCDIC; the declaration then names the exact EBCDIC code page. */
function sniffEbcdic(bytes: Uint8Array, warnings: string[]): string | undefined {
  if (bytes[0] !== 0x4c || bytes[1] !== 0x6f || bytes[2] !== 0xa7 || bytes[3] !== 0x94) return undefined;
  const head = decodeTable(bytes.subarray(0, 256), 'cp037', EBCDIC.cp037 as string, 0, []).text;
  const label = XML_DECL.exec(head)?.[1];
  const name = label === undefined ? undefined : normalizeEncodingLabel(label);
  if (name !== undefined && name in EBCDIC) return name;
  if (label !== undefined) warnings.push(`decode: EBCDIC document declares "${label}"; decoded as cp037`);
  return 'cp037';
}

function decodeTable(bytes: Uint8Array, encoding: string, table: string, first: number, warnings: string[]): DecodedText {
  const parts: string[] = [];
  let chunk = '';
  let invalid = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    const ch = b < first ? String.fromCharCode(b) : (table[b - first] as string);
    if (ch === '\uFFFD') invalid = true;
    chunk += ch;
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  if (invalid) warnings.push(`decode: byte sequences invalid in ${encoding} were replaced with U+FFFD`);
  return { text: parts.join(''), encoding, warnings };
}
