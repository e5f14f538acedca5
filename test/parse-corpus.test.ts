import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseFeed } from '../src/core/parse/index.js';
import { FIXTURE_CORPUS, SHARED_CORPUS, corpusPath, type Corpus } from './helpers/corpus.js';

interface Row {
  file: string;
  kind: string;
  encoding: string;
  items: number;
  wellFormed: string;
}

function provenance(corpus: Corpus): Row[] {
  return readFileSync(corpusPath(corpus, 'feeds/provenance.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [file, , , , kind, encoding, , items, , wellFormed] = line.split('\t');
      return { file: file as string, kind: kind as string, encoding: encoding as string, items: Number(items), wellFormed: wellFormed as string };
    });
}

function checkFeed(corpus: Corpus, row: Row): void {
  const doc = parseFeed(new Uint8Array(readFileSync(corpusPath(corpus, `feeds/${row.file}`))), { url: 'https://feeds.example.org/' });
  assert.equal(doc.entries.length, row.items);
  const expectedFormat = row.kind.startsWith('atom') ? 'atom' : row.kind.startsWith('json') ? 'json' : row.kind.includes('rdf') ? 'rdf' : 'rss';
  assert.equal(doc.format, expectedFormat);
  if (row.wellFormed === 'ok') {
    if (row.encoding.includes('[bytes do not decode as declared/utf-8]')) {
      // Well-formed once decoded, but the bytes are neither UTF-8 nor declared: that is reported.
      assert.equal(doc.warnings.length, 1);
      assert.match(doc.warnings[0] as string, /^decode: no usable encoding declared and the bytes are not UTF-8; detected windows-1252 \(chardet confidence 0\.\d\d\)$/);
    } else {
      assert.deepEqual(doc.warnings, []);
    }
  } else {
    assert.notDeepEqual(doc.warnings, [], `${row.file} is not well-formed (${row.wellFormed}) and must say so`);
  }
}

// The repository's few feeds, one test each: item count, format, and the warnings a real client must see.
describe('real feeds (fixture corpus)', () => {
  for (const row of provenance(FIXTURE_CORPUS)) it(`${row.file}: parses with ${row.items} items`, () => checkFeed(FIXTURE_CORPUS, row));
});

// The whole corpus: its list is read inside the test, so a missing corpus is one skip (or, when
// required, one failure) and not a crash while the file loads.
describe('real feeds (shared corpus)', () => {
  it('every feed of provenance.tsv parses with its item count, format and warnings', { skip: SHARED_CORPUS.skip }, async (t) => {
    const rows = provenance(SHARED_CORPUS);
    assert.ok(rows.length >= 50, `${rows.length} rows in ${corpusPath(SHARED_CORPUS, 'feeds/provenance.tsv')}`);
    for (const row of rows) await t.test(`${row.file}: parses with ${row.items} items`, () => checkFeed(SHARED_CORPUS, row));
  });
});
