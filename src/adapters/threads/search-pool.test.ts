import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { IndexedArticle } from '../../core/ports.js';
import { FIXTURE_CORPUS, loadCorpusRows } from '../../../test/helpers/corpus.js';
import { dumpSqliteSearch } from '../../../test/helpers/search-dump.js';
import { openSqliteSearchIndex } from '../search/index.js';
import { openSearchThread } from './search-pool.js';

const dir = mkdtempSync(join(tmpdir(), 'newsmirror-search-thread-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const ARTICLES: IndexedArticle[] = loadCorpusRows(FIXTURE_CORPUS)
  .filter((row) => row.link !== null)
  .slice(0, 30)
  .map((row, n) => ({ id: `a${n}`, sourceId: row.source, published: Date.UTC(2024, 0, 1) + n * 60_000, title: row.title ?? '', url: row.link as string, bodyHtml: row.html }));

describe('openSearchThread', () => {
  it('SP01 indexes, searches and removes as the index on the calling thread does: the same rows, postings and results', async () => {
    const direct = openSqliteSearchIndex(join(dir, 'direct.db'));
    const thread = openSearchThread(join(dir, 'thread.db'));
    try {
      for (const search of [direct, thread]) {
        await search.index(ARTICLES.slice(0, 20));
        await search.index(ARTICLES.slice(10));
        await search.remove(['a3', 'a4']);
      }
      assert.equal(thread.pause(), false, 'no transaction runs once its calls are answered');
      thread.resume();
      for (const q of ['中国', '香港', 'BBC']) {
        const query = { q, order: 'newest' as const, limit: 10 };
        assert.deepEqual(await thread.search(query), await direct.search(query));
      }
    } finally {
      await direct.close();
      await thread.close();
    }
    const threaded = dumpSqliteSearch(join(dir, 'thread.db'));
    assert.equal(threaded.docs.length, ARTICLES.length - 2);
    assert.deepEqual(threaded, dumpSqliteSearch(join(dir, 'direct.db')));
  });

  it('SP02 paused, writes nothing after its transaction until resumed; pause says whether a transaction runs', async () => {
    const file = join(dir, 'paused.db');
    const thread = openSearchThread(file);
    // Answered once the thread has opened the index.
    await thread.search({ q: '中国', order: 'newest', limit: 1 });
    const docs = (): number => dumpSqliteSearch(file).docs.length;
    try {
      assert.equal(thread.pause(), false);
      let done = false;
      const indexed = thread.index(ARTICLES.slice(0, 3)).then(() => (done = true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(done, false);
      assert.equal(docs(), 0, 'nothing written while paused');
      thread.resume();
      await indexed;
      assert.equal(docs(), 3);

      // A transaction waiting for the lock another connection holds is running: pause says so.
      const other = new Database(file);
      other.exec('BEGIN IMMEDIATE');
      const more = thread.index(ARTICLES.slice(3, 6));
      const deadline = Date.now() + 10_000;
      while (!thread.pause() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      assert.equal(thread.pause(), true);
      other.exec('COMMIT');
      other.close();
      thread.resume();
      await more;
      assert.equal(docs(), 6);

      // A pause never resumed lapses: the index goes on after PAUSE_MS.
      thread.pause();
      await thread.index(ARTICLES.slice(6, 7));
      assert.equal(docs(), 7);
    } finally {
      thread.resume();
      await thread.close();
    }
  });

  it('SP03 a failure on the thread reaches the caller as a store error naming the search', async () => {
    const file = join(dir, 'busy.db');
    const thread = openSearchThread(file, { busyTimeoutMs: 0 });
    await thread.search({ q: '中国', order: 'newest', limit: 1 });
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    try {
      await assert.rejects(thread.index(ARTICLES.slice(0, 1)), (error: Error & { code?: string }) => error.code === 'store' && /search: cannot index 1 articles/.test(error.message));
    } finally {
      other.exec('ROLLBACK');
      other.close();
      await thread.close();
    }
  });
});
