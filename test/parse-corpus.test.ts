import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseFeed } from '../src/core/parse/index.js';

// The shared corpus sits beside the clone (../shared from the repository root), in CI as here.
const corpus = new URL('../../shared/corpus/feeds/', import.meta.url);
const rows = readFileSync(new URL('provenance.tsv', corpus), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [file, , , , kind, encoding, , items, , wellFormed] = line.split('\t');
    return { file: file as string, kind: kind as string, encoding: encoding as string, items: Number(items), wellFormed: wellFormed as string };
  });

test('corpus: provenance.tsv lists the real feeds', () => {
  assert.ok(rows.length >= 50, `${rows.length} rows in ${fileURLToPath(corpus)}provenance.tsv`);
});

for (const row of rows) {
  test(`corpus ${row.file}: parses with ${row.items} items`, () => {
    const doc = parseFeed(new Uint8Array(readFileSync(new URL(row.file, corpus))), { url: 'https://feeds.example.org/' });
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
  });
}
