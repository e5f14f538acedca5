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
import { chineseSamples, corpusFeedSamples, corpusSkip, otherLanguageSamples } from '../test/hostile/encoding-samples.js';

if (corpusSkip) {
  console.log(`bench:encoding skipped: ${corpusSkip}`);
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
const CANDIDATES: [string, (bytes: Uint8Array) => string][] = [
  ['chardet', (bytes) => whatwg(analyse(bytes)[0]?.name)],
  ['jschardet', (bytes) => whatwg(jschardet.detect(bytes).encoding)],
  ['newsmirror', (bytes) => decodeText(bytes).encoding],
];
const CHINESE = new Set(['gb18030', 'big5']);
const SHOWN_MISSES = 3;

function sameText(bytes: Uint8Array, got: string, expected: string): boolean {
  try {
    return got === expected || new TextDecoder(got).decode(bytes) === new TextDecoder(expected).decode(bytes);
  } catch {
    return false;
  }
}

console.log(`${samples.length} undeclared documents; right = decodes to the text that was encoded`);
for (const [candidate, detect] of CANDIDATES) {
  const byGroup = new Map<string, { right: number; total: number; misses: string[] }>();
  let ms = 0;
  let swapped = 0;
  for (const sample of samples) {
    const start = performance.now();
    const got = detect(sample.bytes);
    ms += performance.now() - start;
    const group = byGroup.get(sample.group) ?? { right: 0, total: 0, misses: [] };
    byGroup.set(sample.group, group);
    group.total++;
    if (sameText(sample.bytes, got, sample.expected)) group.right++;
    else {
      if (CHINESE.has(got) && CHINESE.has(sample.expected)) swapped++;
      if (group.misses.length < SHOWN_MISSES) group.misses.push(`${sample.name}: ${got}`);
    }
  }
  console.log(`\n${candidate}: ${(ms / samples.length).toFixed(2)} ms per document; GBK and Big5 swapped ${swapped} times`);
  for (const [name, group] of byGroup) {
    const share = ((100 * group.right) / group.total).toFixed(2);
    console.log(`  ${name.padEnd(20)} ${String(group.right).padStart(5)} / ${String(group.total).padEnd(5)} ${share.padStart(6)} %${group.misses.length > 0 ? `  e.g. ${group.misses.join('; ')}` : ''}`);
  }
}
