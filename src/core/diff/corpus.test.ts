import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { cleanArticle } from '../clean/index.js';
import { diffVersions, parseBlocks, type BlockDiff, type VersionText } from './index.js';
import { CORPORA, corpusPath, type Corpus } from '../../../test/helpers/corpus.js';

// Golden diffs of real successive versions of CDT articles (dutymachine/article_versions.jsonl), bodies
// cleaned as a sync stores them. After a deliberate change of behaviour, regenerate with
//   UPDATE_GOLDEN=1 node --import tsx --test src/core/diff/corpus.test.ts
// and read the diff of testdata/*.expected.json before committing it.

interface VersionRow {
  path: string;
  version: number;
  title: string;
  link: string;
  html: string;
}

interface VersionPair {
  key: string;
  before: VersionText;
  after: VersionText;
}

function loadPairs(corpus: Corpus): VersionPair[] {
  const rows = readFileSync(corpusPath(corpus, 'dutymachine/article_versions.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as VersionRow);
  const byPath = new Map<string, VersionRow[]>();
  for (const row of rows) byPath.set(row.path, [...(byPath.get(row.path) ?? []), row]);
  const pairs: VersionPair[] = [];
  for (const [path, versions] of byPath) {
    const texts = versions
      .sort((a, b) => a.version - b.version)
      .map((row) => ({ version: row.version, title: row.title, bodyHtml: cleanArticle(row.html, { url: row.link, sourceId: 'cdt' }).html }));
    for (let index = 1; index < texts.length; index++) {
      const before = texts[index - 1] as VersionText & { version: number };
      const after = texts[index] as VersionText & { version: number };
      pairs.push({ key: `${path.replace(/^articles\//, '')} v${before.version}→v${after.version}`, before, after });
    }
  }
  return pairs;
}

/** The golden form of a diff: the title when it changed, the rows that are not equal (with their place), the counts. */
function golden(pair: VersionPair): unknown {
  const diff = diffVersions(pair.before, pair.after);
  return {
    same: diff.same,
    ...(diff.titleChanged ? { title: diff.title } : {}),
    changes: diff.blocks.flatMap((block, row) => (block.op === 'equal' ? [] : [{ row, ...block }])),
    stats: diff.stats,
  };
}

function side(blocks: BlockDiff[], which: 'before' | 'after'): string[] {
  return blocks.flatMap((block) => {
    if (block.op === 'equal') return [block.text];
    if (block.op === 'change') return [block.segments.filter((segment) => segment.op !== (which === 'before' ? 'insert' : 'delete')).map((segment) => segment.text).join('')];
    return (block.op === 'delete') === (which === 'before') ? [block.text] : [];
  });
}

for (const corpus of CORPORA) {
  describe(`diff on real CDT edits (${corpus.name} corpus)`, { skip: corpus.skip }, () => {
    it(`DF-G01 matches testdata/${corpus.name}-corpus.expected.json`, () => {
      const actual = Object.fromEntries(loadPairs(corpus).map((pair) => [pair.key, golden(pair)]));
      const expectedPath = new URL(`./testdata/${corpus.name}-corpus.expected.json`, import.meta.url);
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expectedPath, `${JSON.stringify(actual, null, 1)}\n`);
      assert.ok(existsSync(expectedPath), `missing ${expectedPath.pathname}: run with UPDATE_GOLDEN=1 and review it`);
      assert.deepEqual(actual, JSON.parse(readFileSync(expectedPath, 'utf8')));
    });

    it('DF-G02 each side of every diff is exactly that version\'s paragraphs, and a version against itself is the same', () => {
      const pairs = loadPairs(corpus);
      assert.ok(pairs.length > 0);
      for (const pair of pairs) {
        const diff = diffVersions(pair.before, pair.after);
        assert.deepEqual(side(diff.blocks, 'before'), parseBlocks(pair.before.bodyHtml).map((block) => block.text), pair.key);
        assert.deepEqual(side(diff.blocks, 'after'), parseBlocks(pair.after.bodyHtml).map((block) => block.text), pair.key);
        assert.equal(diffVersions(pair.after, pair.after).same, true, pair.key);
      }
    });
  });
}
