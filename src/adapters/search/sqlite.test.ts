import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { articleId } from '../../core/identity/index.js';
import { indexTextOf } from '../../core/search/index.js';
import { FIXTURE_CORPUS, loadCorpusRows } from '../../../test/helpers/corpus.js';
import { dumpSqliteSearch } from '../../../test/helpers/search-dump.js';
import type { Article } from '../../core/model/index.js';
import { runSearchContract } from './contract/index.js';
import { openSqliteSearchIndex } from './index.js';

let dir: string;
let counter = 0;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'newsmirror-search-'));
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
});

runSearchContract('sqlite', async (options) => {
  counter += 1;
  const index = openSqliteSearchIndex(join(dir, `db-${counter}`, 'newsmirror.db'), options);
  return { index, cleanup: () => index.close() };
});

const sample = (id: string, title: string, body: string, published: number): Article => ({
  id,
  sourceId: 'rfi',
  key: articleId('rfi', id),
  url: `https://example.org/${id}`,
  canonicalUrl: `https://example.org/${id}`,
  title,
  bodyHtml: body,
  published,
  dateMissing: false,
  firstSeen: published,
  contentHash: id,
  version: 1,
  path: `articles/${id}.md`,
  method: 'feed',
  authors: [],
  categories: [],
  lastSeen: published,
});

/** titlesHolding lists the ids whose search_titles row matches an FTS5 expression, sorted. */
function titlesHolding(path: string, match: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare<[string], string>('SELECT id FROM search_docs WHERE doc IN (SELECT rowid FROM search_titles WHERE search_titles MATCH ?) ORDER BY id').pluck().all(match);
  } finally {
    db.close();
  }
}

/** peekTable gives an FTS5 table's segment count and its automerge setting. */
function peekTable(path: string, table: string): { segments: number; automerge: number | undefined } {
  const db = new Database(path, { readonly: true });
  try {
    const { segments } = db.prepare(`SELECT count(DISTINCT segid) AS segments FROM ${table}_idx`).get() as { segments: number };
    const row = db.prepare(`SELECT v FROM ${table}_config WHERE k = 'automerge'`).get() as { v: number } | undefined;
    return { segments, automerge: row?.v };
  } finally {
    db.close();
  }
}

/** tableNames lists the search tables a file holds (FTS5's shadow tables left out). */
function tableNames(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('search_docs', 'search_fts', 'search_titles') ORDER BY name").pluck().all();
  } finally {
    db.close();
  }
}

describe('openSqliteSearchIndex specifics', () => {
  it('SU-03 opening twice on one file keeps the data; HTML in titles and bodies is escaped in snippets; a connection passed in stays open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsmirror-search-'));
    try {
      const path = join(dir, 'x.db');
      const first = openSqliteSearchIndex(path);
      await first.index([sample('h1', '<b>标题</b>', '<p>&lt;script&gt;alert(1)&lt;/script&gt; 香港 &amp; "引号"</p>', 1_600_000_000_000)]);
      await first.close();
      const second = openSqliteSearchIndex(path);
      const hit = (await second.search({ q: '香港', order: 'relevance', limit: 1 })).hits[0];
      assert.equal(hit?.snippet, '&lt;script&gt;alert(1)&lt;/script&gt; <mark>香港</mark> &amp; &quot;引号&quot;');
      assert.equal(hit?.title, '<b>标题</b>', 'titles are returned as stored; the web layer escapes them');
      await second.close();
      const db = new Database(path);
      await openSqliteSearchIndex(db).close();
      assert.ok(db.open, 'a connection passed in stays open');
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SU-10 a bulk load merges no segment while it writes and all of them when closed; a load that died is undone by the next open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsmirror-search-'));
    try {
      const path = join(dir, 'x.db');
      const peek = (): { segments: number; automerge: number | undefined } => {
        const db = new Database(path, { readonly: true });
        try {
          const { segments } = db.prepare('SELECT count(DISTINCT segid) AS segments FROM search_fts_idx').get() as { segments: number };
          const row = db.prepare("SELECT v FROM search_fts_config WHERE k = 'automerge'").get() as { v: number } | undefined;
          return { segments, automerge: row?.v };
        } finally {
          db.close();
        }
      };
      const bulk = openSqliteSearchIndex(path, { bulkLoad: true });
      for (let i = 0; i < 6; i++) await bulk.index([sample(`k${i}`, '香港', '<p>国安法</p>', 1_600_000_000_000 + i * 1000)]);
      assert.deepEqual(peek(), { segments: 6, automerge: 0 }, 'one segment per write, none merged');
      assert.equal((await bulk.search({ q: '国安法', order: 'newest', limit: 10 })).total, 6, 'searchable during the load');
      await bulk.close();
      assert.deepEqual(peek(), { segments: 1, automerge: 4 });

      const died = new Database(path);
      openSqliteSearchIndex(died, { bulkLoad: true });
      died.close();
      assert.equal(peek().automerge, 0);
      const again = openSqliteSearchIndex(path);
      assert.equal(peek().automerge, 4);
      assert.deepEqual((await again.search({ q: '国安法', order: 'relevance', limit: 2 })).hits.map((hit) => hit.id), ['k5', 'k4']);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SU-09 an index of the earlier FTS schema (no one-character prefix index) is rebuilt from search_docs on open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsmirror-search-'));
    try {
      const path = join(dir, 'x.db');
      const first = openSqliteSearchIndex(path);
      await first.index([sample('p1', '港口', '<p>朝鲜 新闻</p>', 1_600_000_000_000), sample('p2', '其他', '<p>香港</p>', 1_600_000_100_000)]);
      await first.close();
      const db = new Database(path);
      db.exec('DROP TABLE search_fts');
      db.exec("CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tags, content='', contentless_delete=1, tokenize='ascii')");
      db.close();
      const second = openSqliteSearchIndex(path);
      assert.deepEqual((await second.search({ q: '港', order: 'newest', limit: 10 })).hits.map((hit) => hit.id), ['p2', 'p1']);
      assert.deepEqual((await second.search({ q: '朝鲜', sourceIds: ['rfi'], order: 'relevance', limit: 10 })).hits.map((hit) => hit.id), ['p1']);
      await second.close();
      const check = new Database(path);
      assert.match(String((check.prepare("SELECT sql FROM sqlite_master WHERE name = 'search_fts'").get() as { sql: string }).sql), /prefix='1'/);
      check.close();
      assert.deepEqual(titlesHolding(path, '"港" *'), ['p1'], 'search_titles was made and filled too');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SU-12 search_titles follows every write: index, an edit in the same second and in another, a remove, a bulk load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsmirror-search-'));
    try {
      const path = join(dir, 'x.db');
      const index = openSqliteSearchIndex(path);
      await index.index([sample('a', '香港新闻', '<p>国安法</p>', 1_600_000_000_000), sample('b', '国安法', '<p>香港</p>', 1_600_000_001_000), sample('c', '香港', '<p>香港</p>', 1_600_000_002_000)]);
      assert.deepEqual(titlesHolding(path, '"香港"'), ['a', 'c']);
      await index.index([sample('a', '其他', '<p>国安法 香港</p>', 1_600_000_000_000), sample('b', '香港国安法', '<p>香港</p>', 1_700_000_000_000)]);
      assert.deepEqual(titlesHolding(path, '"香港"'), ['b', 'c'], 'an edit replaces the title, whether its key stays or moves');
      assert.deepEqual(titlesHolding(path, '"国安 安法"'), ['b']);
      assert.deepEqual((await index.search({ q: '香港 国安法', order: 'relevance', limit: 10 })).hits.map((hit) => hit.id), ['b', 'a'], 'a, newer than c, holds no query term in its new title');
      await index.remove(['c']);
      assert.deepEqual(titlesHolding(path, '"香港"'), ['b']);
      assert.deepEqual(titlesHolding(path, '"港" *'), ['b'], 'the one-character prefix index follows');
      await index.close();

      const bulk = openSqliteSearchIndex(path, { bulkLoad: true });
      for (let i = 0; i < 3; i++) await bulk.index([sample(`k${i}`, `香港 ${i}`, '<p>正文</p>', 1_600_000_100_000 + i * 1000)]);
      await bulk.close();
      assert.deepEqual(titlesHolding(path, '"香港"'), ['b', 'k0', 'k1', 'k2']);
      assert.deepEqual(peekTable(path, 'search_titles'), { segments: 1, automerge: 4 }, 'a bulk load merges search_titles too, and puts its settings back');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SU-16 an index given indexTextOf writes the same rows and the same FTS5 postings as one that computes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsmirror-search-'));
    try {
      const articles = loadCorpusRows(FIXTURE_CORPUS).map((row, i) => ({
        ...sample(`r${i}`, row.title ?? '', row.html, row.pubDate ?? 1_600_000_000_000 + i * 60_000),
        sourceId: row.source,
      }));
      const computed = openSqliteSearchIndex(join(dir, 'computed.db'));
      await computed.index(articles);
      await computed.close();
      const given = openSqliteSearchIndex(join(dir, 'given.db'));
      await given.index(articles, articles.map(indexTextOf));
      await given.close();
      const dump = dumpSqliteSearch(join(dir, 'given.db'));
      assert.ok(dump.docs.length === articles.length && dump.postings.length > 1000);
      assert.deepEqual(dump, dumpSqliteSearch(join(dir, 'computed.db')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SU-13 an index of before search_titles gets it on open, filled from search_docs, and ranks by title as before', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsmirror-search-'));
    try {
      const path = join(dir, 'x.db');
      const first = openSqliteSearchIndex(path);
      const articles = Array.from({ length: 30 }, (_, i) => sample(`o${String(i).padStart(2, '0')}`, i % 3 === 0 ? `香港 第${i}` : `其他 ${i}`, '<p>香港 国安法</p>', 1_600_000_000_000 + i * 60_000));
      await first.index(articles);
      const before = (await first.search({ q: '香港', order: 'relevance', limit: 15 })).hits.map((hit) => hit.id);
      await first.close();
      // The file as the previous version wrote it: search_docs and search_fts are unchanged by this
      // change, and search_titles did not exist.
      const old = new Database(path);
      old.exec('DROP TABLE search_titles');
      old.close();
      assert.deepEqual(tableNames(path), ['search_docs', 'search_fts']);

      const rebuilt: [string, number][] = [];
      const second = openSqliteSearchIndex(path, { onRebuild: (table, documents) => rebuilt.push([table, documents]) });
      assert.deepEqual(rebuilt, [['search_titles', 30]], 'the caller is told what is built and how big it is');
      assert.deepEqual(tableNames(path), ['search_docs', 'search_fts', 'search_titles']);
      assert.deepEqual(titlesHolding(path, '"香港"'), articles.filter((_, i) => i % 3 === 0).map((article) => article.id));
      assert.deepEqual(peekTable(path, 'search_titles'), { segments: 1, automerge: 4 });
      const after = (await second.search({ q: '香港', order: 'relevance', limit: 15 })).hits.map((hit) => hit.id);
      assert.deepEqual(after, before);
      assert.deepEqual(after.slice(0, 10), ['o27', 'o24', 'o21', 'o18', 'o15', 'o12', 'o09', 'o06', 'o03', 'o00']);
      await second.close();
      const third = openSqliteSearchIndex(path, { onRebuild: (table, documents) => rebuilt.push([table, documents]) });
      assert.deepEqual(titlesHolding(path, '"香港"').length, 10, 'a later open fills nothing twice');
      assert.equal(rebuilt.length, 1, 'and tells nothing');
      await third.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
