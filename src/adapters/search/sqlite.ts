/**
 * The SQLite search index: FTS5 over CJK bigram tokens, in the same file as the store.
 *
 * Tables (all prefixed `search_`, created with IF NOT EXISTS, so opening is idempotent):
 * - `search_docs`: one row per article: its id, source, published time, title, URL and plain text
 *   (for snippets). Its integer key `doc` is also the FTS rowid.
 * - `search_fts`: a contentless FTS5 table (the text lives once, in search_docs; contentless_delete
 *   lets rows be replaced and removed) with columns `title`, `body` (tokens from core/search) and
 *   `tags` (one token per source, so a source filter is part of the MATCH and stays in the index).
 * - `search_titles`: the title tokens again with the tags (contentless too), for relevance's title terms.
 *
 * An FTS5 table that is missing or of an earlier schema is made and filled from search_docs when the
 * index is opened (search_titles in an index of before it: one tokenization of every title, about a
 * minute at 1,000,000 articles), so an index upgrades in place and never needs a reindex.
 *
 * Ordering trick: `doc` = published second × 64 + a slot for articles of the same second (a 65th
 * goes to the nearest earlier second with room). FTS5 walks a match in rowid order and stops at
 * LIMIT, so "newest first" never reads or sorts the whole match, a date range is a rowid range,
 * and the newest-order cursor is a rowid. Articles of one second come out in reverse insertion
 * order. Seconds, not milliseconds: FTS5 stores rowid deltas as varints, and ms × 1024 made the
 * index twice as large (≈ 2 more bytes per posting) as it is now. Relevance order ranks the newest
 * `relevanceWindow` matches (default 5,000) by how many of the query's terms their title holds,
 * newest first among equals (decisions D28): one MATCH per term on search_titles over the window's
 * rowid range, checked against the window's rowids in memory. bm25() was not kept: its IDF reads
 * every match of every term in the whole index before scoring the first row (~60 ms for 香港 at
 * 1,000,000 articles).
 *
 * `total` is counted on the first page, exactly up to `exactTotalUpTo` matches (10,000) and
 * estimated beyond; later pages carry it in their cursor (paging never repeats the count, and the
 * total of a paged result stays fixed).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { IndexedArticle, SearchIndex, SearchQuery, SearchResult } from '../../core/ports.js';
import { NewsmirrorError, errorMessage } from '../../core/errors.js';
import { htmlToText, parseQuery, tokenizeForIndex, type IndexText, type ParsedQuery } from '../../core/search/index.js';
import { compileFts5Match, compileFts5Phrase, fts5String } from './fts5.js';
import { SLOTS, checkQuery, decodeCursor, docSecond, encodeCursor, estimateTotal, fingerprintOf, hitsOf, type DocRow, type SearchCursor } from './paging.js';

/** SqliteSearchIndexOptions configures `openSqliteSearchIndex`. */
export interface SqliteSearchIndexOptions {
  /** Snippet length in characters (default 160). */
  snippetLength?: number;
  /** When a path is given: how long a writer waits for another connection's lock, in ms (default 5,000). */
  busyTimeoutMs?: number;
  /**
   * Relevance order ranks at most this many of the newest matches (default 5,000): the best of
   * recent articles, with `total` still counting every match.
   */
  relevanceWindow?: number;
  /**
   * `total` is exact up to this many matches (default 10,000). Beyond it, it is estimated from how
   * densely the newest matches fill the time range, rounded to three significant digits: an exact
   * COUNT reads every match, ~20–60 ms per common term at 1,000,000 articles (see bench/search.ts).
   * `Infinity` always counts exactly.
   */
  exactTotalUpTo?: number;
  /**
   * Told before an FTS5 table is built anew from `search_docs` on this open (the first open after an
   * upgrade that changed or added one), with the number of documents: about a minute a million, in
   * one write transaction that other connections to the file wait for.
   */
  onRebuild?: (table: string, documents: number) => void;
  /**
   * The caller is about to index many articles (a new archive, a whole reindex): FTS5 stops merging
   * its segments after every write (it merges 64 at a time only when a level fills up), and
   * `close()` merges the whole index into one segment. Searching during the load works, over more
   * segments. An index left in this mode by a load that died is put back on its next ordinary open.
   */
  bulkLoad?: boolean;
}

/** Articles tokenized and inserted together inside one `index()` transaction. */
const WRITE_CHUNK = 2000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS search_docs (
  doc INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  source_id TEXT NOT NULL,
  published INTEGER NOT NULL,
  title TEXT NOT NULL,
  url TEXT NOT NULL,
  body TEXT NOT NULL
) STRICT;
`;

/** FtsTable is one FTS5 table of the index: its schema, and how a row of search_docs becomes its row. */
interface FtsTable {
  name: 'search_fts' | 'search_titles';
  sql: string;
  /** The columns of search_docs one row is made of. */
  from: string;
  insert: string;
  /** The values after the rowid, from the row and its tokens. */
  values(row: SourceRow, tokens: RowTokens): string[];
}

/** SourceRow is what an FTS5 row is made of: a search_docs row, or an article being indexed. */
interface SourceRow {
  source_id: string;
  title: string;
  body: string;
}

/** RowTokens is the tokens of a row's title and body (its plain text), made once for every FTS5 table. */
type RowTokens = Pick<IndexText, 'titleTokens' | 'bodyTokens'>;

function tokensOf(row: SourceRow): RowTokens {
  return { titleTokens: tokenizeForIndex(row.title), bodyTokens: tokenizeForIndex(row.body) };
}

// Tokens come from core/search already split, folded and space-separated, so the tokenizer only
// has to split on spaces: FTS5's 'ascii' tokenizer keeps every non-ASCII character inside a token,
// folds nothing beyond ASCII case, and indexed 50 % faster than unicode61 here.
// prefix='1' keeps a second doclist per first character (FTS5 counts prefix lengths in characters):
// a one-character query `"港" *` reads that one doclist lazily in rowid order, where without it
// FTS5 merged the whole doclist of every token starting with 港 (811 ms at 1,000,000 articles).
const FTS: FtsTable = {
  name: 'search_fts',
  sql: `CREATE VIRTUAL TABLE search_fts USING fts5(
  title, body, tags,
  content='', contentless_delete=1,
  tokenize='ascii', prefix='1'
)`,
  from: 'source_id, title, body',
  insert: 'INSERT INTO search_fts (rowid, title, body, tags) VALUES (?, ?, ?, ?)',
  values: (row, tokens) => [tokens.titleTokens, tokens.bodyTokens, sourceTag(row.source_id)],
};

// The titles again, with the source tags: relevance counts the query's terms in the titles of its
// window, and a title term's doclist here is ~2 % of the postings of search_fts's, where a `{title}`
// column filter on search_fts walks every body match of the term in the window and decodes its
// positions (decisions D28). The tags let a source filter stay in the MATCH here too.
const TITLES: FtsTable = {
  name: 'search_titles',
  sql: `CREATE VIRTUAL TABLE search_titles USING fts5(
  title, tags,
  content='', contentless_delete=1,
  tokenize='ascii', prefix='1'
)`,
  from: 'source_id, title',
  insert: 'INSERT INTO search_titles (rowid, title, tags) VALUES (?, ?, ?)',
  values: (row, tokens) => [tokens.titleTokens, sourceTag(row.source_id)],
};

const FTS_TABLES = [FTS, TITLES];

// better-sqlite3 binds every JavaScript number as a REAL, and FTS5 takes a rowid bound only when it
// is an INTEGER (fts5GetRowidLimit): a REAL bound reaches it as no bound at all, so a walk started at
// the newest posting and SQLite dropped every row above the range one by one (国安法 in 2020: 26 ms
// for 21 rows at 1,000,000 articles, 1 ms with the cast).
const IN_RANGE = 'rowid >= CAST(? AS INTEGER) AND rowid < CAST(? AS INTEGER)';

/** MatchScan is a walk over the newest matches: how many it read, and the first (newest) and last keys. */
interface MatchScan {
  n: number;
  first: number | null;
  last: number | null;
}

/**
 * openSqliteSearchIndex opens the search tables in a SQLite database (a file path, created with
 * its folder if needed and switched to WAL, or an open better-sqlite3 connection that the caller
 * keeps and closes) and returns them as a SearchIndex. Throws a `store` NewsmirrorError when the
 * database cannot be opened or lacks FTS5.
 *
 * @example
 * const search = openSqliteSearchIndex('data/newsmirror.db');
 * await search.index(articles);
 * const page = await search.search({ q: '国安法', order: 'newest', limit: 20 });
 */
export function openSqliteSearchIndex(database: string | Database.Database, options: SqliteSearchIndexOptions = {}): SearchIndex {
  let db: Database.Database;
  const owned = typeof database === 'string';
  if (typeof database === 'string') {
    try {
      if (database !== ':memory:' && database !== '') mkdirSync(dirname(database), { recursive: true });
      db = new Database(database);
      db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    } catch (error) {
      throw new NewsmirrorError('store', 'store', `cannot open SQLite database ${database} for search: ${errorMessage(error)}`, { cause: error });
    }
  } else {
    db = database;
  }
  try {
    createSchema(db, options.onRebuild);
    for (const table of FTS_TABLES) setMerging(db, table, options.bulkLoad === true ? BULK_MERGING : USUAL_MERGING);
    return new SqliteSearchIndex(db, owned, options.bulkLoad === true, {
      snippetLength: options.snippetLength ?? 160,
      relevanceWindow: Math.max(1, Math.trunc(options.relevanceWindow ?? 5000)),
      exactTotalUpTo: Math.max(1, Math.trunc(Math.min(options.exactTotalUpTo ?? 10_000, Number.MAX_SAFE_INTEGER - 1))),
    });
  } catch (error) {
    if (owned) db.close();
    if (error instanceof NewsmirrorError) throw error;
    throw new NewsmirrorError('store', 'store', `cannot create the search tables: ${errorMessage(error)}`, { cause: error });
  }
}

/**
 * createSchema creates what is missing; an FTS5 table that is missing (search_titles in an index of
 * before it) or of an earlier schema (search_fts before prefix='1') is made anew and filled from
 * search_docs, which keeps every indexed text, in the same transaction.
 */
function createSchema(db: Database.Database, onRebuild: SqliteSearchIndexOptions['onRebuild']): void {
  db.transaction(() => {
    db.exec(SCHEMA);
    for (const table of FTS_TABLES) {
      const existing = db.prepare<[string], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(table.name);
      if (existing?.sql === table.sql) continue;
      if (existing !== undefined) db.exec(`DROP TABLE ${table.name}`);
      const documents = (db.prepare('SELECT count(*) AS n FROM search_docs').get() as { n: number }).n;
      if (documents > 0) onRebuild?.(table.name, documents);
      db.exec(table.sql);
      // FTS5 writes a new segment whenever 1 MB of terms is pending (its default); at 8 MB a bulk
      // index builds fewer, larger segments and ran 20–25 % faster here (32 MB was no better).
      db.exec(`INSERT INTO ${table.name}(${table.name}, rank) VALUES ('hashsize', 8388608)`);
      reindexDocs(db, table);
    }
  }).immediate();
}

/** Merging is FTS5's settings: `automerge` (0: none after a write) and `crisismerge` (segments of one level that force a merge). */
interface Merging {
  automerge: number;
  crisismerge: number;
}

// FTS5's defaults: after each write, merge some pages of any level that holds 4 segments.
const USUAL_MERGING: Merging = { automerge: 4, crisismerge: 16 };
// A bulk load rewrites every posting once per level it passes through, so it merges 64 segments at a
// time, only when a level fills, then everything once at the end: 40,000 articles' FTS5 rows took a
// fifth less CPU that way (26.7 s with the final merge, against 33.6 s merging after every write).
const BULK_MERGING: Merging = { automerge: 0, crisismerge: 64 };

/** setMerging stores FTS5's merge settings in a table of the index, when they differ from what it holds. */
function setMerging(db: Database.Database, table: FtsTable, merging: Merging): void {
  const held = new Map(db.prepare<[], { k: string; v: number }>(`SELECT k, v FROM ${table.name}_config WHERE k IN ('automerge', 'crisismerge')`).all().map((row) => [row.k, row.v]));
  db.transaction(() => {
    for (const [key, value] of Object.entries(merging)) {
      // FTS5 refuses a bound key ("SQL logic error"); every part comes from the constants above.
      if ((held.get(key) ?? USUAL_MERGING[key as keyof Merging]) !== value) db.exec(`INSERT INTO ${table.name}(${table.name}, rank) VALUES ('${key}', ${Math.trunc(value)})`);
    }
  })();
}

/** optimize merges every segment of a table into one: a fresh bulk load then reads one doclist per token. */
function optimize(db: Database.Database, table: FtsTable): void {
  db.exec(`INSERT INTO ${table.name}(${table.name}) VALUES ('optimize')`);
}

/**
 * reindexDocs writes every row of search_docs into a new, empty FTS5 table, in rowid order (one
 * segment per pending flush), with the merging of a bulk load. An empty search_docs costs one query.
 */
function reindexDocs(db: Database.Database, table: FtsTable): void {
  if (db.prepare('SELECT 1 FROM search_docs LIMIT 1').get() === undefined) return;
  setMerging(db, table, BULK_MERGING);
  const insert = db.prepare<unknown[]>(table.insert);
  // Pages, not one iterate(): better-sqlite3 refuses other statements while a cursor is open.
  const page = db.prepare<[number, number], SourceRow & { doc: number }>(`SELECT doc, ${table.from} FROM search_docs WHERE doc > ? ORDER BY doc LIMIT ?`);
  for (let after = Number.MIN_SAFE_INTEGER; ; ) {
    const rows = page.all(after, WRITE_CHUNK);
    // search_docs is read for this table's columns only: search_titles's rows have no body to tokenize.
    for (const row of rows) insert.run(row.doc, ...table.values(row, { titleTokens: tokenizeForIndex(row.title), bodyTokens: table === FTS ? tokenizeForIndex(row.body) : '' }));
    const last = rows[rows.length - 1];
    if (last === undefined) break;
    after = last.doc;
  }
  optimize(db, table);
  setMerging(db, table, USUAL_MERGING);
}

class SqliteSearchIndex implements SearchIndex {
  private readonly selectDoc;
  private readonly selectDocByKey;
  private readonly lastSlot;
  private readonly insertDoc;
  private readonly updateDoc;
  private readonly deleteDoc;
  /** One insert and one delete by rowid for each FTS5 table, so every write path keeps them all in step. */
  private readonly ftsWrites;
  private readonly countMatches;
  private readonly lowestDoc;
  private readonly newestMatches;
  private readonly windowDocs;
  private readonly titleMatches;
  private readonly writeBatch: Database.Transaction<(articles: IndexedArticle[], texts: readonly (IndexText | undefined)[] | undefined) => void>;
  private readonly removeBatch: Database.Transaction<(ids: string[]) => void>;
  private closed = false;

  constructor(
    private readonly db: Database.Database,
    private readonly owned: boolean,
    private readonly bulkLoad: boolean,
    private readonly settings: { snippetLength: number; relevanceWindow: number; exactTotalUpTo: number },
  ) {
    this.selectDoc = db.prepare<[string], { doc: number }>('SELECT doc FROM search_docs WHERE id = ?');
    this.selectDocByKey = db.prepare<[number], DocRow>('SELECT doc, id, source_id, published, title, url, body FROM search_docs WHERE doc = ?');
    this.lastSlot = db.prepare<[number, number], { last: number | null }>('SELECT max(doc) AS last FROM search_docs WHERE doc >= ? AND doc < ?');
    this.insertDoc = db.prepare<[number, string, string, number, string, string, string]>(
      'INSERT INTO search_docs (doc, id, source_id, published, title, url, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.updateDoc = db.prepare<[string, number, string, string, string, number]>(
      'UPDATE search_docs SET source_id = ?, published = ?, title = ?, url = ?, body = ? WHERE doc = ?',
    );
    this.deleteDoc = db.prepare<[number]>('DELETE FROM search_docs WHERE doc = ?');
    this.ftsWrites = FTS_TABLES.map((table) => ({
      table,
      insert: db.prepare<unknown[]>(table.insert),
      remove: db.prepare<[number]>(`DELETE FROM ${table.name} WHERE rowid = ?`),
    }));
    // Counting the newest matches in rowid order stops after the limit, whatever the match's size.
    this.countMatches = db.prepare<[string, number, number, number], MatchScan>(
      `SELECT count(*) AS n, max(doc) AS first, min(doc) AS last FROM (SELECT rowid AS doc FROM search_fts WHERE search_fts MATCH ? AND ${IN_RANGE} ORDER BY rowid DESC LIMIT ?)`,
    );
    this.lowestDoc = db.prepare<[], { low: number | null }>('SELECT min(doc) AS low FROM search_docs');
    // FTS5 consumes ORDER BY rowid and stops at LIMIT, so this never reads the whole match.
    this.newestMatches = db.prepare<[string, number, number, number], { doc: number }>(
      `SELECT rowid AS doc FROM search_fts WHERE search_fts MATCH ? AND ${IN_RANGE} ORDER BY rowid DESC LIMIT ?`,
    );
    this.windowDocs = db.prepare<[string, number, number, number], number>(
      `SELECT rowid FROM search_fts WHERE search_fts MATCH ? AND ${IN_RANGE} ORDER BY rowid DESC LIMIT ?`,
    ).pluck();
    this.titleMatches = db.prepare<[string, number, number], number>(`SELECT rowid FROM search_titles WHERE search_titles MATCH ? AND ${IN_RANGE}`).pluck();
    this.writeBatch = db.transaction((articles: IndexedArticle[], texts: readonly (IndexText | undefined)[] | undefined) => {
      // The last copy of an id wins, as if the batch had been indexed one article at a time.
      const latest = new Map<string, { article: IndexedArticle; text: IndexText | undefined }>();
      articles.forEach((article, index) => {
        latest.delete(article.id);
        latest.set(article.id, { article, text: texts?.[index] });
      });
      const unique = [...latest.values()];
      // Texts and tokens are held in memory only a chunk at a time, so a whole-archive reindex fits in RAM.
      for (let start = 0; start < unique.length; start += WRITE_CHUNK) {
        const rows = unique.slice(start, start + WRITE_CHUNK).map(({ article, text }) => ({ ...this.write(article, text?.text), text }));
        // FTS5 flushes its pending terms whenever a rowid is not above the previous one; in rowid
        // order a chunk goes into one segment (2.5× faster on a backfill in random order).
        rows.sort((a, b) => a.doc - b.doc);
        for (const row of rows) {
          const tokens = row.text ?? tokensOf(row);
          for (const { table, insert } of this.ftsWrites) insert.run(row.doc, ...table.values(row, tokens));
        }
      }
    });
    this.removeBatch = db.transaction((ids: string[]) => {
      for (const id of ids) {
        const found = this.selectDoc.get(id);
        if (found === undefined) continue;
        this.removeFts(found.doc);
        this.deleteDoc.run(found.doc);
      }
    });
  }

  async index(articles: IndexedArticle[], texts?: readonly (IndexText | undefined)[]): Promise<void> {
    this.checkOpen();
    try {
      this.writeBatch.immediate(articles, texts);
    } catch (error) {
      throw new NewsmirrorError('store', 'store', `search: cannot index ${articles.length} articles: ${errorMessage(error)}`, { cause: error });
    }
  }

  async remove(articleIds: string[]): Promise<void> {
    this.checkOpen();
    try {
      this.removeBatch.immediate(articleIds);
    } catch (error) {
      throw new NewsmirrorError('store', 'store', `search: cannot remove ${articleIds.length} articles: ${errorMessage(error)}`, { cause: error });
    }
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    this.checkOpen();
    const parsed = parseQuery(typeof query.q === 'string' ? query.q : '');
    const { limit, low, high, sources } = checkQuery(query);

    // No column filter, here or on search_titles: it makes FTS5 decode every match's positions
    // (counts were ~6× slower), and user terms cannot match the tags column, whose tokens start
    // with a character they never hold.
    const sourceClause = sources.length === 0 ? undefined : `(${sources.map((id) => fts5String(sourceTag(id))).join(' OR ')})`;
    const match = sourceClause === undefined ? compileFts5Match(parsed) : `${compileFts5Match(parsed)} AND ${sourceClause}`;
    const fingerprint = fingerprintOf(JSON.stringify([match, low, high, query.order]));
    const cursor = query.cursor === undefined || query.cursor === '' ? undefined : decodeCursor(query.cursor, fingerprint, query.order);

    try {
      if (high <= low) return { total: 0, hits: [] };
      let total: number;
      let docs: number[];
      let next: SearchCursor | undefined;
      if (query.order === 'newest') {
        total = cursor?.t ?? this.countTotal(match, low, high);
        const below = cursor?.k === undefined ? high : Math.min(high, cursor.k);
        docs = this.newestMatches.all(match, low, below, limit + 1).map((row) => row.doc);
        if (docs.length > limit) {
          docs = docs.slice(0, limit);
          next = { v: 1, f: fingerprint, t: total, k: docs[docs.length - 1] ?? 0 };
        }
      } else {
        const offset = cursor?.n ?? 0;
        // The window's newest rowid is fixed by the first page, so articles indexed meanwhile do
        // not shift later pages.
        const top = cursor?.u ?? high;
        const { relevanceWindow, exactTotalUpTo } = this.settings;
        // A first page walks the newest matches once, as far as its total needs, and its window is
        // the head of that walk: a second walk from the window's oldest row had to seek back to it.
        const walked = this.windowDocs.all(match, low, top, cursor === undefined ? Math.max(relevanceWindow, exactTotalUpTo + 1) : relevanceWindow);
        const window = walked.length > relevanceWindow ? walked.slice(0, relevanceWindow) : walked;
        total = cursor?.t ?? this.totalOf(walked, low);
        const windowTop = window[0] === undefined ? top : window[0] + 1;
        docs = this.rankedPage(parsed, sourceClause, window, offset, limit + 1);
        if (docs.length > limit) {
          docs = docs.slice(0, limit);
          next = { v: 1, f: fingerprint, t: total, n: offset + limit, u: windowTop };
        }
      }
      const hits = hitsOf(docs, (doc) => this.selectDocByKey.get(doc), parsed.highlights, this.settings.snippetLength);
      return next === undefined ? { total, hits } : { total, hits, next: encodeCursor(next) };
    } catch (error) {
      throw new NewsmirrorError('store', 'store', `search: query ${JSON.stringify(match)} failed: ${errorMessage(error)}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.bulkLoad) {
        for (const table of FTS_TABLES) {
          optimize(this.db, table);
          setMerging(this.db, table, USUAL_MERGING);
        }
      }
    } catch (error) {
      throw new NewsmirrorError('store', 'store', `search: cannot merge the index after a bulk load: ${errorMessage(error)}`, { cause: error });
    } finally {
      if (this.owned) this.db.close();
    }
  }

  /** countTotal counts matches exactly up to `exactTotalUpTo`, and estimates beyond (see the option). */
  private countTotal(match: string, low: number, high: number): number {
    const cap = this.settings.exactTotalUpTo;
    const scan = this.countMatches.get(match, low, high, cap + 1);
    if (scan === undefined || scan.n <= cap) return scan?.n ?? 0;
    return estimateTotal(scan, cap, Math.max(low, this.lowestDoc.get()?.low ?? low));
  }

  /**
   * totalOf is countTotal from a walk already made: the newest matches in key order, every one of
   * them or at least `exactTotalUpTo` + 1 (the same matches countTotal would count, so both orders
   * give one total).
   */
  private totalOf(walked: readonly number[], low: number): number {
    const cap = this.settings.exactTotalUpTo;
    if (walked.length <= cap) return walked.length;
    const scan = { n: cap + 1, first: walked[0] ?? null, last: walked[cap] ?? null };
    return estimateTotal(scan, cap, Math.max(low, this.lowestDoc.get()?.low ?? low));
  }

  /**
   * rankedPage returns `count` documents from `offset` of a window (the newest matches, newest
   * first) ranked by how many of the query's terms the title holds, newest first among equals. A
   * term's title matches (of the query's sources) are read from search_titles over the window's key
   * range and count when they are in the window, which holds exactly the documents of that range
   * with every term and source of the query.
   */
  private rankedPage(parsed: ParsedQuery, sourceClause: string | undefined, window: readonly number[], offset: number, count: number): number[] {
    const first = window[0];
    const last = window[window.length - 1];
    if (first === undefined || last === undefined) return [];
    const members = new Set(window);
    const inTitle = new Map<number, number>();
    for (const term of parsed.terms) {
      const phrase = compileFts5Phrase(term);
      for (const doc of this.titleMatches.all(sourceClause === undefined ? phrase : `${phrase} AND ${sourceClause}`, last, first + 1)) {
        if (members.has(doc)) inTitle.set(doc, (inTitle.get(doc) ?? 0) + 1);
      }
    }
    const titled = [...inTitle].sort((a, b) => b[1] - a[1] || b[0] - a[0]).map(([doc]) => doc);
    return [...titled, ...window.filter((doc) => !inTitle.has(doc))].slice(offset, offset + count);
  }

  private checkOpen(): void {
    if (this.closed) throw new NewsmirrorError('store', 'store', 'search: the index is closed');
  }

  /**
   * write replaces one article's row in search_docs (its plain text `text`, else computed here) and
   * removes its old index entries; its rowid is kept when the published second is unchanged. Returns
   * what its new index entries are made of.
   */
  private write(article: IndexedArticle, plain: string | undefined): SourceRow & { doc: number } {
    const second = docSecond(article.published);
    const text = plain ?? htmlToText(article.bodyHtml);
    const published = Number.isFinite(article.published) ? Math.trunc(article.published) : 0;
    const found = this.selectDoc.get(article.id);
    let doc: number;
    if (found !== undefined && Math.floor(found.doc / SLOTS) === second) {
      doc = found.doc;
      this.removeFts(doc);
      this.updateDoc.run(article.sourceId, published, article.title, article.url, text, doc);
    } else {
      if (found !== undefined) {
        this.removeFts(found.doc);
        this.deleteDoc.run(found.doc);
      }
      doc = this.freeSlot(second);
      this.insertDoc.run(doc, article.id, article.sourceId, published, article.title, article.url, text);
    }
    return { doc, source_id: article.sourceId, title: article.title, body: text };
  }

  /** removeFts removes a document from every FTS5 table. */
  private removeFts(doc: number): void {
    for (const { remove } of this.ftsWrites) remove.run(doc);
  }

  /** freeSlot finds a rowid in this second, or in the nearest earlier second with room left. */
  private freeSlot(second: number): number {
    for (let at = second; at > second - 1_000_000; at--) {
      const base = at * SLOTS;
      const last = this.lastSlot.get(base, base + SLOTS)?.last;
      if (last === null || last === undefined) return base;
      if (last + 1 < base + SLOTS) return last + 1;
    }
    throw new NewsmirrorError('store', 'store', `search: no free index slot near published second ${second}`);
  }
}

/**
 * sourceTag is the index token of a source: `§` (a symbol, which tokenizeForIndex never puts in a
 * token, so no query can spell a tag) and the id's UTF-8 in hex (one token for the ascii tokenizer).
 */
function sourceTag(sourceId: string): string {
  let hex = '§';
  for (const byte of new TextEncoder().encode(sourceId)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
