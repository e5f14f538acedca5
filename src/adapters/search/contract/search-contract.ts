/**
 * The behaviour every SearchIndex must have, as one node:test suite, run against SQLite FTS5
 * (src/adapters/search/sqlite.test.ts) and PostgreSQL (src/adapters/search/postgres.test.ts): the
 * same queries give the same articles and totals on both engines (Chinese substrings of any length,
 * phrases, Latin words, source and date filters, keyset pages, newest and relevance order).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Article } from '../../../core/model/index.js';
import type { SearchIndex, SearchQuery, SearchResult } from '../../../core/ports.js';
import { NewsmirrorError } from '../../../core/errors.js';
import { htmlToText, indexTextOf, splitPieces } from '../../../core/search/index.js';
import { CORPORA, corpusPath, type Corpus } from '../../../../test/helpers/corpus.js';
import { MAX_SEARCH_LIMIT } from '../paging.js';

/** SearchHarness is a freshly opened, empty search index and the function that disposes of it. */
export interface SearchHarness {
  index: SearchIndex;
  cleanup(): Promise<void>;
}

/** SearchHarnessOptions are the options every engine takes that the suite varies. */
export interface SearchHarnessOptions {
  relevanceWindow?: number;
  exactTotalUpTo?: number;
}

const TERMS = ['朝鲜', '国安法', '拉夫罗夫', '香港', '特朗普'];

interface Row {
  source: string;
  title: string | null;
  html: string | null;
  link: string | null;
  pubDate: number | null;
}

/** A few hundred real articles: the first 300, plus every one with a rare term so no check is vacuous. */
function loadArticles(corpus: Corpus): Article[] {
  const rows = readFileSync(corpusPath(corpus, 'dutymachine/articles.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Row);
  const chosen = rows.filter((row, index) => index < 300 || (row.html ?? '').includes('拉夫罗夫') || (index < 2000 && (row.html ?? '').includes('朝鲜')));
  return chosen.map((row, index) => article(index, row));
}

function article(index: number, row: Row): Article {
  const id = `t${index.toString(36).padStart(15, '0')}`;
  const published = row.pubDate ?? 1_594_000_000_000 + index * 60_000;
  return {
    id,
    sourceId: row.source,
    key: row.link ?? id,
    url: row.link ?? `https://example.org/${id}`,
    canonicalUrl: row.link ?? `https://example.org/${id}`,
    title: row.title ?? '',
    bodyHtml: row.html ?? '',
    published,
    dateMissing: row.pubDate === null,
    firstSeen: published,
    contentHash: id,
    version: 1,
    path: `articles/${id}.md`,
    method: 'feed',
    authors: [],
    categories: [],
    lastSeen: published,
  };
}

/** The texts the index sees, apart: a match never spans title and body. */
function fields(a: Article): string[] {
  return [a.title, htmlToText(a.bodyHtml)];
}

function containsWords(text: string, words: string[]): boolean {
  const pieces = splitPieces(text);
  return pieces.some((_, start) => words.every((word, k) => pieces[start + k]?.kind === 'word' && pieces[start + k]?.text === word));
}

/** allIds pages through every hit, checking that pages never overlap and the total never moves. */
async function allIds(index: SearchIndex, query: Omit<SearchQuery, 'cursor'>): Promise<{ ids: string[]; total: number; pages: SearchResult[] }> {
  const ids: string[] = [];
  const pages: SearchResult[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await index.search({ ...query, cursor });
    pages.push(page);
    ids.push(...page.hits.map((hit) => hit.id));
    if (page.next === undefined) break;
    assert.equal(page.hits.length, query.limit);
    cursor = page.next;
  }
  assert.equal(new Set(ids).size, ids.length, 'a hit came twice');
  for (const page of pages) assert.equal(page.total, pages[0]?.total);
  return { ids, total: pages[0]?.total ?? 0, pages };
}

function sorted(ids: Iterable<string>): string[] {
  return [...ids].sort();
}

async function rejectsUsage(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof NewsmirrorError && error.code === 'usage');
}

const sample = (id: string, title: string, body: string, published: number, sourceId = 'rfi'): Article => ({
  ...article(0, { source: sourceId, title, html: body, link: `https://example.org/${id}`, pubDate: published }),
  id,
});

/**
 * runSearchContract registers the search suite under `name`. `open` must return a new, empty index
 * for every call, and `cleanup` must release and delete it.
 *
 * @example
 * runSearchContract('sqlite', async (options) => { const index = openSqliteSearchIndex(':memory:', options); return { index, cleanup: () => index.close() }; });
 */
export function runSearchContract(name: string, open: (options?: SearchHarnessOptions) => Promise<SearchHarness>): void {
  for (const corpus of CORPORA) describe(`SearchIndex contract: ${name} on real articles (${corpus.name} corpus)`, () => {
    let harness: SearchHarness;
    let index: SearchIndex;
    let articles: Article[];

    before(async () => {
      if (corpus.skip !== false) return;
      articles = loadArticles(corpus);
      harness = await open();
      index = harness.index;
      await index.index(articles);
    });

    after(async () => {
      if (corpus.skip !== false) return;
      await harness.cleanup();
    });

    it('SI-01 finds exactly the articles whose title or text contains 朝鲜, 国安法, 拉夫罗夫, 香港, 特朗普', { skip: corpus.skip }, async () => {
      for (const q of TERMS) {
        const expected = articles.filter((a) => fields(a).some((text) => text.includes(q))).map((a) => a.id);
        assert.ok(expected.length > 0, `${q} must occur in the test articles`);
        const { ids, total } = await allIds(index, { q, order: 'newest', limit: 100 });
        assert.deepEqual(sorted(ids), sorted(expected), q);
        assert.equal(total, expected.length, q);
      }
    });

    it('SI-02 a one-character query finds every article containing the character', { skip: corpus.skip }, async () => {
      const expected = articles.filter((a) => fields(a).some((text) => text.includes('港'))).map((a) => a.id);
      const { ids } = await allIds(index, { q: '港', order: 'newest', limit: 100 });
      assert.deepEqual(sorted(ids), sorted(expected));
      assert.ok(expected.length > articles.filter((a) => fields(a).some((text) => text.includes('香港'))).length);
    });

    it('SI-03 an English word matches whole words, case-insensitively', { skip: corpus.skip }, async () => {
      const expected = articles.filter((a) => fields(a).some((text) => containsWords(text, ['trump']))).map((a) => a.id);
      assert.ok(expected.length > 0);
      for (const q of ['Trump', 'TRUMP', 'trump', 'ｔｒｕｍｐ']) {
        const { ids } = await allIds(index, { q, order: 'newest', limit: 100 });
        assert.deepEqual(sorted(ids), sorted(expected), q);
      }
    });

    it('SI-04 a mixed query is the AND of its terms; a phrase needs its words in order', { skip: corpus.skip }, async () => {
      const chinese = new Set((await allIds(index, { q: '特朗普', order: 'newest', limit: 100 })).ids);
      const english = new Set((await allIds(index, { q: 'Trump', order: 'newest', limit: 100 })).ids);
      const both = (await allIds(index, { q: '特朗普 Trump', order: 'newest', limit: 100 })).ids;
      const expected = [...chinese].filter((id) => english.has(id));
      assert.ok(expected.length > 0);
      assert.deepEqual(sorted(both), sorted(expected));

      const phrase = articles.filter((a) => fields(a).some((text) => containsWords(text, ['hong', 'kong']))).map((a) => a.id);
      assert.ok(phrase.length > 0);
      assert.deepEqual(sorted((await allIds(index, { q: '"Hong Kong"', order: 'newest', limit: 100 })).ids), sorted(phrase));
      const reversed = articles.filter((a) => fields(a).some((text) => containsWords(text, ['kong', 'hong']))).map((a) => a.id);
      assert.deepEqual(sorted((await allIds(index, { q: '"Kong Hong"', order: 'newest', limit: 100 })).ids), sorted(reversed));
    });

    it('SI-05 filters by source and by date range (from inclusive, to exclusive)', { skip: corpus.skip }, async () => {
      const sources = [...new Set(articles.map((a) => a.sourceId))].slice(0, 2);
      const bySource = articles.filter((a) => sources.includes(a.sourceId) && fields(a).some((text) => text.includes('香港'))).map((a) => a.id);
      assert.ok(bySource.length > 0);
      const found = await allIds(index, { q: '香港', sourceIds: sources, order: 'newest', limit: 50 });
      assert.deepEqual(sorted(found.ids), sorted(bySource));

      const times = articles.map((a) => a.published).sort((a, b) => a - b);
      const from = Math.floor((times[Math.floor(times.length / 4)] ?? 0) / 1000) * 1000;
      const to = Math.floor((times[Math.floor((times.length * 3) / 4)] ?? 0) / 1000) * 1000;
      const inRange = articles.filter((a) => a.published >= from && a.published < to && fields(a).some((text) => text.includes('香港'))).map((a) => a.id);
      assert.ok(inRange.length > 0);
      const ranged = await allIds(index, { q: '香港', from, to, order: 'relevance', limit: 30 });
      assert.deepEqual(sorted(ranged.ids), sorted(inRange));
      for (const hit of ranged.pages.flatMap((page) => page.hits)) assert.ok(hit.published >= from && hit.published < to);
      assert.equal((await index.search({ q: '香港', from: to, to: from, order: 'newest', limit: 10 })).total, 0);
    });

    it('SI-06 newest order is by published time; relevance finds the same set, title matches first', { skip: corpus.skip }, async () => {
      const newest = await allIds(index, { q: '国安法', order: 'newest', limit: 25 });
      const published = newest.pages.flatMap((page) => page.hits.map((hit) => hit.published));
      assert.deepEqual(published, [...published].sort((a, b) => b - a));
      const relevance = await allIds(index, { q: '国安法', order: 'relevance', limit: 25 });
      assert.deepEqual(sorted(relevance.ids), sorted(newest.ids));
      const first = relevance.pages[0]?.hits[0];
      assert.ok(first?.title.includes('国安法'), 'the best hit has the term in its title');
    });

    it('SI-07 pages of any size cover every result exactly once', { skip: corpus.skip }, async () => {
      const expected = articles.filter((a) => fields(a).some((text) => text.includes('特朗普'))).map((a) => a.id);
      for (const limit of [1, 7, 100]) {
        for (const order of ['newest', 'relevance'] as const) {
          const { ids, total } = await allIds(index, { q: '特朗普', order, limit });
          assert.deepEqual(sorted(ids), sorted(expected), `${order} ${limit}`);
          assert.equal(total, expected.length);
        }
      }
    });

    it('SI-08 hits carry the article fields and an escaped snippet with marks', { skip: corpus.skip }, async () => {
      const page = await index.search({ q: '拉夫罗夫', order: 'newest', limit: 5 });
      const hit = page.hits[0];
      assert.ok(hit !== undefined);
      const source = articles.find((a) => a.id === hit.id);
      assert.equal(hit.title, source?.title);
      assert.equal(hit.url, source?.url);
      assert.equal(hit.sourceId, source?.sourceId);
      assert.equal(hit.published, source?.published);
      assert.match(hit.snippet, /<mark>拉夫罗夫<\/mark>/);
      assert.equal(hit.snippet.replace(/<\/?mark>/g, '').match(/[<>]/), null);
    });

    it('SI-09 hostile queries are usage errors or ordinary searches, never crashes', { skip: corpus.skip }, async () => {
      const hostile = ['"', '*', 'NEAR(a b)', "'; DROP TABLE x; --", 'x'.repeat(10_000), '"香港', '香港"', '"""', '\u0000\u0001香港\u001f', '😀', '香港 😀', '{title}: 香港', 'a:b', '^香港', '(香港', 'AND', 'OR NOT', '-香港', '香港*', "' OR 1=1 --"];
      for (const q of hostile) {
        try {
          const result = await index.search({ q, order: 'newest', limit: 10 });
          assert.ok(Number.isInteger(result.total), q);
        } catch (error) {
          assert.ok(error instanceof NewsmirrorError && error.code === 'usage', `${JSON.stringify(q.slice(0, 40))}: ${String(error)}`);
        }
      }
      await rejectsUsage(index.search({ q: 'x'.repeat(10_000), order: 'newest', limit: 10 }));
      await rejectsUsage(index.search({ q: '"', order: 'newest', limit: 10 }));
      assert.ok((await index.search({ q: '香港', order: 'newest', limit: 1 })).total > 0, 'the index still answers');
    });

    it('SI-10 bad limits, orders, times, sources and cursors are usage errors; big limits are clamped', { skip: corpus.skip }, async () => {
      for (const limit of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) await rejectsUsage(index.search({ q: '香港', order: 'newest', limit }));
      const big = await index.search({ q: '香港', order: 'newest', limit: 1_000_000 });
      assert.equal(big.hits.length, Math.min(MAX_SEARCH_LIMIT, big.total));
      await rejectsUsage(index.search({ q: '香港', order: 'oldest' as 'newest', limit: 10 }));
      await rejectsUsage(index.search({ q: '香港', order: 'newest', limit: 10, from: Number.NaN }));
      await rejectsUsage(index.search({ q: '香港', order: 'newest', limit: 10, sourceIds: [''] }));
      for (const cursor of ['garbage!', 'e30', Buffer.from('{"v":1}').toString('base64url'), 'x'.repeat(2000)]) {
        await rejectsUsage(index.search({ q: '香港', order: 'newest', limit: 10, cursor }));
      }
      const first = await index.search({ q: '香港', order: 'newest', limit: 2 });
      assert.ok(first.next !== undefined);
      await rejectsUsage(index.search({ q: '朝鲜', order: 'newest', limit: 2, cursor: first.next }));
      await rejectsUsage(index.search({ q: '香港', order: 'relevance', limit: 2, cursor: first.next }));
    });

    it('SI-11 articles indexed with their indexTextOf computed elsewhere are found exactly as when the index computes it', { skip: corpus.skip }, async () => {
      const given = await open();
      try {
        // Half given, half left to the index (undefined): both paths in one call.
        await given.index.index(articles, articles.map((a, i) => (i % 2 === 0 ? indexTextOf(a) : undefined)));
        for (const q of [...TERMS, '港', 'Trump', '"Hong Kong"']) {
          for (const order of ['newest', 'relevance'] as const) {
            assert.deepEqual(await allIds(given.index, { q, order, limit: 40 }), await allIds(index, { q, order, limit: 40 }), `${q} ${order}`);
          }
        }
      } finally {
        await given.cleanup();
      }
    });
  });

  describe(`SearchIndex contract: ${name} updates`, () => {
    const opened: SearchHarness[] = [];
    const fresh = async (options?: SearchHarnessOptions): Promise<SearchIndex> => {
      const harness = await open(options);
      opened.push(harness);
      return harness.index;
    };

    afterEach(async () => {
      for (const harness of opened.splice(0)) await harness.cleanup();
    });

    it('SU-01 re-indexing an article replaces it; a changed date moves it; remove takes it out', async () => {
      const index = await fresh();
      await index.index([sample('a1', '香港新闻', '<p>国安法</p>', 1_600_000_000_000), sample('a2', '其他', '<p>国安法 第二篇</p>', 1_600_000_100_000)]);
      await index.index([sample('a1', '香港新闻 更新', '<p>国安法 更新</p>', 1_600_000_000_000)]);
      let result = await index.search({ q: '国安法', order: 'newest', limit: 10 });
      assert.deepEqual(result.hits.map((hit) => hit.id), ['a2', 'a1']);
      assert.equal(result.hits[1]?.title, '香港新闻 更新');
      assert.equal((await index.search({ q: '更新', order: 'newest', limit: 10 })).total, 1);

      await index.index([sample('a1', '香港新闻', '<p>国安法</p>', 1_700_000_000_000)]);
      result = await index.search({ q: '国安法', order: 'newest', limit: 10 });
      assert.deepEqual(result.hits.map((hit) => [hit.id, hit.published]), [['a1', 1_700_000_000_000], ['a2', 1_600_000_100_000]]);
      assert.equal((await index.search({ q: '更新', order: 'newest', limit: 10 })).total, 0, 'the old text is gone from the index');

      // The same id twice in one batch: the last copy wins.
      await index.index([sample('a3', '一', '<p>朝鲜</p>', 1_650_000_000_000), sample('a3', '二', '<p>朝鲜</p>', 1_650_000_000_000)]);
      result = await index.search({ q: '朝鲜', order: 'newest', limit: 10 });
      assert.deepEqual(result.hits.map((hit) => [hit.id, hit.title]), [['a3', '二']]);

      await index.remove(['a1', 'missing']);
      assert.deepEqual((await index.search({ q: '国安法', order: 'newest', limit: 10 })).hits.map((hit) => hit.id), ['a2']);
      await index.close();
    });
    it('SU-02 many articles in one second keep distinct rows, newest order stays by time', async () => {
      const index = await fresh();
      const second = 1_600_000_000_000;
      const batch = Array.from({ length: 150 }, (_, i) => sample(`b${i}`, '香港', '<p>香港</p>', second + (i % 1000)));
      batch.push(sample('later', '香港', '<p>香港</p>', second + 5_000));
      await index.index(batch);
      const { ids, total } = await allIds(index, { q: '香港', order: 'newest', limit: 40 });
      assert.equal(total, 151);
      assert.equal(new Set(ids).size, 151);
      assert.equal(ids[0], 'later');
      await index.close();
      await rejectsStore(index.search({ q: '香港', order: 'newest', limit: 1 }));
    });
    it('SU-04 relevance ranks the newest matches of its window; total still counts every match', async () => {
      const index = await fresh({ relevanceWindow: 10 });
      const batch = Array.from({ length: 30 }, (_, i) => sample(`w${i}`, i % 3 === 0 ? '朝鲜朝鲜' : '其他', '<p>朝鲜</p>', 1_600_000_000_000 + i * 1000));
      await index.index(batch);
      const { ids, total } = await allIds(index, { q: '朝鲜', order: 'relevance', limit: 4 });
      assert.equal(total, 30);
      assert.deepEqual(sorted(ids), sorted(batch.slice(20).map((a) => a.id)));
      assert.deepEqual(ids.slice(0, 3), ['w27', 'w24', 'w21'], 'title matches first, then newest on equal rank');
      await index.close();
    });
    it('SU-05 a query spelling a source tag matches text only, never the tag', async () => {
      const index = await fresh();
      await index.index([sample('t1', '标题', '<p>正文</p>', 1_600_000_000_000, 'rfi'), sample('t2', '§726669 726669', '<p>正文</p>', 1_600_000_000_000, 'voa')]);
      const tag = `§${Buffer.from('rfi').toString('hex')}`;
      assert.deepEqual((await index.search({ q: tag, order: 'newest', limit: 10 })).hits.map((hit) => hit.id), ['t2']);
      assert.deepEqual((await index.search({ q: `正文 ${tag}`, order: 'newest', limit: 10 })).hits.map((hit) => hit.id), ['t2']);
      assert.deepEqual((await index.search({ q: '正文', sourceIds: ['rfi'], order: 'newest', limit: 10 })).hits.map((hit) => hit.id), ['t1']);
      await index.close();
    });
    it('SU-06 total is exact up to exactTotalUpTo, estimated from the match density beyond', async () => {
      const index = await fresh({ exactTotalUpTo: 5 });
      const batch = Array.from({ length: 400 }, (_, i) => sample(`e${i}`, '标题', i % 100 === 0 ? '<p>朝鲜</p>' : '<p>香港</p>', 1_600_000_000_000 + i * 60_000));
      await index.index(batch);
      assert.equal((await index.search({ q: '朝鲜', order: 'newest', limit: 2 })).total, 4, 'exact below the cap');
      assert.equal((await index.search({ q: '香港', order: 'newest', limit: 2 })).total, 400, 'uniform density: estimate is right');
      const half = batch[200]?.published ?? 0;
      assert.equal((await index.search({ q: '香港', from: half, order: 'newest', limit: 2 })).total, 200);
      const unbounded = await fresh({ exactTotalUpTo: Number.POSITIVE_INFINITY });
      await unbounded.index(batch);
      assert.equal((await unbounded.search({ q: '香港', order: 'newest', limit: 2 })).total, 396);
      await index.close();
      await unbounded.close();
    });
    it('SU-08 relevance totals equal newest totals, whether the window holds every match, is full below the cap, or the total is estimated', async () => {
      const index = await fresh({ relevanceWindow: 10, exactTotalUpTo: 50 });
      const batch = Array.from({ length: 400 }, (_, i) => sample(`r${i}`, '标题', i % 50 === 0 ? '<p>朝鲜</p>' : i % 10 === 0 ? '<p>香港 朝鲜</p>' : '<p>香港</p>', 1_600_000_000_000 + i * 60_000));
      await index.index(batch);
      for (const q of ['朝鲜', '香港', '"香港 朝鲜"', '国安法']) {
        const newest = await index.search({ q, order: 'newest', limit: 3 });
        const relevance = await index.search({ q, order: 'relevance', limit: 3 });
        assert.equal(relevance.total, newest.total, q);
      }
      assert.equal((await index.search({ q: '朝鲜', order: 'relevance', limit: 3 })).total, 40, 'a full window, exact below the cap');
      assert.equal((await index.search({ q: '"香港 朝鲜"', order: 'relevance', limit: 3 })).total, 32);
      assert.equal((await index.search({ q: '香港', order: 'relevance', limit: 3 })).total, 392, 'uniform density: the estimate is right');
      await index.close();
    });
    it('SU-11 relevance puts more of the query\'s terms in the title first, the newest first among equals; body occurrences do not count', async () => {
      const index = await fresh();
      const at = 1_600_000_000_000;
      await index.index([
        sample('n1', '其他', '<p>朝鲜 香港</p>', at + 6000),
        sample('b1', '朝鲜', '<p>香港</p>', at + 5000),
        sample('f1', '其他', '<p>朝鲜 朝鲜 朝鲜，香港 香港 香港</p>', at + 4000),
        sample('h1', '香港', '<p>朝鲜</p>', at + 3000),
        sample('t2', '朝鲜 香港', '<p>文章</p>', at + 1000),
      ]);
      const ranked = async (q: string): Promise<string[]> => (await allIds(index, { q, order: 'relevance', limit: 2 })).ids;
      assert.deepEqual(await ranked('朝鲜 香港'), ['t2', 'b1', 'h1', 'n1', 'f1']);
      assert.deepEqual(await ranked('朝鲜'), ['b1', 't2', 'n1', 'f1', 'h1']);
      assert.deepEqual(await ranked('鲜'), ['b1', 't2', 'n1', 'f1', 'h1'], 'a one-character term in a title counts too');
      await index.close();
    });
    it('SU-14 relevance follows title edits and removals; a title holding a term ranks only an article that matches the whole query, its sources and dates', async () => {
      const index = await fresh();
      const at = 1_600_000_000_000;
      await index.index([sample('e1', '香港', '<p>香港</p>', at), sample('e2', '其他', '<p>香港</p>', at + 1000)]);
      const ranked = async (query: Omit<SearchQuery, 'order' | 'limit'>): Promise<string[]> => (await allIds(index, { ...query, order: 'relevance', limit: 2 })).ids;
      assert.deepEqual(await ranked({ q: '香港' }), ['e1', 'e2']);
      await index.index([sample('e1', '其他', '<p>香港</p>', at)]);
      assert.deepEqual(await ranked({ q: '香港' }), ['e2', 'e1'], 'an edit in the same second');
      await index.index([sample('e1', '香港', '<p>香港</p>', at - 50_000)]);
      assert.deepEqual(await ranked({ q: '香港' }), ['e1', 'e2'], 'an edit that moves the article');
      await index.remove(['e1']);
      assert.deepEqual(await ranked({ q: '香港' }), ['e2']);

      await index.index([
        sample('x1', '朝鲜 香港', '<p>别的</p>', at + 2000),
        sample('x2', '朝鲜', '<p>香港</p>', at + 3000, 'voa'),
        sample('x3', '朝鲜', '<p>香港</p>', at + 9_000_000),
        sample('x4', '文章', '<p>朝鲜 香港</p>', at + 4000),
      ]);
      assert.deepEqual(await ranked({ q: '朝鲜 香港' }), ['x1', 'x3', 'x2', 'x4']);
      assert.deepEqual(await ranked({ q: '朝鲜 国安法' }), [], 'no article holds both terms, whatever the titles hold');
      assert.deepEqual(await ranked({ q: '朝鲜 香港', sourceIds: ['rfi'] }), ['x1', 'x3', 'x4']);
      assert.deepEqual(await ranked({ q: '朝鲜 香港', from: at, to: at + 3500 }), ['x1', 'x2']);
      assert.deepEqual(await ranked({ q: '"朝鲜 香港"' }), ['x1', 'x4'], 'a phrase in the title ranks first');
      await index.close();
    });
    it('SU-15 a phrase of two CJK runs holds where a run ends with its first run and the next begins with its second', async () => {
      const index = await fresh();
      const at = 1_600_000_000_000;
      await index.index([
        sample('r1', '一', '<p>在香港《国安法》实施</p>', at + 1000),
        sample('r2', '二', '<p>香港的国安法</p>', at + 2000),
        sample('r3', '三', '<p>香港，国安。国安法</p>', at + 3000),
        sample('r4', '四', '<p>说在香港：国安部门</p>', at + 4000),
        sample('r5', '五', '<p>在香港，中国安全</p>', at + 5000),
        sample('r6', '香港', '<p>国安法</p>', at + 6000),
        sample('r7', '七', '<p>港，国安法</p>', at + 7000),
        sample('r8', '八', '<p>香港人，国安法</p>', at + 8000),
      ]);
      const ids = async (q: string): Promise<string[]> => sorted((await allIds(index, { q, order: 'newest', limit: 10 })).ids);
      assert.deepEqual(await ids('"香港 国安法"'), ['r1'], 'runs that go on outside the phrase; not one run, nor runs that go on inside it, nor 港|国 elsewhere');
      assert.deepEqual(await ids('"香港 国安"'), ['r1', 'r3', 'r4']);
      assert.deepEqual(await ids('"在香港 国安"'), ['r1', 'r4']);
      assert.deepEqual(await ids('"在香港 国安法"'), ['r1']);
      assert.deepEqual(await ids('"香港 中国"'), ['r5']);
      assert.deepEqual(await ids('"港 国"'), ['r1', 'r3', 'r4', 'r7']);
      assert.deepEqual(await ids('"香港 国"'), ['r1', 'r3', 'r4']);
      assert.deepEqual(await ids('"港 国安法"'), ['r1', 'r7']);
      assert.deepEqual((await allIds(index, { q: '"香港 国安法"', order: 'relevance', limit: 10 })).ids, ['r1']);
      await index.close();
    });
    it('SU-07 one call with more articles than a write chunk, in random date order, indexes them all in order', async () => {
      const index = await fresh();
      const order = Array.from({ length: 2100 }, (_, i) => (i * 7919) % 2100);
      const batch = order.map((n) => sample(`c${n}`, '朝鲜', '<p>朝鲜</p>', 1_600_000_000_000 + n * 60_000));
      batch.push(sample('c5', '朝鲜 最后', '<p>朝鲜</p>', 1_600_000_000_000 + 5 * 60_000));
      await index.index(batch);
      const { ids, total, pages } = await allIds(index, { q: '朝鲜', order: 'newest', limit: 100 });
      assert.equal(total, 2100);
      assert.deepEqual(ids, Array.from({ length: 2100 }, (_, i) => `c${2099 - i}`));
      assert.equal(pages.flatMap((page) => page.hits).find((hit) => hit.id === 'c5')?.title, '朝鲜 最后');
      await index.close();
    });

  });
}

async function rejectsStore(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof NewsmirrorError && error.code === 'store');
}
