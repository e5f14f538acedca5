/**
 * The PostgreSQL search index: the same semantics, document keys, pages and totals as the SQLite FTS5
 * index (both pass src/adapters/search/contract), over int8 keys under one GIN index
 * (postgres-keys.ts: CJK characters, bigrams, trigrams, words, adjacent word pairs, junctions of
 * adjacent pieces and the source, each within a time bucket). pg_trgm alone would miss
 * two-character words such as 香港 and 朝鲜.
 *
 * A query term (core/search parseQuery) needs its keys; a term that is not exactly its keys (a CJK
 * run of four or more characters, a phrase other than two short CJK runs or two words) is also
 * checked on the row: a substring test of its index tokens on `' a  b  c '`, exact, as FTS5
 * phrases are.
 *
 * GIN keeps no order, so every key carries the article's time bucket: newest first reads the newest
 * buckets (one, then as many as the matches seen say are needed) until a page is full, and a count
 * or a relevance window stops as soon as it holds enough matches, whatever the size of the archive.
 * Relevance ranks the newest `relevanceWindow` matches by how many of the query's terms the title
 * holds (each as it matches: a phrase of `title_tokens`), the newest first among equals, as the
 * SQLite index does (D28): no body is read.
 *
 * Writers take a transaction-level advisory lock, so workers indexing at once never pick the same slot.
 */
import type { Clock, IndexedArticle, SearchIndex, SearchQuery, SearchResult } from '../../core/ports.js';
import { NewsmirrorError, errorMessage } from '../../core/errors.js';
import { htmlToText, parseQuery, tokenizeForIndex, type ParsedQuery } from '../../core/search/index.js';
import { openMigrated, type PgClient, type PgQueryable, type PgValue } from '../store/postgres/index.js';
import { articleKeys, bucketDocs, bucketOf, keyAt, readFeatures, sourceBase, termKeys, widthOf } from './postgres-keys.js';
import { SLOTS, checkQuery, decodeCursor, docSecond, encodeCursor, estimateTotal, fingerprintOf, hitsOf, type DocRow, type SearchCursor } from './paging.js';

/** PostgresSearchIndexOptions configures `openPostgresSearchIndex`. */
export interface PostgresSearchIndexOptions {
  /** Schema holding the tables, the store's (created if missing); default: the connection's `search_path`. */
  schema?: string;
  /** Connections in the pool (default 2). */
  maxConnections?: number;
  /** Time source for the migration record; defaults to `Date.now`. */
  clock?: Clock;
  /** Snippet length in characters (default 160). */
  snippetLength?: number;
  /** Relevance order ranks at most this many of the newest matches (default 5,000). */
  relevanceWindow?: number;
  /** `total` is exact up to this many matches (default 10,000), estimated beyond; `Infinity` always counts. */
  exactTotalUpTo?: number;
}

/** Articles tokenized and written together inside one `index()` transaction. */
const WRITE_CHUNK = 2000;
// The advisory lock's first key: a fixed number naming "newsmirror search writes".
const WRITE_LOCK_CLASS = 0x6e6d7378;


/** CompiledTerm is one query term: its phrase pattern (' a  b '), for row checks and titles. */
interface CompiledTerm {
  pattern: string;
}

/** CompiledQuery is a parsed query as keys (without their bucket), row checks and a source filter. */
interface CompiledQuery {
  bases: number[];
  /** The narrowest bucket width of the keys: the unit a walk goes by. */
  width: number;
  terms: CompiledTerm[];
  /** Patterns that must occur in the title or the body (terms that are not exactly their keys). */
  checks: string[];
  sources: string[];
}

/** Scan is a walk over the newest matches: how many, and the keys of the first and the last. */
interface Scan {
  n: number;
  first: number | null;
  last: number | null;
}

/** SearchRefill is a refill of the search that the store still owes since a search-key migration emptied it (0011, 0013, 0016). */
export interface SearchRefill {
  /** Articles the store held when the migration emptied the search (0012, 0013, 0016). */
  articles: number;
  /** When that was, in milliseconds since the epoch. */
  since: number;
}

/**
 * PostgresSearchIndex is the PostgreSQL SearchIndex, with the marker of a refill still owed: a
 * search-key migration (0011, 0013, 0016) emptied the search of an existing store, and only
 * `newsmirror reindex` fills it again.
 */
export interface PostgresSearchIndex extends SearchIndex {
  /** refillOwed returns the owed refill, or undefined when none is (a new store, or a reindex has finished). */
  refillOwed(): Promise<SearchRefill | undefined>;
  /** refilled clears the marker: a reindex has indexed every stored article. */
  refilled(): Promise<void>;
}

/**
 * openPostgresSearchIndex opens the search tables in the store's PostgreSQL database (applying the
 * store's migrations, which create them) and returns them as a SearchIndex. Throws a `store`
 * NewsmirrorError when the server cannot be reached.
 *
 * @example
 * const search = await openPostgresSearchIndex('postgres://newsmirror@db.internal/newsmirror');
 * const page = await search.search({ q: '国安法', order: 'newest', limit: 20 });
 */
export async function openPostgresSearchIndex(url: string, options: PostgresSearchIndexOptions = {}): Promise<PostgresSearchIndex> {
  const clientOptions: { schema?: string; maxConnections: number } = { maxConnections: options.maxConnections ?? 2 };
  if (options.schema !== undefined) clientOptions.schema = options.schema;
  const db = await openMigrated(url, options.clock === undefined ? clientOptions : { ...clientOptions, clock: options.clock });
  return new PostgresSearch(db, {
    snippetLength: options.snippetLength ?? 160,
    relevanceWindow: Math.max(1, Math.trunc(options.relevanceWindow ?? 5000)),
    exactTotalUpTo: Math.max(1, Math.trunc(Math.min(options.exactTotalUpTo ?? 10_000, Number.MAX_SAFE_INTEGER - 1))),
  });
}

class PostgresSearch implements PostgresSearchIndex {
  private closed = false;

  constructor(
    private readonly db: PgClient,
    private readonly settings: { snippetLength: number; relevanceWindow: number; exactTotalUpTo: number },
  ) {}

  async index(articles: IndexedArticle[]): Promise<void> {
    this.checkOpen();
    // The last copy of an id wins, as if the batch had been indexed one article at a time.
    const latest = new Map<string, IndexedArticle>();
    for (const article of articles) {
      latest.delete(article.id);
      latest.set(article.id, article);
    }
    const unique = [...latest.values()];
    if (unique.length === 0) return;
    try {
      await this.db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1, 0)', [WRITE_LOCK_CLASS]);
        for (let start = 0; start < unique.length; start += WRITE_CHUNK) await writeChunk(tx, unique.slice(start, start + WRITE_CHUNK));
      });
    } catch (error) {
      throw new NewsmirrorError('store', 'store', `search: cannot index ${articles.length} articles: ${errorMessage(error)}`, { cause: error });
    }
  }

  async refillOwed(): Promise<SearchRefill | undefined> {
    this.checkOpen();
    const [row] = await this.db.query<SearchRefill>('SELECT articles, since FROM search_refill');
    return row;
  }

  async refilled(): Promise<void> {
    this.checkOpen();
    await this.db.execute('DELETE FROM search_refill');
  }

  async remove(articleIds: string[]): Promise<void> {
    this.checkOpen();
    if (articleIds.length === 0) return;
    try {
      await this.db.execute('DELETE FROM search_docs WHERE id = ANY($1::text[])', [articleIds]);
    } catch (error) {
      throw new NewsmirrorError('store', 'store', `search: cannot remove ${articleIds.length} articles: ${errorMessage(error)}`, { cause: error });
    }
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    this.checkOpen();
    const parsed = parseQuery(typeof query.q === 'string' ? query.q : '');
    const { limit, low, high, sources } = checkQuery(query);
    const compiled = compileQuery(parsed, sources);
    const fingerprint = fingerprintOf(JSON.stringify([compiled.bases, compiled.checks, compiled.sources, low, high, query.order]));
    const cursor = query.cursor === undefined || query.cursor === '' ? undefined : decodeCursor(query.cursor, fingerprint, query.order);

    try {
      if (high <= low) return { total: 0, hits: [] };
      // One transaction, one range lookup: every walk, count and page of this search.
      return await this.inBuckets(async (tx) => {
        const range = await readRange(tx, low, high, compiled.width);
        const page = query.order === 'newest' ? await this.newestPage(tx, compiled, range, limit, cursor) : await this.relevancePage(tx, compiled, range, limit, cursor);
        let docs = page.docs;
        let next: SearchCursor | undefined;
        if (docs.length > limit) {
          docs = docs.slice(0, limit);
          next =
            query.order === 'newest'
              ? { v: 1, f: fingerprint, t: page.total, k: docs[docs.length - 1] ?? 0 }
              : { v: 1, f: fingerprint, t: page.total, n: (cursor?.n ?? 0) + limit, u: page.windowTop ?? high };
        }
        const rows = new Map(
          (await tx.query<DocRow>('SELECT doc, id, source_id, published, title, url, body FROM search_docs WHERE doc = ANY($1::bigint[])', [docs])).map((row) => [row.doc, row]),
        );
        const hits = hitsOf(docs, (doc) => rows.get(doc), parsed.highlights, this.settings.snippetLength);
        return next === undefined ? { total: page.total, hits } : { total: page.total, hits, next: encodeCursor(next) };
      });
    } catch (error) {
      if (error instanceof NewsmirrorError && error.code === 'usage') throw error;
      throw new NewsmirrorError('store', 'store', `search: query ${JSON.stringify(query.q)} failed: ${errorMessage(error)}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.close();
  }

  /**
   * newestPage reads a page (one row more than `limit`) in newest order. A first page counts the
   * newest matches up to `exactTotalUpTo` + 1 in the same walk that finds its rows.
   */
  private async newestPage(tx: PgQueryable, compiled: CompiledQuery, range: Range | undefined, limit: number, cursor: SearchCursor | undefined): Promise<Page> {
    const high = range?.high ?? 0;
    if (cursor !== undefined) {
      const below = cursor.k === undefined ? high : Math.min(high, cursor.k);
      return { total: cursor.t, docs: (await countNewest(tx, compiled, range, below, limit + 1, limit + 1)).head };
    }
    const cap = this.settings.exactTotalUpTo;
    const together = cap >= limit;
    const scan = await countNewest(tx, compiled, range, high, cap + 1, together ? limit + 1 : 0);
    const docs = together ? scan.head : (await countNewest(tx, compiled, range, high, limit + 1, limit + 1)).head;
    return { total: totalOf(scan, cap, range), docs };
  }

  /**
   * relevancePage ranks the newest `relevanceWindow` matches below the window's top (fixed by the
   * first page, so articles indexed meanwhile do not shift later pages) and returns the page. A
   * first page counts its total in the same walk: its window is the newest part of the matches the
   * count reads (the total is the one newest order gives, SU-08).
   */
  private async relevancePage(tx: PgQueryable, compiled: CompiledQuery, range: Range | undefined, limit: number, cursor: SearchCursor | undefined): Promise<Page> {
    const top = cursor?.u ?? range?.high ?? 0;
    const offset = cursor?.n ?? 0;
    const cap = cursor === undefined ? this.settings.exactTotalUpTo + 1 : 0;
    const window = await rankWindow(tx, compiled, range, top, this.settings.relevanceWindow, cap, offset + limit + 1);
    const total = cursor?.t ?? totalOf(window.scan, this.settings.exactTotalUpTo, range);
    const windowTop = window.first === null ? top : window.first + 1;
    return { total, docs: window.ranked.slice(offset, offset + limit + 1), windowTop };
  }

  /**
   * inBuckets runs a search's bucket queries in one transaction without sequential scans, so that
   * (with `doc + 0`, see matchSql) the GIN bitmap is the only way to the matches. The planner prices
   * `keys @>` on a row as one operator, but a row must first fetch and decompress its key array
   * from TOAST (see docs/decisions.md D19): testing each row was 200× slower than the bitmap.
   * Nor with parallel workers: a walk's query reads at most a few thousand heap pages, and starting
   * the workers cost more than they saved (朝鲜 at 1,000,000 articles: 65–80 ms with two, 27–32
   * without; D29).
   */
  private inBuckets<T>(work: (tx: PgQueryable) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await tx.execute("SELECT set_config('enable_seqscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)");
      return work(tx);
    });
  }

  private checkOpen(): void {
    if (this.closed) throw new NewsmirrorError('store', 'store', 'search: the index is closed');
  }
}

/** A walk that finds nothing reads 4, then 16, then 64 times more buckets: a rare term's walk over ten years takes four queries. */
const GROWTH = 4;
const MAX_GROUP = 64;

/** Range is a search's key range, and the newest and oldest bucket (of the query's width) holding an article in it. */
interface Range {
  low: number;
  high: number;
  top: number;
  bottom: number;
  /** The lowest document key in range (the bottom of a total's estimate). */
  lowest: number;
  /** The highest document key in range: the newest bucket holds nothing above it. */
  highest: number;
}

/** Page is what a search reads before its rows: the total, the page's keys (one more than the limit), the relevance window's top. */
interface Page {
  total: number;
  docs: number[];
  windowTop?: number;
}

/** readRange looks up the newest and oldest article in [low, high) (two primary-key probes). */
async function readRange(tx: PgQueryable, low: number, high: number, width: number): Promise<Range | undefined> {
  const [row] = await tx.query<{ first: number | null; last: number | null }>('SELECT max(doc) AS first, min(doc) AS last FROM search_docs WHERE doc >= $1 AND doc < $2', [low, high]);
  if (row === undefined || row.first === null || row.last === null) return undefined;
  return { low, high, top: bucketOf(row.first, width), bottom: bucketOf(row.last, width), lowest: row.last, highest: row.first };
}

/**
 * walk runs `read` over the buckets below `below`, newest first, until it has `need` rows: one
 * bucket, then as many as the matches seen so far say are needed (a quarter more), or GROWTH times
 * more when none were found. The density is taken over the keys the buckets read actually span
 * (the newest bucket is cut at the newest article, or at `below`): counted by whole buckets, a
 * newest bucket a third full made the next group read half again the rows it needed (14,156 for
 * 9,453 of 香港 at 100,000 articles). A group's query sorts all its matches, so too large a group
 * reads rows that are never used, and too small one costs a round trip.
 */
async function walk(compiled: CompiledQuery, range: Range | undefined, below: number, need: number, read: (sql: string, params: PgValue[], wanted: number) => Promise<number>): Promise<void> {
  if (range === undefined || below <= range.low) return;
  const span = bucketDocs(compiled.width);
  let got = 0;
  let seen = 0;
  let size = 1;
  for (let top = Math.min(range.top, bucketOf(below - 1, compiled.width)); top >= range.bottom && got < need; ) {
    const bottom = Math.max(range.bottom, top - size + 1);
    const { sql, params } = matchSql(compiled, top, bottom, range.low, below);
    const found = await read(sql, params, need - got);
    got += found;
    seen += Math.max(1, Math.min(below, range.highest + 1, (top + 1) * span) - Math.max(range.low, bottom * span));
    top = bottom - 1;
    size = got === 0 ? Math.min(size * GROWTH, MAX_GROUP) : Math.max(1, Math.min(MAX_GROUP, Math.ceil((1.25 * (need - got) * seen) / (got * span))));
  }
}

/**
 * countNewest counts the newest matches below `below`, at most `need`, with the first and last
 * keys and the first `headSize` keys.
 */
async function countNewest(tx: PgQueryable, compiled: CompiledQuery, range: Range | undefined, below: number, need: number, headSize: number): Promise<Scan & { head: number[] }> {
  const scan: Scan & { head: number[] } = { n: 0, first: null, last: null, head: [] };
  await walk(compiled, range, below, need, async (sql, params, wanted) => {
    params.push(wanted, Math.max(0, headSize - scan.head.length));
    const [found] = await tx.query<Scan & { head: (string | number)[] | null }>(
      `SELECT count(*) AS n, max(doc) AS first, min(doc) AS last, (array_agg(doc ORDER BY doc DESC))[1:$${params.length}] AS head
       FROM (SELECT doc FROM search_docs WHERE ${sql} ORDER BY doc + 0 DESC LIMIT $${params.length - 1}) newest`,
      params,
    );
    if (found === undefined || found.n === 0) return 0;
    scan.n += found.n;
    scan.first ??= found.first;
    scan.last = found.last;
    scan.head.push(...(found.head ?? []).map(Number));
    return found.n;
  });
  return scan;
}

/** Window is a relevance window: the first `keep` keys by rank, its newest key, and the count walked beside it. */
interface Window {
  ranked: number[];
  first: number | null;
  scan: Scan;
}

/**
 * rankWindow walks the newest matches below `below` as far as a window of `size` and a count of
 * `count` need, and ranks the window in the server: by how many of the query's terms the title
 * holds (`strpos` of each term's pattern in the inline `title_tokens`, scored before the sort so
 * that the sort moves a key and a score, not the title tokens), then newest first. Each group of
 * buckets sends its count and its own first `keep` by rank, not its rows: the window's first
 * `keep` are among them.
 */
async function rankWindow(tx: PgQueryable, compiled: CompiledQuery, range: Range | undefined, below: number, size: number, count: number, keep: number): Promise<Window> {
  // Literals, not parameters: the generated patterns are the same in every group's query.
  const inTitle = compiled.terms.map(({ pattern }) => `(strpos(title_tokens, ${sqlString(pattern)}) > 0)::int`).join(' + ');
  const scan: Scan = { n: 0, first: null, last: null };
  const ranked: { doc: number; score: number }[] = [];
  let first: number | null = null;
  let got = 0;
  await walk(compiled, range, below, Math.max(size, count), async (sql, params, wanted) => {
    params.push(wanted, Math.max(0, size - got), Math.max(0, count - got), keep);
    const [w, c, k] = [params.length - 2, params.length - 1, params.length];
    const [found] = await tx.query<{ found: number; n: number; first: number | null; last: number | null; docs: (string | number)[] | null; scores: number[] | null }>(
      `SELECT count(*) AS found, count(*) FILTER (WHERE rn <= $${c}) AS n, max(d) AS first, min(d) FILTER (WHERE rn <= $${c}) AS last,
         (array_agg(d ORDER BY score DESC, d DESC) FILTER (WHERE rn <= $${w}))[1:$${k}] AS docs,
         (array_agg(score ORDER BY score DESC, d DESC) FILTER (WHERE rn <= $${w}))[1:$${k}] AS scores
       FROM (SELECT d, score, row_number() OVER (ORDER BY d DESC) AS rn
             FROM (SELECT doc + 0 AS d, ${inTitle} AS score FROM search_docs WHERE ${sql} ORDER BY doc + 0 DESC LIMIT $${w - 1}) newest) numbered`,
      params,
    );
    if (found === undefined || found.found === 0) return 0;
    if (got < size) first ??= found.first;
    if (found.n > 0) {
      scan.n += found.n;
      scan.first ??= found.first;
      scan.last = found.last;
    }
    const scores = found.scores ?? [];
    (found.docs ?? []).forEach((doc, at) => ranked.push({ doc: Number(doc), score: scores[at] ?? 0 }));
    got += found.found;
    return found.found;
  });
  ranked.sort((a, b) => b.score - a.score || b.doc - a.doc);
  return { ranked: ranked.slice(0, keep).map((row) => row.doc), first, scan };
}

/** totalOf is a capped count as a total: exact up to `cap`, estimated beyond (paging.ts estimateTotal). */
function totalOf(scan: Scan, cap: number, range: Range | undefined): number {
  if (scan.n <= cap || range === undefined) return scan.n;
  return estimateTotal(scan, cap, Math.max(range.low, range.lowest));
}

/** finestWidth is the narrowest bucket width among some features' kinds. */
function finestWidth(bases: readonly number[]): number {
  return Math.min(...bases.map(widthOf));
}

/**
 * keysMatch writes "holds all of `bases`, in the buckets of these anchors" (document keys, one per
 * bucket of the bases' finest width) and pushes its parameters: several features with buckets are
 * one scan per anchor (`@>` of every key, ORed); else the keys that are the same at every anchor
 * are one `@>` and one feature's buckets one `&&`, both in the same GIN scan.
 */
function keysMatch(bases: readonly number[], anchors: readonly number[], params: PgValue[]): string {
  const constant: string[] = [];
  const bucketed: number[] = [];
  for (const base of bases) {
    const keys = new Set(anchors.map((doc) => keyAt(base, doc)));
    if (keys.size === 1) constant.push(...keys);
    else bucketed.push(base);
  }
  if (bucketed.length > 1) {
    // Every key in every arm: a condition beside an OR of arms became the bitmap, and the arms a
    // filter on each candidate row, which reads its keys from TOAST (7.6 s for 130 matches at 10,000).
    const arms = anchors.map((doc) => {
      params.push(bases.map((base) => keyAt(base, doc)));
      return `keys @> $${params.length}::int8[]`;
    });
    return `(${arms.join(' OR ')})`;
  }
  // One GIN scan with both conditions: the keys that are the same at every anchor (a trigram: one
  // bucket for all time) are read once, and one feature's buckets are one `&&`.
  const where: string[] = [];
  if (constant.length > 0) {
    params.push(constant);
    where.push(`keys @> $${params.length}::int8[]`);
  }
  const base = bucketed[0];
  if (base !== undefined) {
    params.push([...new Set(anchors.map((doc) => keyAt(base, doc)))]);
    where.push(`keys && $${params.length}::int8[]`);
  }
  return where.length === 0 ? 'false' : where.join(' AND ');
}

/**
 * matchSql writes the WHERE clause of a query over its buckets `top` down to `bottom` (of the
 * query's width) within [low, below), with its parameters.
 */
function matchSql(compiled: CompiledQuery, top: number, bottom: number, low: number, below: number): { sql: string; params: PgValue[] } {
  const span = bucketDocs(compiled.width);
  const params: PgValue[] = [Math.max(low, bottom * span), Math.min(below, (top + 1) * span)];
  const anchors: number[] = [];
  for (let bucket = top; bucket >= bottom; bucket--) anchors.push(bucket * span);
  // `doc + 0` (here and in ORDER BY): bounds and an order the primary key cannot serve, so the
  // planner never walks a bucket's rows by key testing each row's keys (a fetch from TOAST per row:
  // 1,587 rows for 539 matches in 774 ms at 5,000 articles); the GIN bitmap is the only way in.
  const where = [keysMatch(compiled.bases, anchors, params), 'doc + 0 >= $1', 'doc + 0 < $2'];
  for (const pattern of compiled.checks) {
    params.push(pattern);
    where.push(`(strpos(title_tokens, $${params.length}) > 0 OR strpos(body_tokens, $${params.length}) > 0)`);
  }
  if (compiled.sources.length > 0) {
    params.push(compiled.sources);
    where.push(`source_id = ANY($${params.length}::text[])`);
  }
  return { sql: where.join(' AND '), params };
}

/** sqlString quotes a generated token pattern as an SQL literal. */
function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * compileQuery turns a parsed query into keys, row checks for terms that are not exactly their
 * keys, and a source filter. Only generated tokens and numbers reach SQL.
 */
function compileQuery(parsed: ParsedQuery, sources: string[]): CompiledQuery {
  const bases = new Set<number>();
  const terms: CompiledTerm[] = [];
  const checks: string[] = [];
  for (const term of parsed.terms) {
    const keys = termKeys(term);
    for (const base of keys.bases) bases.add(base);
    const pattern = ` ${term.tokens.join('  ')}${term.prefix ? '' : ' '}`;
    terms.push({ pattern });
    if (!keys.exact) checks.push(pattern);
  }
  // One source is one more key of the GIN scan (a filtered count then reads only that source's
  // matches); several stay a filter on the rows. The filter stays either way: keys are hashes.
  if (sources.length === 1) bases.add(sourceBase(sources[0] ?? ''));
  return { bases: [...bases], width: finestWidth([...bases]), terms, checks, sources };
}

/** writeChunk replaces the index rows of these articles, keeping a row's key when its second is unchanged. */
async function writeChunk(tx: PgQueryable, articles: IndexedArticle[]): Promise<void> {
  const found = new Map(
    (await tx.query<{ id: string; doc: number }>('SELECT id, doc FROM search_docs WHERE id = ANY($1::text[])', [articles.map((article) => article.id)])).map((row) => [row.id, row.doc]),
  );
  const taken = new Map<number, number>();
  const lastInSecond = async (second: number): Promise<number | null> => {
    if (!taken.has(second)) {
      const [row] = await tx.query<{ last: number | null }>('SELECT max(doc) AS last FROM search_docs WHERE doc >= $1 AND doc < $2', [second * SLOTS, (second + 1) * SLOTS]);
      taken.set(second, row?.last ?? -1);
    }
    const last = taken.get(second) ?? -1;
    return last === -1 ? null : last;
  };
  // Rows that move to another second go first; rows that keep their key stay until the insert, so no slot search can take it.
  const keeps = (article: IndexedArticle): boolean => {
    const previous = found.get(article.id);
    return previous !== undefined && Math.floor(previous / SLOTS) === docSecond(article.published);
  };
  await tx.execute('DELETE FROM search_docs WHERE id = ANY($1::text[])', [articles.filter((article) => found.has(article.id) && !keeps(article)).map((article) => article.id)]);
  // The last key of every second of the chunk in one query; an earlier second is looked up only when one overflows.
  const seconds = [...new Set(articles.map((article) => docSecond(article.published)))];
  for (const row of await tx.query<{ second: number; last: number | null }>(
    'SELECT s AS second, (SELECT max(doc) FROM search_docs WHERE doc >= s * $2 AND doc < (s + 1) * $2) AS last FROM unnest($1::bigint[]) AS s',
    [seconds, SLOTS],
  )) {
    taken.set(row.second, row.last ?? -1);
  }
  const rows: { doc: number; article: IndexedArticle; text: string }[] = [];
  for (const article of articles) {
    const second = docSecond(article.published);
    let doc: number | undefined = keeps(article) ? found.get(article.id) : undefined;
    // A free slot in this second, or in the nearest earlier second with room left.
    for (let at = second; doc === undefined && at > second - 1_000_000; at--) {
      const last = await lastInSecond(at);
      if (last === null) doc = at * SLOTS;
      else if (last + 1 < (at + 1) * SLOTS) doc = last + 1;
      if (doc !== undefined) taken.set(at, doc);
    }
    if (doc === undefined) throw new NewsmirrorError('store', 'store', `search: no free index slot near published second ${second}`);
    rows.push({ doc, article, text: htmlToText(article.bodyHtml) });
  }
  await tx.execute('DELETE FROM search_docs WHERE id = ANY($1::text[])', [articles.filter(keeps).map((article) => article.id)]);
  const tokens = rows.map(({ article, text }) => ({ title: tokenizeForIndex(article.title), body: tokenizeForIndex(text) }));
  await tx.execute(
    `INSERT INTO search_docs (doc, id, source_id, published, title, url, body, title_tokens, body_tokens, keys)
     SELECT doc, id, source_id, published, title, url, body, title_tokens, body_tokens, keys::int8[]
     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
       AS t (doc, id, source_id, published, title, url, body, title_tokens, body_tokens, keys)`,
    [
      rows.map((row) => row.doc),
      rows.map((row) => row.article.id),
      rows.map((row) => row.article.sourceId),
      rows.map((row) => (Number.isFinite(row.article.published) ? Math.trunc(row.article.published) : 0)),
      rows.map((row) => row.article.title),
      rows.map((row) => row.article.url),
      rows.map((row) => row.text),
      tokens.map((token) => padded(token.title)),
      tokens.map((token) => padded(token.body)),
      rows.map((row) => `{${articleKeys(readFeatures(row.article.title, row.text, row.article.sourceId), row.doc).join(',')}}`),
    ],
  );
}

/** padded writes a token string as ' a  b  c ': a phrase is a substring, occurrences never share a space. */
function padded(tokens: string): string {
  return tokens === '' ? ' ' : ` ${tokens.split(' ').join('  ')} `;
}
