/**
 * bench:diff — the version diff on the real successive versions of CDT articles
 * (dutymachine/article_versions.jsonl), against jsdiff (`diff`), same inputs, same process.
 *
 *   npm run bench:diff [-- --rounds 5]
 *
 * Speed: the whole diff of every pair (paragraphs aligned, changed paragraphs diffed by token) against
 * jsdiff's diffChars and diffWords (Intl.Segmenter, zh) over the body text, and the token engine alone
 * (our Myers against jsdiff's diffArrays on the same tokens). Quality, on the changed paragraphs: how
 * many pieces a reader has to look at, and how many characters are marked, per method.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { diffArrays, diffChars, diffWords } from 'diff';
import { cleanArticle } from '../src/core/clean/index.js';
import { diffTokens, diffVersions, parseBlocks, tokenize, type VersionText } from '../src/core/diff/index.js';
import { diffSequences } from '../src/core/diff/myers.js';
import { Interner } from '../src/core/diff/segments.js';
import { SHARED_CORPUS, corpusPath } from '../test/helpers/corpus.js';

interface VersionRow {
  path: string;
  version: number;
  title: string;
  link: string;
  html: string;
}

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 5;
const rows = readFileSync(corpusPath(SHARED_CORPUS, 'dutymachine/article_versions.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as VersionRow);
const byPath = new Map<string, VersionRow[]>();
for (const row of rows) byPath.set(row.path, [...(byPath.get(row.path) ?? []), row]);
const pairs: [VersionText, VersionText][] = [];
for (const versions of byPath.values()) {
  const texts = versions
    .sort((a, b) => a.version - b.version)
    .map((row) => ({ title: row.title, bodyHtml: cleanArticle(row.html, { url: row.link, sourceId: 'cdt' }).html }));
  for (let index = 1; index < texts.length; index++) pairs.push([texts[index - 1] as VersionText, texts[index] as VersionText]);
}
const bodyText = (version: VersionText): string => parseBlocks(version.bodyHtml).map((block) => block.text).join('\n');
const textPairs = pairs.map(([a, b]) => [bodyText(a), bodyText(b)] as const);

// The changed paragraphs, as our paragraph alignment pairs them: the input of the quality comparison.
const paragraphPairs: [string, string][] = [];
for (const [a, b] of pairs) {
  for (const block of diffVersions(a, b).blocks) {
    if (block.op !== 'change') continue;
    const old = block.segments.filter((segment) => segment.op !== 'insert').map((segment) => segment.text).join('');
    const now = block.segments.filter((segment) => segment.op !== 'delete').map((segment) => segment.text).join('');
    paragraphPairs.push([old, now]);
  }
}

function best(run: () => void): number {
  let fastest = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    run();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const ours = best(() => pairs.forEach(([a, b]) => diffVersions(a, b)));
const parsing = best(() => pairs.forEach(([a, b]) => [parseBlocks(a.bodyHtml), parseBlocks(b.bodyHtml)]));
const chars = best(() => textPairs.forEach(([a, b]) => diffChars(a, b)));
const words = best(() => textPairs.forEach(([a, b]) => diffWords(a, b, { intlSegmenter: segmenter })));
const tokenPairs = paragraphPairs.map(([a, b]) => [tokenize(a), tokenize(b)] as const);
const engineOurs = best(() =>
  tokenPairs.forEach(([a, b]) => {
    const interner = new Interner();
    diffSequences(interner.intern(a), interner.intern(b), 1000);
  }),
);
const engineJsdiff = best(() => tokenPairs.forEach(([a, b]) => diffArrays(a, b)));

interface Quality {
  pieces: number;
  marked: number;
}
const measure = (changes: { added?: boolean; removed?: boolean; value: string | string[] }[]): Quality => {
  const marked = changes.filter((change) => change.added === true || change.removed === true);
  return { pieces: marked.length, marked: marked.reduce((sum, change) => sum + [...(Array.isArray(change.value) ? change.value.join('') : change.value)].length, 0) };
};
const total = (list: Quality[]): Quality => list.reduce((sum, item) => ({ pieces: sum.pieces + item.pieces, marked: sum.marked + item.marked }), { pieces: 0, marked: 0 });
const quality = {
  ours: total(paragraphPairs.map(([a, b]) => measure(diffTokens(tokenize(a), tokenize(b)).map((s) => ({ value: s.text, added: s.op === 'insert', removed: s.op === 'delete' }))))),
  tokensNoCleanup: total(tokenPairs.map(([a, b]) => measure(diffArrays(a, b)))),
  jsdiffChars: total(paragraphPairs.map(([a, b]) => measure(diffChars(a, b)))),
  jsdiffWords: total(paragraphPairs.map(([a, b]) => measure(diffWords(a, b, { intlSegmenter: segmenter })))),
};

// Whole bodies: what a reader has to look at when the diff does not align paragraphs first.
const wholeOurs = total(
  pairs.map(([a, b]) => {
    const diff = diffVersions(a, b);
    const blocks = diff.blocks.flatMap((block) =>
      block.op === 'change'
        ? block.segments.map((s) => ({ value: s.text, added: s.op === 'insert', removed: s.op === 'delete' }))
        : [{ value: block.text, added: block.op === 'insert', removed: block.op === 'delete' }],
    );
    return measure(blocks);
  }),
);
const wholeChars = total(textPairs.map(([a, b]) => measure(diffChars(a, b))));

const load = loadavg().map((value) => value.toFixed(2)).join(' ');
console.log(`bench:diff — ${pairs.length} version pairs of ${byPath.size} articles, ${paragraphPairs.length} changed paragraphs; best of ${rounds}; load ${load}`);
console.log(`whole diff, ours (paragraphs + tokens + cleanup): ${ours.toFixed(1)} ms`);
console.log(`  of which parsing the two bodies:         ${parsing.toFixed(1)} ms`);
console.log(`  jsdiff diffChars on the body text:       ${chars.toFixed(1)} ms (${(chars / ours).toFixed(2)}× ours)`);
console.log(`  jsdiff diffWords (Intl.Segmenter zh):    ${words.toFixed(1)} ms (${(words / ours).toFixed(2)}× ours)`);
console.log(`token engine on the changed paragraphs: ours ${engineOurs.toFixed(2)} ms, jsdiff diffArrays ${engineJsdiff.toFixed(2)} ms (${(engineJsdiff / engineOurs).toFixed(2)}× ours)`);
console.log('changed paragraphs: marked pieces / marked characters (fewer pieces reads better; fewer characters is tighter)');
for (const [name, value] of Object.entries(quality)) console.log(`  ${name.padEnd(20)} ${String(value.pieces).padStart(6)} / ${value.marked}`);
console.log(`whole bodies: ours ${wholeOurs.pieces} / ${wholeOurs.marked}, jsdiff diffChars ${wholeChars.pieces} / ${wholeChars.marked}`);
