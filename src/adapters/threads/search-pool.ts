/**
 * A SearchIndex whose work runs on a worker thread, over a connection of its own to the same SQLite
 * file: FTS5's inserts and the segment each transaction writes were a quarter of an import's walk
 * thread (decisions D31), and they need nothing from that thread but the articles. The thread
 * tokenizes the articles itself, so the texts an `index` call may be given are not sent.
 */
import type { IndexBeside } from '../../core/import/index.js';
import type { IndexedArticle, SearchIndex, SearchQuery, SearchResult } from '../../core/ports.js';
import { NewsmirrorError } from '../../core/errors.js';
import { startThread } from './thread.js';

/** SearchThreadRequest is one request to the search thread. */
export type SearchThreadRequest =
  | { kind: 'index'; articles: IndexedArticle[] }
  | { kind: 'remove'; articleIds: string[] }
  | { kind: 'search'; query: SearchQuery }
  | { kind: 'close' };

/** SearchThreadAnswer is the search thread's answer: a search's result, or that the request is done. */
export type SearchThreadAnswer = { kind: 'done' } | { kind: 'search'; result: SearchResult };

/**
 * ThreadedSearchIndex is a SearchIndex on a thread that gives way to another writer of the same file
 * (IndexBeside): the thread writes an index call in transactions of INDEX_TRANSACTION articles and,
 * before each, waits while it is paused, at most PAUSE_MS for one pause.
 */
export interface ThreadedSearchIndex extends SearchIndex, IndexBeside {}

/** INDEX_TRANSACTION is how many articles the thread writes in one transaction: at most a tenth of a second's FTS5 work here. */
export const INDEX_TRANSACTION = 500;

/** PAUSE_MS is how long the thread waits at most for one pause to be resumed. */
export const PAUSE_MS = 1_000;

/** The indexes of the two Int32 words both threads share: the thread sets WRITING around each transaction, the caller PAUSED. */
export const WRITING = 0;
export const PAUSED = 1;

/**
 * openSearchThread starts a thread holding `openSqliteSearchIndex(database)`, with the store's busy
 * timeout (default 5,000 ms). Its `index`, `remove` and `search` are that index's, answered in the
 * order they were called. Call `close` when done.
 *
 * @example
 * const search = openSearchThread('data/newsmirror.db');
 * await search.index(articles);
 * await search.close();
 */
export function openSearchThread(database: string, options: { busyTimeoutMs?: number } = {}): ThreadedSearchIndex {
  // Read and written with Atomics by both threads, without a message (WRITING, PAUSED).
  const shared = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  const thread = startThread<SearchThreadRequest, SearchThreadAnswer>('search-thread', 'store', { database, busyTimeoutMs: options.busyTimeoutMs, shared });
  return {
    pause() {
      Atomics.store(shared, PAUSED, 1);
      return Atomics.load(shared, WRITING) === 1;
    },
    resume() {
      Atomics.store(shared, PAUSED, 0);
      Atomics.notify(shared, PAUSED);
    },
    async index(articles) {
      if (articles.length === 0) return;
      // Only what the index reads crosses over: not the whole article with its other fields.
      await thread.call({ kind: 'index', articles: articles.map(({ id, sourceId, published, title, url, bodyHtml }) => ({ id, sourceId, published, title, url, bodyHtml })) });
    },
    async remove(articleIds) {
      if (articleIds.length === 0) return;
      await thread.call({ kind: 'remove', articleIds });
    },
    async search(query) {
      const answer = await thread.call({ kind: 'search', query });
      if (answer.kind !== 'search') throw new NewsmirrorError('internal', 'store', 'search-thread answered a search with no result');
      return answer.result;
    },
    async close() {
      // The index closes its connection on the thread (its checkpoint and settings) before the thread ends.
      await thread.call({ kind: 'close' });
      await thread.close();
    },
  };
}
