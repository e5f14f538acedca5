/**
 * Accuracy and speed of encoding detection on undeclared legacy-encoded documents made from real text
 * (test/hostile/encoding-samples.ts): chardet and jschardet alone, and newsmirror's decodeText
 * (chardet plus the common-hanzi check between GBK and Big5). A detection counts as right when the
 * bytes decode to the same text as in the encoding they were written in (Shift_JIS and CP932 agree on
 * these texts). Prints, per candidate, ms per document and right/total per group with the first
 * misses. `STEP=3` takes every third corpus article, for a quicker run.
 */
import { analyse } from 'chardet';
import jschardet from 'jschardet';
import { decodeText } from '../src/core/decode/index.js';
import { chineseSamples, corpusAvailable, corpusFeedSamples, otherLanguageSamples } from '../test/hostile/encoding-samples.js';

if (!corpusAvailable()) {
  console.log('bench:encoding skipped: ../shared/corpus is not laid beside the checkout');
  process.exit(0);
}
const samples = [...corpusFeedSamples(), ...chineseSamples(Number(process.env.STEP ?? 1)), ...otherLanguageSamples()];
// jschardet names Microsoft's supersets, which TextDecoder knows under other labels.
const ALIASES: Record<string, string> = { CP932: 'shift_jis', CP949: 'euc-kr' };

function whatwg(label: string | null | undefined): string {
  if (!label) return 'none';
  try {
    return new TextDecoder(ALIASES[label] ?? label).encoding;
  } catch {
    return label;
  }
}
const candidates: [string, (b: Uint8Array) => string][] = [
  ['chardet', (b) => whatwg(analyse(b)[0]?.name)],
  ['jschardet', (b) => whatwg(jschardet.detect(b).encoding)],
  ['newsmirror', (b) => decodeText(b).encoding],
];
function sameText(bytes: Uint8Array, got: string, expected: string): boolean {
  try {
    return got === expected || new TextDecoder(got).decode(bytes) === new TextDecoder(expected).decode(bytes);
  } catch {
    return false;
  }
}

for (const [cand, fn] of candidates) {
  const byGroup = new Map<string, { ok: number; n: number; wrong: string[] }>();
  let ms = 0;
  for (const s of samples) {
    const t = performance.now();
    const got = fn(s.bytes);
    ms += performance.now() - t;
    const g = byGroup.get(s.group) ?? { ok: 0, n: 0, wrong: [] };
    g.n++;
    if (sameText(s.bytes, got, s.expected)) g.ok++;
    else if (g.wrong.length < 6) g.wrong.push(`${s.name}: ${got}≠${s.expected}`);
    byGroup.set(s.group, g);
  }
  console.log(cand, (ms / samples.length).toFixed(3), 'ms/doc');
  for (const [g, v] of byGroup) console.log('  ', g, v.ok, '/', v.n, v.wrong.join(' | '));
}
