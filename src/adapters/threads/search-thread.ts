/** The body of the search thread (see search-pool.ts). */
import { workerData } from 'node:worker_threads';
import type { IndexedArticle } from '../../core/ports.js';
import { openSqliteSearchIndex } from '../search/index.js';
import { INDEX_TRANSACTION, PAUSED, PAUSE_MS, WRITING, type SearchThreadAnswer, type SearchThreadRequest } from './search-pool.js';
import { serveThread } from './thread.js';

const { database, busyTimeoutMs, shared } = workerData as { database: string; busyTimeoutMs?: number; shared: Int32Array };
const search = openSqliteSearchIndex(database, { busyTimeoutMs });

// One transaction, after any pause the caller asked for (at most PAUSE_MS), with WRITING set while it runs.
async function write(transaction: () => Promise<void>): Promise<void> {
  const until = Date.now() + PAUSE_MS;
  while (Atomics.load(shared, PAUSED) === 1 && Date.now() < until) Atomics.wait(shared, PAUSED, 1, until - Date.now());
  Atomics.store(shared, WRITING, 1);
  try {
    await transaction();
  } finally {
    Atomics.store(shared, WRITING, 0);
  }
}

// In order, so the last copy of an id still wins as it does within one index call.
async function index(articles: IndexedArticle[]): Promise<void> {
  for (let start = 0; start < articles.length; start += INDEX_TRANSACTION) await write(() => search.index(articles.slice(start, start + INDEX_TRANSACTION)));
}

// The index's calls run their SQLite work synchronously, so requests are served one at a time, in order.
serveThread(async (request: SearchThreadRequest): Promise<SearchThreadAnswer> => {
  switch (request.kind) {
    case 'index':
      await index(request.articles);
      return { kind: 'done' };
    case 'remove':
      await write(() => search.remove(request.articleIds));
      return { kind: 'done' };
    case 'search':
      return { kind: 'search', result: await search.search(request.query) };
    case 'close':
      await search.close();
      return { kind: 'done' };
  }
});
