import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseQuery } from '../core/search/query.js';
import { MAX_SEGMENT_UNITS, SEGMENT_UNIT, SegmentIndexer, decodeDocs, decodeNumbers, encodeDocs, encodeNumbers, planSegments, searchSegment, type ManifestSegment, type Shard } from './search-index.js';

/** random is a small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
}

describe('search index', () => {
  it('SIDX-01 segments cover the documents in order, O(log n) of them, and a new document changes only the tail unless it fills a unit', () => {
    for (const docs of [0, 1, 999, 1000, 1001, 2999, 3000, 64_000, 100_000, 100_001, 1_000_000]) {
      const segments = planSegments(docs);
      let start = 0;
      for (const segment of segments) {
        assert.equal(segment.start, start, `${docs}`);
        assert.ok(segment.size > 0);
        start += segment.size;
      }
      assert.equal(start, docs);
      assert.ok(segments.length <= Math.floor(docs / SEGMENT_UNIT / MAX_SEGMENT_UNITS) + Math.log2(MAX_SEGMENT_UNITS) + 1, `${docs}: ${segments.length} segments`);
      assert.ok(segments.every((segment) => segment.size <= MAX_SEGMENT_UNITS * SEGMENT_UNIT));
      const next = planSegments(docs + 1);
      const whole = segments.filter((segment) => segment.size >= SEGMENT_UNIT);
      const kept = whole.filter((segment) => next.some((other) => other.start === segment.start && other.size === segment.size));
      if ((docs + 1) % SEGMENT_UNIT !== 0) assert.equal(kept.length, whole.length, `${docs}`);
    }
  });

  it('SIDX-02 numbers and document lists decode to what was encoded, as deltas or as a bitmap', () => {
    const next = random(7);
    for (let round = 0; round < 200; round++) {
      const numbers = Array.from({ length: Math.floor(next() * 50) }, () => Math.floor(next() ** 3 * 5_000_000));
      assert.deepEqual(decodeNumbers(encodeNumbers(numbers)), numbers);
      const size = 1 + Math.floor(next() * 3000);
      const density = next();
      const docs = Array.from({ length: size }, (_, doc) => doc).filter(() => next() < density);
      const encoded = encodeDocs(docs, size);
      assert.deepEqual(decodeDocs(encoded), docs);
      assert.ok(encoded.length <= 2 + Math.ceil(size / 6), `${docs.length} of ${size}: ${encoded.length} characters`);
    }
  });

  it('SIDX-03 a query over several segments finds exactly the documents that hold it as a substring', async () => {
    const chars = '甲乙丙丁戊';
    const next = random(11);
    const text = (length: number): string => Array.from({ length }, () => (next() < 0.1 ? '，' : (chars[Math.floor(next() * chars.length)] as string))).join('');
    const docs = Array.from({ length: 3 * SEGMENT_UNIT + 700 }, () => ({ title: text(4), body: text(12 + Math.floor(next() * 20)) }));
    const segments = planSegments(docs.length);
    assert.equal(segments.length, 3);
    const files = new Map<string, Shard | string>();
    const indexed: ManifestSegment[] = segments.map((segment) => {
      const indexer = new SegmentIndexer(segment);
      for (let doc = segment.start; doc < segment.start + segment.size; doc++) indexer.add(doc, docs[doc]?.title ?? '', docs[doc]?.body ?? '');
      const { shards, files: written } = indexer.files();
      for (const file of written) files.set(file.path, file.value);
      return { ...segment, shards };
    });
    const load = async <T extends Shard | string>(path: string): Promise<T> => {
      const value = files.get(path);
      if (value === undefined) throw new Error(`no ${path}`);
      return value as T;
    };
    for (const q of ['甲', '戊', '甲乙', '乙丙丁', '丁丁戊甲', '甲 乙丙', '"乙丙丁"']) {
      const found: number[] = [];
      for (const segment of indexed) found.push(...(await searchSegment(parseQuery(q), { segment, load })).map((local) => segment.start + local));
      const terms = q.replace(/"/g, '').split(' ');
      const phrase = q.startsWith('"');
      const expected = docs.flatMap((doc, index) => {
        const holds = (term: string): boolean => doc.title.includes(term) || doc.body.includes(term);
        const match = phrase ? doc.title.includes(terms.join('')) || doc.body.includes(terms.join('')) : terms.every(holds);
        return match ? [index] : [];
      });
      assert.deepEqual(found, expected, q);
      assert.ok(expected.length > 0, q);
    }
  });
});
