/**
 * The PostgreSQL store: the same system of record as the SQLite store, for many processes on many
 * machines. It passes the same contract suite (src/adapters/store/contract); the decisions it pins
 * down are listed in src/adapters/store/README.md.
 *
 * What differs from SQLite, and why:
 * - Lists of keys and ids go to PostgreSQL as one array parameter (`= ANY($1)`), and the new
 *   articles, versions and raw items of a batch as one `unnest` insert each: a sync of 1,500 new
 *   articles is a handful of statements instead of 4,500 round trips.
 * - Edits stay one UPDATE each, because each must be checked (stored key, older version).
 * - A constraint violation names the batch rather than the change (one statement inserts them
 *   all); the batch is refused and rolled back either way.
 */
import type { Article, ArticleVersion, KnownArticle, RawItem, RunReport, SourceState, SuspectVersion } from '../../../core/model/index.js';
import type { ArticleChange, ArticleListItem, Clock, EditListItem, PendingFile, SourceSummary, Store, SuspectChanges, VersionedSourceState } from '../../../core/ports.js';
import { NewsmirrorError } from '../../../core/errors.js';
import { prepared, type PgClient, type PgQueryable, type PgValue } from './client.js';
import { openMigrated } from './migrate.js';
import { SUSPECT_COLUMNS, suspectFromRow, type SuspectRow } from '../suspect-row.js';

/** PostgresStoreOptions configures `openPostgresStore`. */
export interface PostgresStoreOptions {
  /** Schema holding the tables (created if missing); default: the connection's `search_path`. */
  schema?: string;
  /** Connections in the pool (default 4). */
  maxConnections?: number;
  /** Time source for bookkeeping columns (migration times); defaults to `Date.now`. */
  clock?: Clock;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * openPostgresStore connects to the database at `url`, applies pending migrations (under an advisory
 * lock, so many processes may open it at once) and returns it as a Store. Throws a `store`
 * NewsmirrorError when the server cannot be reached or its schema is newer than this code.
 *
 * @example
 * const store = await openPostgresStore('postgres://newsmirror@db.internal/newsmirror');
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const clientOptions: { schema?: string; maxConnections?: number } = {};
  if (options.schema !== undefined) clientOptions.schema = options.schema;
  if (options.maxConnections !== undefined) clientOptions.maxConnections = options.maxConnections;
  const db = await openMigrated(url, options.clock === undefined ? clientOptions : { ...clientOptions, clock: options.clock });
  return new PostgresStore(db);
}

interface SourceRow {
  source_id: string;
  etag: string | null;
  last_modified: string | null;
  last_attempt_at: number | null;
  last_success_at: number | null;
  last_error_code: string | null;
  last_error: string | null;
  consecutive_failures: number;
  next_check_at: number | null;
  guid_policy: 'url' | 'guid' | null;
  version: number;
}

interface KnownRow {
  id: string;
  key: string;
  url: string;
  canonical_url: string;
  guid: string | null;
  content_hash: string;
  version: number;
  path: string;
  published: number;
  date_missing: boolean;
  method: string;
  first_seen: number;
}

interface FoundRow extends KnownRow {
  suspect_hash: string | null;
}


interface ArticleRow extends KnownRow {
  column_name: string | null;
  source_id: string;
  title: string;
  body_html: string;
  updated: number | null;
  authors: string[];
  categories: string[];
  last_seen: number;
}

interface ListRow {
  id: string;
  source_id: string;
  title: string;
  url: string;
  path: string;
  published: number;
  date_missing: boolean;
}

const KNOWN_COLUMNS = 'id, key, url, canonical_url, guid, content_hash, version, path, published, date_missing, method, first_seen';
const LIST_COLUMNS = 'id, source_id, title, url, path, published, date_missing';

// The current body is the body of the current version (see migrations/0001-store.sql for why).
const SELECT_ARTICLE = `SELECT a.id, a.source_id, a.key, a.url, a.canonical_url, a.guid, a.title, a.published, a.date_missing, a.updated,
  a.first_seen, a.content_hash, a.version, a.path, a.method, a.authors, a.categories, a.last_seen, a.column_name, v.body_html
  FROM articles a JOIN article_versions v ON v.article_id = a.id AND v.version = a.version`;

// The statements every sync runs, parsed once per connection (prepared() says which may be).
// Columns named: a prepared statement whose result gains a column (a later migration) would fail.
const READ_SOURCE = prepared(
  `SELECT source_id, etag, last_modified, last_attempt_at, last_success_at, last_error_code, last_error, consecutive_failures,
     next_check_at, guid_policy, version FROM sources WHERE source_id = $1`,
);
const COUNT_PATHS = prepared('SELECT count(*) AS count FROM articles WHERE path >= $1 AND path < $2');
const SAVE_SOURCE_IF_VERSION = prepared(`UPDATE sources SET etag = $2, last_modified = $3, last_attempt_at = $4, last_success_at = $5, last_error_code = $6,
           last_error = $7, consecutive_failures = $8, next_check_at = $9, guid_policy = $10, version = version + 1
         WHERE source_id = $1 AND version = $11`);
const UPSERT_SOURCE = prepared(`INSERT INTO sources (source_id, etag, last_modified, last_attempt_at, last_success_at, last_error_code, last_error,
         consecutive_failures, next_check_at, guid_policy, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1)
       ON CONFLICT (source_id) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
         last_attempt_at = excluded.last_attempt_at, last_success_at = excluded.last_success_at,
         last_error_code = excluded.last_error_code, last_error = excluded.last_error,
         consecutive_failures = excluded.consecutive_failures, next_check_at = excluded.next_check_at,
         guid_policy = excluded.guid_policy, version = sources.version + 1
       WHERE $11::bigint IS NULL OR sources.version = $11::bigint`);
const FIND_KNOWN = prepared(`SELECT ${KNOWN_COLUMNS},
         (SELECT s.content_hash FROM suspect_versions s WHERE s.article_id = articles.id AND s.state = 'pending'
          ORDER BY s.seen_at DESC, s.content_hash LIMIT 1) AS suspect_hash
       FROM articles WHERE source_id = $1 AND key = ANY($2::text[])`);
const LIST_SOURCE_ARTICLES = prepared(`SELECT ${LIST_COLUMNS} FROM articles WHERE source_id = $1 AND published >= $2 AND published < $3 ORDER BY published DESC, id LIMIT $4`);

// Bounds wide enough for any epoch-ms value, so optional list filters need no second statement.
const MIN_TIME = -8.64e15;
const MAX_TIME = 8.64e15;

class PostgresStore implements Store {
  constructor(private readonly db: PgClient) {}

  async getSourceState(sourceId: string): Promise<SourceState | undefined> {
    const [row] = await this.db.query<SourceRow>(READ_SOURCE, [sourceId]);
    return row === undefined ? undefined : sourceFromRow(row);
  }

  async readSourceState(sourceId: string): Promise<VersionedSourceState> {
    const [row] = await this.db.query<SourceRow>(READ_SOURCE, [sourceId]);
    return row === undefined ? { version: 0 } : { state: sourceFromRow(row), version: row.version };
  }

  async saveSourceState(state: SourceState, options?: { ifVersion: number }): Promise<boolean> {
    const values = [
      state.sourceId,
      state.etag ?? null,
      state.lastModified ?? null,
      epochMs(state.lastAttemptAt),
      epochMs(state.lastSuccessAt),
      state.lastErrorCode ?? null,
      state.lastError ?? null,
      state.consecutiveFailures,
      epochMs(state.nextCheckAt),
      state.guidPolicy ?? null,
      options?.ifVersion ?? null,
    ];
    // Version 0 is "no row yet" (or a row a lease claim created): the upsert inserts or updates it.
    if (options !== undefined && options.ifVersion > 0) {
      const changed = await this.db.execute(
        SAVE_SOURCE_IF_VERSION,
        values,
      );
      return changed === 1;
    }
    const changed = await this.db.execute(
      UPSERT_SOURCE,
      values,
    );
    return changed === 1;
  }

  async listSourceStates(): Promise<SourceState[]> {
    return (await this.db.query<SourceRow>('SELECT * FROM sources ORDER BY source_id')).map(sourceFromRow);
  }

  async findByKeys(sourceId: string, keys: string[]): Promise<Map<string, KnownArticle>> {
    const found = new Map<string, KnownArticle>();
    if (keys.length === 0) return found;
    const rows = await this.db.query<FoundRow>(
      FIND_KNOWN,
      [sourceId, keys],
    );
    for (const row of rows) {
      const known = knownFromRow(row);
      if (row.suspect_hash !== null) known.suspectHash = row.suspect_hash;
      found.set(row.key, known);
    }
    return found;
  }

  async getArticle(id: string): Promise<Article | undefined> {
    const [row] = await this.db.query<ArticleRow>(`${SELECT_ARTICLE} WHERE a.id = $1`, [id]);
    return row === undefined ? undefined : articleFromRow(row);
  }

  async getArticles(ids: string[]): Promise<Article[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.query<ArticleRow>(`${SELECT_ARTICLE} WHERE a.id = ANY($1::text[])`, [ids]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    const articles: Article[] = [];
    for (const id of ids) {
      const row = byId.get(id);
      if (row !== undefined) articles.push(articleFromRow(row));
    }
    return articles;
  }

  async listVersions(articleId: string): Promise<ArticleVersion[]> {
    const rows = await this.db.query<{ article_id: string; version: number; title: string; body_html: string; content_hash: string; seen_at: number }>(
      'SELECT * FROM article_versions WHERE article_id = $1 ORDER BY version',
      [articleId],
    );
    return rows.map((row) => ({
      articleId: row.article_id,
      version: row.version,
      title: row.title,
      bodyHtml: row.body_html,
      contentHash: row.content_hash,
      seenAt: row.seen_at,
    }));
  }

  async getRaw(articleId: string): Promise<RawItem | undefined> {
    const [row] = await this.db.query<{ article_id: string; version: number; entry_json: string; fetched_from: string }>(
      'SELECT * FROM raw_items WHERE article_id = $1 ORDER BY version DESC LIMIT 1',
      [articleId],
    );
    return row === undefined ? undefined : { articleId: row.article_id, version: row.version, entryJson: row.entry_json, fetchedFrom: row.fetched_from };
  }

  async countPathsUnder(folder: string): Promise<number> {
    const prefix = `${folder.replace(/\/+$/, '')}/`;
    // Every path starting with "<folder>/" sorts in ["<folder>/", "<folder>0"): '0' follows '/' (paths are COLLATE "C").
    const upper = `${prefix.slice(0, -1)}0`;
    const [row] = await this.db.query<{ count: number }>(COUNT_PATHS, [prefix, upper]);
    return row?.count ?? 0;
  }

  async applyChanges(changes: ArticleChange[], seen?: { articleIds: string[]; at: number }, suspects?: SuspectChanges): Promise<void> {
    const noSuspects = suspects === undefined || (suspects.add.length === 0 && suspects.dismiss.length === 0);
    if (changes.length === 0 && (seen === undefined || seen.articleIds.length === 0) && noSuspects) return;
    for (const { article, raw } of changes) {
      if (raw.articleId !== article.id || raw.version !== article.version) {
        throw new NewsmirrorError('store', 'store', `raw item ${raw.articleId} v${raw.version} does not belong to ${article.id} v${article.version}, batch refused`, {
          sourceId: article.sourceId,
        });
      }
    }
    const refuse = (error: unknown): never => {
      const first = changes[0]?.article;
      throw new NewsmirrorError('store', 'store', `batch of ${changes.length} change(s) refused, rolled back: ${error instanceof Error ? error.message : String(error)}`, {
        sourceId: first?.sourceId,
        cause: error,
      });
    };
    // New articles and seen marks alone (every sync without an edit or a suspect) are one statement,
    // atomic as a transaction is, in one round trip instead of five (docs/decisions.md D30).
    if (noSuspects && changes.every((change) => change.kind === 'new')) {
      const parts: Statement[] = [];
      if (changes.length > 0) parts.push(insertArticles(changes.map((change) => change.article)), insertVersions(changes), insertRawItems(changes));
      if (seen !== undefined && seen.articleIds.length > 0) parts.push(touchStatement(seen.articleIds, seen.at));
      const single = combine(parts);
      await this.db.execute(prepared(single.text), single.params).catch(refuse);
      return;
    }
    await this.db.transaction(async (tx) => {
      // In order, so a batch that adds an article and then edits it behaves as in SQLite.
      let start = 0;
      while (start < changes.length) {
        const kind = (changes[start] as ArticleChange).kind;
        let end = start;
        while (end < changes.length && (changes[end] as ArticleChange).kind === kind) end++;
        const run = changes.slice(start, end).map((change) => change.article);
        if (kind === 'new') await runStatement(tx, insertArticles(run));
        else for (const article of run) await editArticle(tx, article);
        start = end;
      }
      if (changes.length > 0) await runStatement(tx, combine([insertVersions(changes), insertRawItems(changes)]));
      // An edit settles the article's pending suspects: the one with the edit's hash is promoted, the others dismissed.
      const edits = changes.filter((change) => change.kind === 'edit').map((change) => change.article);
      if (edits.length > 0) {
        await tx.execute(
          `UPDATE suspect_versions s SET state = CASE WHEN s.content_hash = e.content_hash THEN 'promoted' ELSE 'dismissed' END
           FROM unnest($1::text[], $2::text[]) AS e (article_id, content_hash)
           WHERE s.article_id = e.article_id AND s.state = 'pending'`,
          [edits.map((article) => article.id), edits.map((article) => article.contentHash)],
        );
      }
      if (seen !== undefined && seen.articleIds.length > 0) await runStatement(tx, touchStatement(seen.articleIds, seen.at));
      if (suspects !== undefined) await applySuspects(tx, suspects);
    }).catch(refuse);
  }

  async listSuspects(sourceId?: string): Promise<SuspectVersion[]> {
    const rows = await this.db.query<SuspectRow>(
      `SELECT ${SUSPECT_COLUMNS} FROM suspect_versions
       WHERE state = 'pending' AND ($1::text IS NULL OR source_id = $1) ORDER BY source_id, article_id, seen_at, content_hash`,
      [sourceId ?? null],
    );
    return rows.map(suspectFromRow);
  }

  async listPendingFiles(sourceId?: string): Promise<PendingFile[]> {
    const rows = await this.db.query<{ id: string; file_mark: number }>(
      'SELECT id, file_mark FROM articles WHERE file_pending AND ($1::text IS NULL OR source_id = $1) ORDER BY source_id, published, id',
      [sourceId ?? null],
    );
    return rows.map((row) => ({ id: row.id, mark: row.file_mark }));
  }

  async markFilesWritten(files: PendingFile[]): Promise<void> {
    if (files.length === 0) return;
    await this.db.execute(
      `UPDATE articles a SET file_pending = false FROM unnest($1::text[], $2::int[]) AS written (id, mark)
       WHERE a.id = written.id AND a.file_mark = written.mark`,
      [files.map((file) => file.id), files.map((file) => file.mark)],
    );
  }

  async touchSeen(articleIds: string[], seenAt: number): Promise<void> {
    if (articleIds.length === 0) return;
    await runStatement(this.db, touchStatement(articleIds, seenAt));
  }

  async updateBody(articleId: string, bodyHtml: string, method: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ version: number }>(
        'UPDATE articles SET method = $1, file_pending = true, file_mark = file_mark + 1 WHERE id = $2 RETURNING version',
        [method, articleId],
      );
      if (row === undefined) throw new NewsmirrorError('store', 'store', `updateBody: no article ${articleId}`);
      await tx.execute('UPDATE article_versions SET body_html = $1 WHERE article_id = $2 AND version = $3', [bodyHtml, articleId, row.version]);
    });
  }

  async updateTitle(articleId: string, title: string, column: string | undefined): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ version: number }>(
        'UPDATE articles SET title = $1, column_name = $2, file_pending = true, file_mark = file_mark + 1 WHERE id = $3 RETURNING version',
        [title, column ?? null, articleId],
      );
      if (row === undefined) throw new NewsmirrorError('store', 'store', `updateTitle: no article ${articleId}`);
      await tx.execute('UPDATE article_versions SET title = $1 WHERE article_id = $2 AND version = $3', [title, articleId, row.version]);
    });
  }

  async listArticles(
    sourceId: string,
    options: { limit?: number; before?: number; from?: number; to?: number } = {},
  ): Promise<ArticleListItem[]> {
    const upper = Math.min(options.to ?? MAX_TIME, options.before ?? MAX_TIME);
    // LIMIT NULL is no limit in PostgreSQL.
    const limit = options.limit === undefined ? null : Math.max(0, Math.trunc(options.limit));
    const rows = await this.db.query<ListRow>(
      LIST_SOURCE_ARTICLES,
      [sourceId, Math.round(options.from ?? MIN_TIME), Math.round(upper), limit],
    );
    return rows.map(listItemFromRow);
  }

  async listRecentArticles(options: {
    sourceIds?: string[];
    from?: number;
    to?: number;
    after?: { published: number; id: string };
    limit: number;
  }): Promise<ArticleListItem[]> {
    // With no cursor, every row passes: published < MAX_TIME (or = MAX_TIME with an id above '').
    const rows = await this.db.query<ListRow>(
      `SELECT ${LIST_COLUMNS} FROM articles
       WHERE ($1::text[] IS NULL OR source_id = ANY($1::text[]))
         AND published >= $2 AND published < $3
         AND (published < $4 OR (published = $4 AND id > $5))
       ORDER BY published DESC, id LIMIT $6`,
      [
        options.sourceIds ?? null,
        Math.round(options.from ?? MIN_TIME),
        Math.round(options.to ?? MAX_TIME),
        Math.round(options.after?.published ?? MAX_TIME),
        options.after?.id ?? '',
        Math.max(0, Math.trunc(options.limit)),
      ],
    );
    return rows.map(listItemFromRow);
  }

  async listRecentEdits(options: { sourceIds?: string[]; limit: number }): Promise<EditListItem[]> {
    const rows = await this.db.query<{ article_id: string; source_id: string; version: number; title: string; seen_at: number }>(
      `SELECT v.article_id, a.source_id, v.version, v.title, v.seen_at FROM article_versions v JOIN articles a ON a.id = v.article_id
       WHERE v.version > 1 AND ($1::text[] IS NULL OR a.source_id = ANY($1::text[]))
       ORDER BY v.seen_at DESC, v.article_id, v.version DESC LIMIT $2`,
      [options.sourceIds ?? null, Math.max(0, Math.trunc(options.limit))],
    );
    return rows.map((row) => ({ articleId: row.article_id, sourceId: row.source_id, version: row.version, title: row.title, seenAt: row.seen_at }));
  }

  async listPathMonths(sourceId: string): Promise<string[]> {
    const rows = await this.db.query<{ month: string }>(
      'SELECT DISTINCT path_month AS month FROM articles WHERE source_id = $1 AND path_month IS NOT NULL ORDER BY path_month DESC',
      [sourceId],
    );
    return rows.map((row) => row.month);
  }

  async listArticleIds(sourceId?: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>('SELECT id FROM articles WHERE $1::text IS NULL OR source_id = $1 ORDER BY published DESC, id', [sourceId ?? null]);
    return rows.map((row) => row.id);
  }

  async summarizeSources(now: number): Promise<SourceSummary[]> {
    const rows = await this.db.query<{ source_id: string; article_count: number; newest: number | null; recent: number }>(
      `SELECT s.source_id, count(a.id) AS article_count, max(a.published) AS newest, count(a.id) FILTER (WHERE a.published >= $1) AS recent
       FROM (SELECT source_id FROM sources UNION SELECT DISTINCT source_id FROM articles) s
       LEFT JOIN articles a ON a.source_id = s.source_id
       GROUP BY s.source_id ORDER BY s.source_id`,
      [Math.round(now - DAY_MS)],
    );
    return rows.map((row) => {
      const summary: SourceSummary = { sourceId: row.source_id, articleCount: row.article_count, articlesLast24h: row.recent };
      if (row.newest !== null) summary.newestPublished = row.newest;
      return summary;
    });
  }

  async saveRunReport(report: RunReport): Promise<void> {
    await this.db.execute(
      `INSERT INTO run_reports (id, started_at, finished_at, json) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at, finished_at = excluded.finished_at, json = excluded.json`,
      [report.id, epochMs(report.startedAt), epochMs(report.finishedAt), JSON.stringify(report)],
    );
  }

  async lastRunReport(): Promise<RunReport | undefined> {
    const [row] = await this.db.query<{ json: string }>('SELECT json FROM run_reports ORDER BY started_at DESC, saved DESC LIMIT 1');
    return row === undefined ? undefined : (JSON.parse(row.json) as RunReport);
  }

  async clearArticles(): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.execute('DELETE FROM suspect_versions');
      await tx.execute('DELETE FROM raw_items');
      await tx.execute('DELETE FROM article_versions');
      await tx.execute('DELETE FROM articles');
    });
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

/** Statement is one SQL statement with its parameters, `$1` upwards. */
interface Statement {
  text: string;
  params: PgValue[];
}

/**
 * combine makes one statement of several: each but the last becomes a data-modifying WITH query,
 * with its parameters renumbered after the ones before it. PostgreSQL runs them all on one snapshot
 * and checks the foreign keys at the end of the statement, so a version may refer to an article the
 * same statement inserts.
 */
function combine(parts: Statement[]): Statement {
  const params: PgValue[] = [];
  const texts = parts.map((part) => {
    const offset = params.length;
    params.push(...part.params);
    return part.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
  });
  const last = texts.pop() ?? 'SELECT 1';
  return { text: texts.length === 0 ? last : `WITH ${texts.map((text, n) => `w${n} AS (${text})`).join(', ')} ${last}`, params };
}

async function runStatement(db: PgQueryable, statement: Statement): Promise<void> {
  await db.execute(prepared(statement.text), statement.params);
}

function insertArticles(articles: Article[]): Statement {
  const column = <T extends PgValue>(pick: (article: Article) => T): T[] => articles.map(pick);
  return {
    text: `INSERT INTO articles (id, source_id, key, url, canonical_url, guid, title, published, date_missing, updated, first_seen,
       content_hash, version, path, path_month, method, authors, categories, last_seen, column_name)
     SELECT id, source_id, key, url, canonical_url, guid, title, published, date_missing, updated, first_seen,
       content_hash, version, path, path_month, method, authors::jsonb, categories::jsonb, last_seen, column_name
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::boolean[],
       $10::bigint[], $11::bigint[], $12::text[], $13::int[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::bigint[], $20::text[])
       AS t (id, source_id, key, url, canonical_url, guid, title, published, date_missing, updated, first_seen,
         content_hash, version, path, path_month, method, authors, categories, last_seen, column_name)`,
    params: [
      column((a) => a.id),
      column((a) => a.sourceId),
      column((a) => a.key),
      column((a) => a.url),
      column((a) => a.canonicalUrl),
      column((a) => a.guid ?? null),
      column((a) => a.title),
      column((a) => epochMs(a.published)),
      column((a) => a.dateMissing),
      column((a) => epochMs(a.updated)),
      column((a) => epochMs(a.firstSeen)),
      column((a) => a.contentHash),
      column((a) => a.version),
      column((a) => a.path),
      column((a) => pathMonth(a.path)),
      column((a) => a.method),
      column((a) => JSON.stringify(a.authors)),
      column((a) => JSON.stringify(a.categories)),
      column((a) => epochMs(a.lastSeen)),
      column((a) => a.column ?? null),
    ],
  };
}

function insertVersions(changes: ArticleChange[]): Statement {
  return {
    text: `INSERT INTO article_versions (article_id, version, title, body_html, content_hash, seen_at)
     SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::bigint[])`,
    params: [
      changes.map((change) => change.article.id),
      changes.map((change) => change.article.version),
      changes.map((change) => change.article.title),
      changes.map((change) => change.article.bodyHtml),
      changes.map((change) => change.article.contentHash),
      changes.map((change) => epochMs(change.article.lastSeen)),
    ],
  };
}

function insertRawItems(changes: ArticleChange[]): Statement {
  return {
    text: `INSERT INTO raw_items (article_id, version, entry_json, fetched_from) SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[])`,
    params: [
      changes.map((change) => change.raw.articleId),
      changes.map((change) => change.raw.version),
      changes.map((change) => change.raw.entryJson),
      changes.map((change) => change.raw.fetchedFrom),
    ],
  };
}

async function editArticle(tx: PgQueryable, article: Article): Promise<void> {
  const changed = await tx.execute(
    `UPDATE articles SET url = $4, canonical_url = $5, guid = $6, title = $7, published = $8, date_missing = $9, updated = $10,
       content_hash = $11, version = $12, method = $13, authors = $14::jsonb, categories = $15::jsonb,
       last_seen = greatest(last_seen, $16), column_name = $17, file_pending = true, file_mark = file_mark + 1
     WHERE id = $1 AND source_id = $2 AND key = $3 AND version < $12`,
    [
      article.id,
      article.sourceId,
      article.key,
      article.url,
      article.canonicalUrl,
      article.guid ?? null,
      article.title,
      epochMs(article.published),
      article.dateMissing,
      epochMs(article.updated),
      article.contentHash,
      article.version,
      article.method,
      JSON.stringify(article.authors),
      JSON.stringify(article.categories),
      epochMs(article.lastSeen),
      article.column ?? null,
    ],
  );
  if (changed === 0) {
    throw new NewsmirrorError('store', 'store', `edit of ${article.id} refused: no stored article with this key and an older version`, {
      sourceId: article.sourceId,
      url: article.url,
    });
  }
}

// One pending suspect per article: a new one dismisses the article's others; one seen again is pending again, seen later.
async function applySuspects(tx: PgQueryable, suspects: SuspectChanges): Promise<void> {
  if (suspects.dismiss.length > 0) {
    await tx.execute("UPDATE suspect_versions SET state = 'dismissed' WHERE state = 'pending' AND article_id = ANY($1::text[])", [suspects.dismiss]);
  }
  for (const suspect of suspects.add) {
    await tx.execute("UPDATE suspect_versions SET state = 'dismissed' WHERE article_id = $1 AND state = 'pending' AND content_hash <> $2", [
      suspect.articleId,
      suspect.contentHash,
    ]);
    await tx.execute(
      `INSERT INTO suspect_versions (article_id, content_hash, source_id, title, body_html, reason, seen_at, entry_json, fetched_from, state)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending')
       ON CONFLICT (article_id, content_hash) DO UPDATE SET seen_at = greatest(suspect_versions.seen_at, excluded.seen_at), state = 'pending'`,
      [
        suspect.articleId,
        suspect.contentHash,
        suspect.sourceId,
        suspect.title,
        suspect.bodyHtml,
        suspect.reason,
        epochMs(suspect.seenAt),
        suspect.entryJson,
        suspect.fetchedFrom,
      ],
    );
  }
}

function touchStatement(articleIds: string[], at: number): Statement {
  return { text: 'UPDATE articles SET last_seen = greatest(last_seen, $1) WHERE id = ANY($2::text[])', params: [epochMs(at), articleIds] };
}

function sourceFromRow(row: SourceRow): SourceState {
  const state: SourceState = { sourceId: row.source_id, consecutiveFailures: row.consecutive_failures };
  if (row.etag !== null) state.etag = row.etag;
  if (row.last_modified !== null) state.lastModified = row.last_modified;
  if (row.last_attempt_at !== null) state.lastAttemptAt = row.last_attempt_at;
  if (row.last_success_at !== null) state.lastSuccessAt = row.last_success_at;
  if (row.last_error_code !== null) state.lastErrorCode = row.last_error_code;
  if (row.last_error !== null) state.lastError = row.last_error;
  if (row.next_check_at !== null) state.nextCheckAt = row.next_check_at;
  if (row.guid_policy !== null) state.guidPolicy = row.guid_policy;
  return state;
}

function listItemFromRow(row: ListRow): ArticleListItem {
  return { id: row.id, sourceId: row.source_id, title: row.title, url: row.url, path: row.path, published: row.published, dateMissing: row.date_missing };
}

function knownFromRow(row: KnownRow): KnownArticle {
  const known: KnownArticle = {
    id: row.id,
    key: row.key,
    url: row.url,
    canonicalUrl: row.canonical_url,
    contentHash: row.content_hash,
    version: row.version,
    path: row.path,
    published: row.published,
    dateMissing: row.date_missing,
    method: row.method,
    firstSeen: row.first_seen,
  };
  if (row.guid !== null) known.guid = row.guid;
  return known;
}


function articleFromRow(row: ArticleRow): Article {
  const article: Article = {
    id: row.id,
    sourceId: row.source_id,
    key: row.key,
    url: row.url,
    canonicalUrl: row.canonical_url,
    title: row.title,
    bodyHtml: row.body_html,
    published: row.published,
    dateMissing: row.date_missing,
    firstSeen: row.first_seen,
    contentHash: row.content_hash,
    version: row.version,
    path: row.path,
    method: row.method,
    authors: row.authors,
    categories: row.categories,
    lastSeen: row.last_seen,
  };
  if (row.guid !== null) article.guid = row.guid;
  if (row.updated !== null) article.updated = row.updated;
  if (row.column_name !== null) article.column = row.column_name;
  return article;
}

/**
 * pathMonth reads `YYYY-MM` from the first `<YYYY>/<MM>/<DD>/` folders of an archive path, so an
 * overflow sub-folder (`…/<DD>/1/<file>`) belongs to its month too (the same rule as the SQLite store).
 */
function pathMonth(path: string): string | null {
  const match = /(?:^|\/)(\d{4})\/(\d{2})\/\d{2}\//.exec(path);
  return match === null ? null : `${match[1]}-${match[2]}`;
}

/** epochMs rounds a time to whole milliseconds, as the SQLite store does (bigint columns refuse fractions). */
function epochMs(value: number): number;
function epochMs(value: number | undefined): number | null;
function epochMs(value: number | undefined): number | null {
  return value === undefined ? null : Math.round(value);
}
