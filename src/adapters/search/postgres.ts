/**
 * The PostgreSQL search index: the core's CJK bigram tokens under a GIN index, with the same
 * semantics, document keys, pages and totals as the SQLite FTS5 index (both pass
 * src/adapters/search/contract). pg_trgm alone would miss two-character words such as 香港 and 朝鲜.
 *
 * A query term (core/search parseQuery) is a phrase of index tokens. The GIN index over `tokens`
 * (every distinct token, plus `*` and the first character of each CJK token, for one-character
 * queries) finds the articles holding all of a query's tokens; then each term of several tokens
 * must occur, as a phrase, in the title or in the body: a substring test on `' a  b  c '`, exact, as
 * FTS5 phrases are (a term of one token is its GIN entry, already exact).
 *
 * Newest order walks `doc` (published second × 64 + slot) downwards, as in SQLite. Relevance ranks
 * the newest `relevanceWindow` matches with BM25's term-frequency saturation and length
 * normalization, title ×10 over body; IDF is left out because every ranked article matches every term.
 * Ties go newest first. The scores are not SQLite's bm25, so two engines may order close hits differently.
 *
 * Writers take a transaction-level advisory lock, so workers indexing at once never pick the same slot.
 */
import type { Article } from '../../core/model/index.js';
import type { Clock, SearchIndex, SearchQuery, SearchResult } from '../../core/ports.js';
import { NewsmirrorError, errorMessage } from '../../core/errors.js';
import { htmlToText, isCjkChar, parseQuery, tokenizeForIndex, type ParsedQuery } from '../../core/search/index.js';
import { openMigrated, type PgClient, type PgQueryable, type PgValue } from '../store/postgres/index.js';
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
// BM25's usual constants: term-frequency saturation and the weight of length normalization.
const K1 = 1.2;
const B = 0.75;
const TITLE_WEIGHT = 10;


/** CompiledQuery is a parsed query as SQL: its WHERE clause and the parameters it numbers. */
interface CompiledQuery {
  where: string;
  params: PgValue[];
  /** Every term's phrase pattern (' a  b '), for scoring. */
  patterns: string[];
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
export async function openPostgresSearchIndex(url: string, options: PostgresSearchIndexOptions = {}): Promise<SearchIndex> {
  const clientOptions: { schema?: string; maxConnections: number } = { maxConnections: options.maxConnections ?? 2 };
  if (options.schema !== undefined) clientOptions.schema = options.schema;
  const db = await openMigrated(url, options.clock === undefined ? clientOptions : { ...clientOptions, clock: options.clock });
  return new PostgresSearchIndex(db, {
    snippetLength: options.snippetLength ?? 160,
    relevanceWindow: Math.max(1, Math.trunc(options.relevanceWindow ?? 5000)),
    exactTotalUpTo: Math.max(1, Math.trunc(Math.min(options.exactTotalUpTo ?? 10_000, Number.MAX_SAFE_INTEGER - 1))),
  });
}

class PostgresSearchIndex implements SearchIndex {
  private closed = false;

  constructor(
    private readonly db: PgClient,
    private readonly settings: { snippetLength: number; relevanceWindow: number; exactTotalUpTo: number },
  ) {}

  async index(articles: Article[]): Promise<void> {
    this.checkOpen();
    // The last copy of an id wins, as if the batch had been indexed one article at a time.
    const latest = new Map<string, Article>();
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
    const fingerprint = fingerprintOf(JSON.stringify([compiled.params, compiled.patterns, low, high, query.order]));
    const cursor = query.cursor === undefined || query.cursor === '' ? undefined : decodeCursor(query.cursor, fingerprint, query.order);

    try {
      if (high <= low) return { total: 0, hits: [] };
      const total = cursor?.t ?? (await this.countTotal(compiled, low, high));
      let docs: number[];
      let next: SearchCursor | undefined;
      if (query.order === 'newest') {
        const below = cursor?.k === undefined ? high : Math.min(high, cursor.k);
        docs = (await this.newest(compiled, low, below, limit + 1)).map((row) => row.doc);
        if (docs.length > limit) {
          docs = docs.slice(0, limit);
          next = { v: 1, f: fingerprint, t: total, k: docs[docs.length - 1] ?? 0 };
        }
      } else {
        const offset = cursor?.n ?? 0;
        // The window's newest key is fixed by the first page, so articles indexed meanwhile do not shift later pages.
        const top = cursor?.u ?? high;
        const scored = await this.scoredNewest(compiled, low, top);
        const windowTop = scored.length === 0 ? top : (scored[0]?.doc ?? top) + 1;
        scored.sort((a, b) => b.score - a.score || b.doc - a.doc);
        docs = scored.slice(offset, offset + limit + 1).map((row) => row.doc);
        if (docs.length > limit) {
          docs = docs.slice(0, limit);
          next = { v: 1, f: fingerprint, t: total, n: offset + limit, u: windowTop };
        }
      }
      const rows = new Map(
        (await this.db.query<DocRow>('SELECT doc, id, source_id, published, title, url, body FROM search_docs WHERE doc = ANY($1::bigint[])', [docs])).map((row) => [row.doc, row]),
      );
      const hits = hitsOf(docs, (doc) => rows.get(doc), parsed.highlights, this.settings.snippetLength);
      return next === undefined ? { total, hits } : { total, hits, next: encodeCursor(next) };
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

  private newest(compiled: CompiledQuery, low: number, below: number, limit: number): Promise<{ doc: number }[]> {
    const n = compiled.params.length;
    return this.db.query<{ doc: number }>(
      `SELECT doc FROM search_docs WHERE ${compiled.where} AND doc >= $${n + 1} AND doc < $${n + 2} ORDER BY doc DESC LIMIT $${n + 3}`,
      [...compiled.params, low, below, limit],
    );
  }

  /** countTotal counts matches exactly up to `exactTotalUpTo`, and estimates beyond (as the SQLite index does). */
  private async countTotal(compiled: CompiledQuery, low: number, high: number): Promise<number> {
    const cap = this.settings.exactTotalUpTo;
    const n = compiled.params.length;
    const [scan] = await this.throughGin((tx) =>
      tx.query<{ n: number; first: number | null; last: number | null }>(
        `SELECT count(*) AS n, max(doc) AS first, min(doc) AS last FROM (
           SELECT doc FROM search_docs WHERE ${compiled.where} AND doc >= $${n + 1} AND doc < $${n + 2} ORDER BY doc DESC LIMIT $${n + 3}) newest`,
        [...compiled.params, low, high, cap + 1],
      ),
    );
    if (scan === undefined || scan.n <= cap) return scan?.n ?? 0;
    const [lowest] = await this.db.query<{ low: number | null }>('SELECT min(doc) AS low FROM search_docs');
    return estimateTotal(scan, cap, Math.max(low, lowest?.low ?? low));
  }

  /** scoredNewest scores the newest `relevanceWindow` matches below `top` (see the module comment). */
  private async scoredNewest(compiled: CompiledQuery, low: number, top: number): Promise<{ doc: number; score: number }[]> {
    const n = compiled.params.length;
    // Occurrences of a pattern: how many bytes shorter the text gets without it; patterns never
    // share a space. Bytes, not characters: octet_length is constant-time, length() walks the text.
    const occurrences = (column: string, term: number): string =>
      `(octet_length(${column}) - octet_length(replace(${column}, $${n + 4 + term}::text, ''))) / octet_length($${n + 4 + term}::text)`;
    const rows = await this.throughGin((tx) => tx.query<{ doc: number; length: number; title_hits: number[]; body_hits: number[] }>(
      `SELECT doc, octet_length(body_tokens) AS length,
         ARRAY[${compiled.patterns.map((_, term) => occurrences('title_tokens', term)).join(', ')}]::int[] AS title_hits,
         ARRAY[${compiled.patterns.map((_, term) => occurrences('body_tokens', term)).join(', ')}]::int[] AS body_hits
       FROM search_docs WHERE ${compiled.where} AND doc >= $${n + 1} AND doc < $${n + 2} ORDER BY doc DESC LIMIT $${n + 3}`,
      [...compiled.params, low, top, this.settings.relevanceWindow, ...compiled.patterns],
    ));
    const average = rows.reduce((sum, row) => sum + row.length, 0) / Math.max(1, rows.length) || 1;
    return rows.map((row) => {
      const norm = 1 - B + (B * row.length) / average;
      let score = 0;
      row.title_hits.forEach((hits, term) => {
        const body = row.body_hits[term] ?? 0;
        score += (TITLE_WEIGHT * hits * (K1 + 1)) / (hits + K1) + (body * (K1 + 1)) / (body + K1 * norm);
      });
      return { doc: row.doc, score };
    });
  }

  /**
   * throughGin runs a query that reads every match (a count, a relevance window) with the GIN
   * bitmap as its only access path. The planner prices `tokens @>` on a row as one operator, but it
   * has to fetch and decompress the row's token array first (~0.1 ms, see docs/decisions.md D19):
   * walking the primary key and testing each row was 200× slower than the bitmap here.
   */
  private throughGin<T>(work: (tx: PgQueryable) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await tx.execute('SET LOCAL enable_seqscan = off');
      await tx.execute('SET LOCAL enable_indexscan = off');
      return work(tx);
    });
  }

  private checkOpen(): void {
    if (this.closed) throw new NewsmirrorError('store', 'store', 'search: the index is closed');
  }
}

/**
 * compileQuery writes a parsed query as a WHERE clause: the GIN containment of all its tokens,
 * then each term as a phrase of the title or the body. Only generated tokens reach SQL, and only
 * as parameters.
 */
function compileQuery(parsed: ParsedQuery, sources: string[]): CompiledQuery {
  const required = new Set<string>();
  const all: PgValue[] = [[]];
  const checks: string[] = [];
  const patterns: string[] = [];
  for (const term of parsed.terms) {
    const whole = term.prefix ? term.tokens.slice(0, -1) : term.tokens;
    for (const token of whole) required.add(token);
    if (term.prefix) required.add(`*${firstChar(term.tokens[term.tokens.length - 1] ?? '')}`);
    const pattern = ` ${term.tokens.join('  ')}${term.prefix ? '' : ' '}`;
    patterns.push(pattern);
    // A term of one token is exactly its GIN entry (a word, a bigram, or `*` + a character): reading
    // the row's token strings to check it again cost ~0.1 ms a row, the whole of a common term's count.
    if (term.tokens.length > 1) {
      all.push(pattern);
      checks.push(`(strpos(title_tokens, $${all.length}) > 0 OR strpos(body_tokens, $${all.length}) > 0)`);
    }
  }
  all[0] = [...required];
  const where = [`tokens @> $1::text[]`, ...checks];
  if (sources.length > 0) {
    all.push(sources);
    where.push(`source_id = ANY($${all.length}::text[])`);
  }
  return { where: where.join(' AND '), params: all, patterns };
}

/** writeChunk replaces the index rows of these articles, keeping a row's key when its second is unchanged. */
async function writeChunk(tx: PgQueryable, articles: Article[]): Promise<void> {
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
  const keeps = (article: Article): boolean => {
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
  const rows: { doc: number; article: Article; text: string }[] = [];
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
    `INSERT INTO search_docs (doc, id, source_id, published, title, url, body, title_tokens, body_tokens, tokens)
     SELECT doc, id, source_id, published, title, url, body, title_tokens, body_tokens, tokens::text[]
     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
       AS t (doc, id, source_id, published, title, url, body, title_tokens, body_tokens, tokens)`,
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
      tokens.map((token) => arrayLiteral(indexTerms(`${token.title} ${token.body}`))),
    ],
  );
}

/** padded writes a token string as ' a  b  c ': a phrase is a substring, occurrences never share a space. */
function padded(tokens: string): string {
  return tokens === '' ? ' ' : ` ${tokens.split(' ').join('  ')} `;
}

/** indexTerms is what the GIN index holds: every distinct token, and `*` + the first character of each CJK token. */
function indexTerms(tokens: string): string[] {
  const terms = new Set<string>();
  for (const token of tokens.split(' ')) {
    if (token === '') continue;
    terms.add(token);
    const first = firstChar(token);
    if (isCjkChar(first)) terms.add(`*${first}`);
  }
  return [...terms];
}

function firstChar(token: string): string {
  return String.fromCodePoint(token.codePointAt(0) ?? 0);
}

/**
 * arrayLiteral writes a text[] literal, each element quoted: `unnest` cannot take an array of
 * arrays of different lengths, so each row's array goes in as text and is cast back.
 */
function arrayLiteral(values: string[]): string {
  return `{${values.map((value) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
