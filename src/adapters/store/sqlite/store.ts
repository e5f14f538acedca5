/**
 * The SQLite store: the default system of record, one file, no service to run.
 *
 * better-sqlite3 is synchronous; the Store port is asynchronous so that PostgreSQL fits behind it
 * too, so every method does its work synchronously and returns a settled promise. Statements are
 * prepared once per store, and key lists go to SQLite as one JSON array (`json_each`) rather than
 * as thousands of bound parameters, so one call costs one statement whatever the list's length.
 *
 * Decisions the contract suite pins down:
 * - `applyChanges` is one transaction. A `new` change for a key, id or path already stored, or an
 *   `edit` that is not newer than the stored version, is refused with a `store` error and the whole
 *   batch is rolled back: re-applying a batch never duplicates and never half-writes. The articles
 *   it marks as seen are marked in the same transaction, so a refused batch marks none.
 * - An `edit` replaces the current state of the article row but never its id, key, path or
 *   first-seen time (an article's path never changes); earlier versions stay in `article_versions`.
 * - A version's `seenAt` is the `lastSeen` of the article in the change that wrote it.
 * - Suspect versions live in their own table, never in `article_versions`, so the current version
 *   (the last row there) stays what the archive file shows.
 *
 * `findByKeys` is on the path of every sync, where the caller compares content hashes: it reads the
 * articles rows alone, never a body (reading every body cost 1.3 s of an idle sync of 15,000 stored
 * articles). Bodies are read by `getArticle` and, for many ids in one statement, `getArticles`.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Article, ArticleVersion, KnownArticle, RawItem, RunReport, SourceState, SuspectVersion } from '../../../core/model/index.js';
import type { ArticleChange, ArticleListItem, Clock, EditListItem, PendingFile, SourceSummary, Store, SuspectChanges, VersionedSourceState } from '../../../core/ports.js';
import { NewsmirrorError, environmentError, errorMessage } from '../../../core/errors.js';
import { MIGRATIONS } from './migrations.js';
import { SUSPECT_COLUMNS, suspectFromRow, type SuspectRow } from '../suspect-row.js';

/** SqliteStoreOptions configures `openSqliteStore`. */
export interface SqliteStoreOptions {
  /** Time source for bookkeeping columns (migration times); defaults to `Date.now`. */
  clock?: Clock;
  /** How long a writer waits for another process's lock before failing, in ms (default 5,000). */
  busyTimeoutMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * openSqliteStore opens (creating it and its folder if needed) the SQLite database at `path`, switches it to WAL,
 * applies pending migrations and returns it as a Store. Opening an up-to-date file changes nothing.
 * Throws a `store` NewsmirrorError when the file cannot be opened or was written by a newer schema.
 *
 * @example
 * const store = openSqliteStore('data/newsmirror.db');
 */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Store {
  const clock = options.clock ?? { now: () => Date.now() };
  let db: Database.Database;
  try {
    // ':memory:' and '' are SQLite's private in-memory and temporary databases, not files.
    if (path !== ':memory:' && path !== '') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
  } catch (error) {
    throw environmentError('store', 'store', 'cannot open SQLite database', path, explainCantOpen(path, error));
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
    db.pragma('synchronous = NORMAL');
    // Checkpoints are where WAL mode syncs to disk; one per ~40 MB of writes instead of per 4 MB made
    // a cold sync's inserts ~25 % faster here. The size limit truncates the WAL back after each one.
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    db.pragma('foreign_keys = ON');
    migrateSqlite(db, clock);
    return new SqliteStore(db);
  } catch (error) {
    db.close();
    if (error instanceof NewsmirrorError) throw error;
    throw environmentError('store', 'store', 'cannot prepare SQLite database', path, explainCantOpen(path, error));
  }
}

/**
 * explainCantOpen finds the cause SQLite does not give: SQLITE_CANTOPEN (also for the -wal file) says
 * neither read-only mount nor permission, so the folder is probed for writing; its errno is the cause.
 */
function explainCantOpen(path: string, error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_CANTOPEN') || path === ':memory:' || path === '') return error;
  try {
    accessSync(dirname(path), constants.W_OK);
  } catch (probe) {
    return probe;
  }
  return error;
}

/**
 * migrateSqlite brings an open database up to the newest of MIGRATIONS, as every port over the file
 * does on opening, so any of them may be opened first. A file from a newer schema is a `store` error.
 */
export function migrateSqlite(db: Database.Database, clock: Clock): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT');
  // IMMEDIATE takes the write lock before reading the version, so two processes opening a new file
  // at once cannot both apply the same migration.
  db.transaction(() => {
    const row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as { version: number | null };
    const current = row.version ?? 0;
    if (current > MIGRATIONS.length) {
      throw new NewsmirrorError('store', 'store', `database schema version ${current} is newer than this newsmirror (${MIGRATIONS.length})`, {
        hint: 'upgrade newsmirror or use another database file',
      });
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
    for (let version = current + 1; version <= MIGRATIONS.length; version++) {
      db.exec(MIGRATIONS[version - 1] as string);
      record.run(version, clock.now());
    }
  }).immediate();
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

interface ArticleRow {
  id: string;
  source_id: string;
  key: string;
  url: string;
  canonical_url: string;
  guid: string | null;
  title: string;
  body_html: string;
  published: number;
  date_missing: number;
  updated: number | null;
  first_seen: number;
  content_hash: string;
  version: number;
  path: string;
  method: string;
  authors: string;
  categories: string;
  last_seen: number;
  column_name: string | null;
}

type KnownRow = Pick<ArticleRow, 'id' | 'key' | 'url' | 'canonical_url' | 'guid' | 'content_hash' | 'version' | 'path' | 'published' | 'date_missing' | 'method' | 'first_seen'> & {
  suspect_hash: string | null;
};


interface VersionRow {
  article_id: string;
  version: number;
  title: string;
  body_html: string;
  content_hash: string;
  seen_at: number;
}

interface EditRow {
  article_id: string;
  source_id: string;
  version: number;
  title: string;
  seen_at: number;
}

interface RawRow {
  article_id: string;
  version: number;
  entry_json: string;
  fetched_from: string;
}

interface ListRow {
  id: string;
  source_id: string;
  title: string;
  url: string;
  path: string;
  published: number;
  date_missing: number;
}

const ARTICLE_COLUMNS =
  'id, source_id, key, url, canonical_url, guid, title, published, date_missing, updated, first_seen, content_hash, version, path, method, authors, categories, last_seen, column_name';

// The current body is the body of the current version (see migrations.ts for why).
const SELECT_ARTICLE = `SELECT ${ARTICLE_COLUMNS
  .split(', ')
  .map((column) => `a.${column}`)
  .join(', ')}, v.body_html FROM articles a JOIN article_versions v ON v.article_id = a.id AND v.version = a.version`;

// Bounds wide enough for any epoch-ms value, so optional list filters need no second statement.
const MIN_TIME = -8.64e15;
const MAX_TIME = 8.64e15;

class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly applyBatch: Database.Transaction<
    (changes: ArticleChange[], seen: { articleIds: string[]; at: number } | undefined, suspects: SuspectChanges | undefined) => void
  >;

  constructor(db: Database.Database) {
    this.db = db;
    this.statements = {
      getSource: db.prepare<[string], SourceRow>('SELECT * FROM sources WHERE source_id = ?'),
      listSources: db.prepare<[], SourceRow>('SELECT * FROM sources ORDER BY source_id'),
      saveSource: db.prepare(
        `INSERT INTO sources (source_id, etag, last_modified, last_attempt_at, last_success_at, last_error_code, last_error,
           consecutive_failures, next_check_at, guid_policy, version)
         VALUES (@source_id, @etag, @last_modified, @last_attempt_at, @last_success_at, @last_error_code, @last_error,
           @consecutive_failures, @next_check_at, @guid_policy, 1)
         ON CONFLICT (source_id) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
           last_attempt_at = excluded.last_attempt_at, last_success_at = excluded.last_success_at,
           last_error_code = excluded.last_error_code, last_error = excluded.last_error,
           consecutive_failures = excluded.consecutive_failures, next_check_at = excluded.next_check_at,
           guid_policy = excluded.guid_policy, version = sources.version + 1
         WHERE @if_version IS NULL OR sources.version = @if_version`,
      ),
      updateSourceIf: db.prepare(
        `UPDATE sources SET etag = @etag, last_modified = @last_modified, last_attempt_at = @last_attempt_at,
           last_success_at = @last_success_at, last_error_code = @last_error_code, last_error = @last_error,
           consecutive_failures = @consecutive_failures, next_check_at = @next_check_at, guid_policy = @guid_policy,
           version = version + 1
         WHERE source_id = @source_id AND version = @if_version`,
      ),
      findByKeys: db.prepare<[string, string], KnownRow>(
        `SELECT id, key, url, canonical_url, guid, content_hash, version, path, published, date_missing, method, first_seen,
           (SELECT s.content_hash FROM suspect_versions s WHERE s.article_id = articles.id AND s.state = 'pending'
            ORDER BY s.seen_at DESC, s.content_hash LIMIT 1) AS suspect_hash
         FROM articles WHERE source_id = ? AND key IN (SELECT value FROM json_each(?))`,
      ),
      getArticle: db.prepare<[string], ArticleRow>(`${SELECT_ARTICLE} WHERE a.id = ?`),
      getArticles: db.prepare<[string], ArticleRow>(`${SELECT_ARTICLE} WHERE a.id IN (SELECT value FROM json_each(?))`),
      listVersions: db.prepare<[string], VersionRow>('SELECT * FROM article_versions WHERE article_id = ? ORDER BY version'),
      getRaw: db.prepare<[string], RawRow>('SELECT * FROM raw_items WHERE article_id = ? ORDER BY version DESC LIMIT 1'),
      countPaths: db.prepare<[string, string], { count: number }>('SELECT count(*) AS count FROM articles WHERE path >= ? AND path < ?'),
      insertArticle: db.prepare(
        `INSERT INTO articles (${ARTICLE_COLUMNS}, path_month, file_pending)
         VALUES (@id, @source_id, @key, @url, @canonical_url, @guid, @title, @published, @date_missing, @updated,
           @first_seen, @content_hash, @version, @path, @method, @authors, @categories, @last_seen, @column_name, @path_month, 1)`,
      ),
      editArticle: db.prepare(
        `UPDATE articles SET url = @url, canonical_url = @canonical_url, guid = @guid, title = @title, published = @published, date_missing = @date_missing, updated = @updated, content_hash = @content_hash,
           version = @version, method = @method, authors = @authors, categories = @categories, column_name = @column_name,
           last_seen = max(last_seen, @last_seen), file_pending = 1, file_mark = file_mark + 1
         WHERE id = @id AND source_id = @source_id AND key = @key AND version < @version`,
      ),
      insertVersion: db.prepare(
        'INSERT INTO article_versions (article_id, version, title, body_html, content_hash, seen_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      upsertSuspect: db.prepare(
        `INSERT INTO suspect_versions (article_id, content_hash, source_id, title, body_html, reason, seen_at, entry_json, fetched_from, state)
         VALUES (@article_id, @content_hash, @source_id, @title, @body_html, @reason, @seen_at, @entry_json, @fetched_from, 'pending')
         ON CONFLICT (article_id, content_hash) DO UPDATE SET seen_at = max(seen_at, excluded.seen_at), state = 'pending'`,
      ),
      dismissSuspects: db.prepare(
        "UPDATE suspect_versions SET state = 'dismissed' WHERE state = 'pending' AND article_id IN (SELECT value FROM json_each(?))",
      ),
      supersedeSuspects: db.prepare("UPDATE suspect_versions SET state = 'dismissed' WHERE article_id = ? AND state = 'pending' AND content_hash <> ?"),
      settleSuspects: db.prepare(
        `UPDATE suspect_versions SET state = CASE WHEN content_hash = ? THEN 'promoted' ELSE 'dismissed' END
         WHERE article_id = ? AND state = 'pending'`,
      ),
      listSuspects: db.prepare<[{ source_id: string | null }], SuspectRow>(
        `SELECT ${SUSPECT_COLUMNS} FROM suspect_versions
         WHERE state = 'pending' AND (@source_id IS NULL OR source_id = @source_id) ORDER BY source_id, article_id, seen_at, content_hash`,
      ),
      insertRaw: db.prepare('INSERT INTO raw_items (article_id, version, entry_json, fetched_from) VALUES (?, ?, ?, ?)'),
      listPending: db.prepare<[{ source_id: string | null }], { id: string; file_mark: number }>(
        'SELECT id, file_mark FROM articles WHERE file_pending = 1 AND (@source_id IS NULL OR source_id = @source_id) ORDER BY source_id, published, id',
      ),
      // The marks come as one JSON array of [id, mark] pairs; a mark raised since the listing is left alone.
      markWritten: db.prepare(
        `UPDATE articles SET file_pending = 0
         FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS mark FROM json_each(?)) AS written
         WHERE articles.id = written.id AND articles.file_mark = written.mark`,
      ),
      touchSeen: db.prepare('UPDATE articles SET last_seen = max(last_seen, ?) WHERE id IN (SELECT value FROM json_each(?))'),
      updateBody: db.prepare('UPDATE articles SET method = ?, file_pending = 1, file_mark = file_mark + 1 WHERE id = ? RETURNING version'),
      updateVersionBody: db.prepare('UPDATE article_versions SET body_html = ? WHERE article_id = ? AND version = ?'),
      updateTitle: db.prepare('UPDATE articles SET title = ?, column_name = ?, file_pending = 1, file_mark = file_mark + 1 WHERE id = ? RETURNING version'),
      updateVersionTitle: db.prepare('UPDATE article_versions SET title = ? WHERE article_id = ? AND version = ?'),
      listArticles: db.prepare<[string, number, number, number], ListRow>(
        `SELECT id, source_id, title, url, path, published, date_missing FROM articles
         WHERE source_id = ? AND published >= ? AND published < ? ORDER BY published DESC, id LIMIT ?`,
      ),
      // The source filter is a JSON array ('null' for every source); the keyset bound is (published, id).
      listRecent: db.prepare<[{ sources: string | null; from: number; to: number; after_published: number; after_id: string; limit: number }], ListRow>(
        `SELECT id, source_id, title, url, path, published, date_missing FROM articles
         WHERE (@sources IS NULL OR source_id IN (SELECT value FROM json_each(@sources)))
           AND published >= @from AND published < @to
           AND (published < @after_published OR (published = @after_published AND id > @after_id))
         ORDER BY published DESC, id LIMIT @limit`,
      ),
      // One source: its own (source_id, published desc, id) index, so a small source among many is not a long scan.
      listRecentOfSource: db.prepare<[{ source: string; from: number; to: number; after_published: number; after_id: string; limit: number }], ListRow>(
        `SELECT id, source_id, title, url, path, published, date_missing FROM articles
         WHERE source_id = @source AND published >= @from AND published < @to
           AND (published < @after_published OR (published = @after_published AND id > @after_id))
         ORDER BY published DESC, id LIMIT @limit`,
      ),
      // The source filter is a JSON array ('null' for every source), as in listRecent.
      listEdits: db.prepare<[{ sources: string | null; limit: number }], EditRow>(
        `SELECT v.article_id, a.source_id, v.version, v.title, v.seen_at FROM article_versions v JOIN articles a ON a.id = v.article_id
         WHERE v.version > 1 AND (@sources IS NULL OR a.source_id IN (SELECT value FROM json_each(@sources)))
         ORDER BY v.seen_at DESC, v.article_id, v.version DESC LIMIT @limit`,
      ),
      listPathMonths: db.prepare<[string], { month: string }>(
        'SELECT DISTINCT path_month AS month FROM articles WHERE source_id = ? AND path_month IS NOT NULL ORDER BY path_month DESC',
      ),
      listIds: db.prepare<[], { id: string }>('SELECT id FROM articles ORDER BY published DESC, id'),
      listIdsOfSource: db.prepare<[string], { id: string }>('SELECT id FROM articles WHERE source_id = ? ORDER BY published DESC, id'),
      summarize: db.prepare<[number], { source_id: string; article_count: number; newest: number | null; recent: number }>(
        `SELECT source_id, count(*) AS article_count, max(published) AS newest, sum(published >= ?) AS recent
         FROM articles GROUP BY source_id`,
      ),
      saveReport: db.prepare(
        `INSERT INTO run_reports (id, started_at, finished_at, json) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at, finished_at = excluded.finished_at, json = excluded.json`,
      ),
      lastReport: db.prepare<[], { json: string }>('SELECT json FROM run_reports ORDER BY started_at DESC, rowid DESC LIMIT 1'),
    };
    this.applyBatch = db.transaction((changes: ArticleChange[], seen: { articleIds: string[]; at: number } | undefined, suspects: SuspectChanges | undefined) => {
      for (const change of changes) {
        try {
          this.applyOne(change);
        } catch (error) {
          if (error instanceof NewsmirrorError) throw error;
          const { article } = change;
          throw new NewsmirrorError('store', 'store', `${change.kind} ${article.id} v${article.version} refused, batch rolled back: ${messageOf(error)}`, {
            sourceId: article.sourceId,
            url: article.url,
            cause: error,
          });
        }
      }
      if (seen !== undefined && seen.articleIds.length > 0) this.statements.touchSeen.run(epochMs(seen.at), JSON.stringify(seen.articleIds));
      if (suspects !== undefined) this.applySuspects(suspects);
    });
  }

  async getSourceState(sourceId: string): Promise<SourceState | undefined> {
    return this.run(() => {
      const row = this.statements.getSource.get(sourceId);
      return row === undefined ? undefined : sourceFromRow(row);
    });
  }

  async readSourceState(sourceId: string): Promise<VersionedSourceState> {
    return this.run(() => {
      const row = this.statements.getSource.get(sourceId);
      return row === undefined ? { version: 0 } : { state: sourceFromRow(row), version: row.version };
    });
  }

  async saveSourceState(state: SourceState, options?: { ifVersion: number }): Promise<boolean> {
    return this.run(() => {
      const row = {
        source_id: state.sourceId,
        etag: state.etag ?? null,
        last_modified: state.lastModified ?? null,
        last_attempt_at: epochMs(state.lastAttemptAt),
        last_success_at: epochMs(state.lastSuccessAt),
        last_error_code: state.lastErrorCode ?? null,
        last_error: state.lastError ?? null,
        consecutive_failures: state.consecutiveFailures,
        next_check_at: epochMs(state.nextCheckAt),
        guid_policy: state.guidPolicy ?? null,
        if_version: options?.ifVersion ?? null,
      };
      // Version 0 is "no row yet" (or a row a lease claim created): the upsert inserts or updates it.
      const statement = options !== undefined && options.ifVersion > 0 ? this.statements.updateSourceIf : this.statements.saveSource;
      return statement.run(row).changes === 1;
    }, state.sourceId);
  }

  async listSourceStates(): Promise<SourceState[]> {
    return this.run(() => this.statements.listSources.all().map(sourceFromRow));
  }

  async findByKeys(sourceId: string, keys: string[]): Promise<Map<string, KnownArticle>> {
    return this.run(() => {
      const found = new Map<string, KnownArticle>();
      if (keys.length === 0) return found;
      for (const row of this.statements.findByKeys.all(sourceId, JSON.stringify(keys))) found.set(row.key, knownFromRow(row));
      return found;
    }, sourceId);
  }

  async getArticle(id: string): Promise<Article | undefined> {
    return this.run(() => {
      const row = this.statements.getArticle.get(id);
      return row === undefined ? undefined : articleFromRow(row);
    });
  }

  async getArticles(ids: string[]): Promise<Article[]> {
    if (ids.length === 0) return [];
    return this.run(() => {
      const byId = new Map(this.statements.getArticles.all(JSON.stringify(ids)).map((row) => [row.id, row]));
      const articles: Article[] = [];
      for (const id of ids) {
        const row = byId.get(id);
        if (row !== undefined) articles.push(articleFromRow(row));
      }
      return articles;
    });
  }

  async listVersions(articleId: string): Promise<ArticleVersion[]> {
    return this.run(() =>
      this.statements.listVersions.all(articleId).map((row) => ({
        articleId: row.article_id,
        version: row.version,
        title: row.title,
        bodyHtml: row.body_html,
        contentHash: row.content_hash,
        seenAt: row.seen_at,
      })),
    );
  }

  async getRaw(articleId: string): Promise<RawItem | undefined> {
    return this.run(() => {
      const row = this.statements.getRaw.get(articleId);
      if (row === undefined) return undefined;
      return { articleId: row.article_id, version: row.version, entryJson: row.entry_json, fetchedFrom: row.fetched_from };
    });
  }

  async countPathsUnder(folder: string): Promise<number> {
    return this.run(() => {
      const prefix = `${folder.replace(/\/+$/, '')}/`;
      // Every path starting with "<folder>/" sorts in ["<folder>/", "<folder>0"): '0' follows '/'.
      const upper = `${prefix.slice(0, -1)}0`;
      return this.statements.countPaths.get(prefix, upper)?.count ?? 0;
    });
  }

  async applyChanges(changes: ArticleChange[], seen?: { articleIds: string[]; at: number }, suspects?: SuspectChanges): Promise<void> {
    const noSuspects = suspects === undefined || (suspects.add.length === 0 && suspects.dismiss.length === 0);
    if (changes.length === 0 && (seen === undefined || seen.articleIds.length === 0) && noSuspects) return;
    this.run(() => this.applyBatch.immediate(changes, seen, suspects));
  }

  async listSuspects(sourceId?: string): Promise<SuspectVersion[]> {
    return this.run(() => this.statements.listSuspects.all({ source_id: sourceId ?? null }).map(suspectFromRow), sourceId);
  }

  async listPendingFiles(sourceId?: string): Promise<PendingFile[]> {
    return this.run(() => this.statements.listPending.all({ source_id: sourceId ?? null }).map((row) => ({ id: row.id, mark: row.file_mark })), sourceId);
  }

  async markFilesWritten(files: PendingFile[]): Promise<void> {
    if (files.length === 0) return;
    this.run(() => this.statements.markWritten.run(JSON.stringify(files.map((file) => [file.id, file.mark]))));
  }

  async touchSeen(articleIds: string[], seenAt: number): Promise<void> {
    if (articleIds.length === 0) return;
    this.run(() => this.statements.touchSeen.run(epochMs(seenAt), JSON.stringify(articleIds)));
  }

  async updateBody(articleId: string, bodyHtml: string, method: string): Promise<void> {
    this.run(() => {
      this.db.transaction(() => {
        const row = this.statements.updateBody.get(method, articleId) as { version: number } | undefined;
        if (row === undefined) throw new NewsmirrorError('store', 'store', `updateBody: no article ${articleId}`);
        this.statements.updateVersionBody.run(bodyHtml, articleId, row.version);
      })();
    });
  }

  async updateTitle(articleId: string, title: string, column: string | undefined): Promise<void> {
    this.run(() => {
      this.db.transaction(() => {
        const row = this.statements.updateTitle.get(title, column ?? null, articleId) as { version: number } | undefined;
        if (row === undefined) throw new NewsmirrorError('store', 'store', `updateTitle: no article ${articleId}`);
        this.statements.updateVersionTitle.run(title, articleId, row.version);
      })();
    });
  }

  async listArticles(
    sourceId: string,
    options: { limit?: number; before?: number; from?: number; to?: number } = {},
  ): Promise<ArticleListItem[]> {
    return this.run(() => {
      const upper = Math.min(options.to ?? MAX_TIME, options.before ?? MAX_TIME);
      // SQLite treats a negative LIMIT as "no limit".
      const limit = options.limit === undefined ? -1 : Math.max(0, Math.trunc(options.limit));
      return this.statements.listArticles.all(sourceId, options.from ?? MIN_TIME, upper, limit).map(listItemFromRow);
    }, sourceId);
  }

  async listRecentArticles(options: {
    sourceIds?: string[];
    from?: number;
    to?: number;
    after?: { published: number; id: string };
    limit: number;
  }): Promise<ArticleListItem[]> {
    return this.run(() => {
      const bounds = {
        from: options.from ?? MIN_TIME,
        to: options.to ?? MAX_TIME,
        // With no cursor, every row passes: published < MAX_TIME (or = MAX_TIME with an id above '').
        after_published: options.after?.published ?? MAX_TIME,
        after_id: options.after?.id ?? '',
        limit: Math.max(0, Math.trunc(options.limit)),
      };
      const only = options.sourceIds?.length === 1 ? options.sourceIds[0] : undefined;
      const rows =
        only === undefined
          ? this.statements.listRecent.all({ ...bounds, sources: options.sourceIds === undefined ? null : JSON.stringify(options.sourceIds) })
          : this.statements.listRecentOfSource.all({ ...bounds, source: only });
      return rows.map(listItemFromRow);
    });
  }

  async listRecentEdits(options: { sourceIds?: string[]; limit: number }): Promise<EditListItem[]> {
    return this.run(() =>
      this.statements.listEdits
        .all({ sources: options.sourceIds === undefined ? null : JSON.stringify(options.sourceIds), limit: Math.max(0, Math.trunc(options.limit)) })
        .map((row) => ({ articleId: row.article_id, sourceId: row.source_id, version: row.version, title: row.title, seenAt: row.seen_at })),
    );
  }

  async listPathMonths(sourceId: string): Promise<string[]> {
    return this.run(() => this.statements.listPathMonths.all(sourceId).map((row) => row.month), sourceId);
  }

  async listArticleIds(sourceId?: string): Promise<string[]> {
    return this.run(() => {
      const rows = sourceId === undefined ? this.statements.listIds.all() : this.statements.listIdsOfSource.all(sourceId);
      return rows.map((row) => row.id);
    }, sourceId);
  }

  async summarizeSources(now: number): Promise<SourceSummary[]> {
    return this.run(() => {
      const summaries = new Map<string, SourceSummary>();
      for (const row of this.statements.listSources.all()) {
        summaries.set(row.source_id, { sourceId: row.source_id, articleCount: 0, articlesLast24h: 0 });
      }
      for (const row of this.statements.summarize.all(now - DAY_MS)) {
        const summary: SourceSummary = { sourceId: row.source_id, articleCount: row.article_count, articlesLast24h: row.recent };
        if (row.newest !== null) summary.newestPublished = row.newest;
        summaries.set(row.source_id, summary);
      }
      return [...summaries.values()].sort((a, b) => compareText(a.sourceId, b.sourceId));
    });
  }

  async saveRunReport(report: RunReport): Promise<void> {
    this.run(() => this.statements.saveReport.run(report.id, epochMs(report.startedAt), epochMs(report.finishedAt), JSON.stringify(report)));
  }

  async lastRunReport(): Promise<RunReport | undefined> {
    return this.run(() => {
      const row = this.statements.lastReport.get();
      return row === undefined ? undefined : (JSON.parse(row.json) as RunReport);
    });
  }

  async clearArticles(): Promise<void> {
    this.run(() => {
      this.db.transaction(() => {
        this.db.exec('DELETE FROM suspect_versions; DELETE FROM raw_items; DELETE FROM article_versions; DELETE FROM articles;');
      })();
    });
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.run(() => this.db.close());
  }

  private applyOne(change: ArticleChange): void {
    const { article, raw } = change;
    const params = articleParams(article);
    if (change.kind === 'new') {
      this.statements.insertArticle.run(params);
    } else if (this.statements.editArticle.run(params).changes === 0) {
      throw new NewsmirrorError('store', 'store', `edit of ${article.id} refused: no stored article with this key and an older version`, {
        sourceId: article.sourceId,
        url: article.url,
      });
    }
    this.statements.insertVersion.run(article.id, article.version, article.title, article.bodyHtml, article.contentHash, epochMs(article.lastSeen));
    if (raw.articleId !== article.id || raw.version !== article.version) {
      throw new NewsmirrorError('store', 'store', `raw item ${raw.articleId} v${raw.version} does not belong to ${article.id} v${article.version}`, {
        sourceId: article.sourceId,
      });
    }
    this.statements.insertRaw.run(raw.articleId, raw.version, raw.entryJson, raw.fetchedFrom);
    if (change.kind === 'edit') this.statements.settleSuspects.run(article.contentHash, article.id);
  }

  private applySuspects(suspects: SuspectChanges): void {
    if (suspects.dismiss.length > 0) this.statements.dismissSuspects.run(JSON.stringify(suspects.dismiss));
    for (const suspect of suspects.add) {
      try {
        this.statements.supersedeSuspects.run(suspect.articleId, suspect.contentHash);
        this.statements.upsertSuspect.run({
          article_id: suspect.articleId,
          content_hash: suspect.contentHash,
          source_id: suspect.sourceId,
          title: suspect.title,
          body_html: suspect.bodyHtml,
          reason: suspect.reason,
          seen_at: epochMs(suspect.seenAt),
          entry_json: suspect.entryJson,
          fetched_from: suspect.fetchedFrom,
        });
      } catch (error) {
        throw new NewsmirrorError('store', 'store', `suspect version ${suspect.articleId} ${suspect.contentHash} refused, batch rolled back: ${messageOf(error)}`, {
          sourceId: suspect.sourceId,
          cause: error,
        });
      }
    }
  }

  /** run turns driver errors into `store` errors that name the operation's source. */
  private run<T>(operation: () => T, sourceId?: string): T {
    try {
      return operation();
    } catch (error) {
      if (error instanceof NewsmirrorError) throw error;
      throw new NewsmirrorError('store', 'store', messageOf(error), { sourceId, cause: error });
    }
  }
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
  return {
    id: row.id,
    sourceId: row.source_id,
    title: row.title,
    url: row.url,
    path: row.path,
    published: row.published,
    dateMissing: row.date_missing === 1,
  };
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
    dateMissing: row.date_missing === 1,
    method: row.method,
    firstSeen: row.first_seen,
  };
  if (row.guid !== null) known.guid = row.guid;
  if (row.suspect_hash !== null) known.suspectHash = row.suspect_hash;
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
    dateMissing: row.date_missing === 1,
    firstSeen: row.first_seen,
    contentHash: row.content_hash,
    version: row.version,
    path: row.path,
    method: row.method,
    authors: JSON.parse(row.authors) as string[],
    categories: JSON.parse(row.categories) as string[],
    lastSeen: row.last_seen,
  };
  if (row.guid !== null) article.guid = row.guid;
  if (row.updated !== null) article.updated = row.updated;
  if (row.column_name !== null) article.column = row.column_name;
  return article;
}

function articleParams(article: Article): Record<string, string | number | null> {
  return {
    id: article.id,
    source_id: article.sourceId,
    key: article.key,
    url: article.url,
    canonical_url: article.canonicalUrl,
    guid: article.guid ?? null,
    title: article.title,
    published: epochMs(article.published),
    date_missing: article.dateMissing ? 1 : 0,
    updated: epochMs(article.updated),
    first_seen: epochMs(article.firstSeen),
    content_hash: article.contentHash,
    version: article.version,
    path: article.path,
    path_month: pathMonth(article.path),
    method: article.method,
    authors: JSON.stringify(article.authors),
    categories: JSON.stringify(article.categories),
    last_seen: epochMs(article.lastSeen),
    column_name: article.column ?? null,
  };
}

/**
 * pathMonth reads `YYYY-MM` from the first `<YYYY>/<MM>/<DD>/` folders of an archive path, so an
 * overflow sub-folder (`…/<DD>/1/<file>`) belongs to its month too.
 */
function pathMonth(path: string): string | null {
  const match = /(?:^|\/)(\d{4})\/(\d{2})\/\d{2}\//.exec(path);
  return match === null ? null : `${match[1]}-${match[2]}`;
}

/**
 * epochMs rounds a time to whole milliseconds: STRICT INTEGER columns refuse a fractional value,
 * and one odd timestamp must not fail a whole batch.
 */
function epochMs(value: number): number;
function epochMs(value: number | undefined): number | null;
function epochMs(value: number | undefined): number | null {
  return value === undefined ? null : Math.round(value);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function messageOf(error: unknown): string {
  return errorMessage(error);
}
