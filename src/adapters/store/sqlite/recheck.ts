/**
 * The SQLite re-check store: the re-check schedule and the removals, in the store's database file
 * (tables `recheck_state` and `removals`, created by the store's migrations, so the store is opened
 * first). Given a path it opens its own connection (WAL, beside the store's) and closes it on close();
 * given the store's open better-sqlite3 database it uses that and leaves closing it to the owner.
 *
 * A confirmed or withdrawn removal changes what the article's file shows, so `saveCheck` marks the
 * file pending in the `articles` row in the same transaction, exactly as an edit does (a new mark):
 * the sync's flush writes it, and a run killed in between finds it still pending.
 */
import type Database from 'better-sqlite3';
import { openSqliteDatabase } from './connection.js';
import { NewsmirrorError, errorMessage } from '../../../core/errors.js';
import type { Removal } from '../../../core/model/index.js';
import type { CheckRecord, FeedPresence, RecheckQuery, RecheckStore, RecheckTarget } from '../../../core/ports.js';
import { MIGRATIONS } from './migrations.js';
import {
  STATE_COLUMNS,
  removalFromRow,
  removalValues,
  removedFromRow,
  stateValues,
  targetFromRow,
  type DueRow,
  type RemovalRow,
  type RemovedRow,
} from '../recheck-row.js';

/** SqliteRecheckStoreOptions configures openSqliteRecheckStore. */
export interface SqliteRecheckStoreOptions {
  /** When a path is given: how long a writer waits for another connection's lock, in ms (default 5,000). */
  busyTimeoutMs?: number;
}

const DUE_COLUMNS = `a.id, a.source_id AS article_source_id, a.first_seen, ${STATE_COLUMNS.map((column) => `s.${column}`).join(', ')}`;
const MAX_TIME = 8.64e15;

/**
 * openSqliteRecheckStore keeps re-check state and removals in the store's SQLite file. Throws a `store`
 * NewsmirrorError when the file cannot be opened or the store has not created the tables yet.
 *
 * @example
 * const recheck = openSqliteRecheckStore(config.database);
 */
export function openSqliteRecheckStore(database: string | Database.Database, options: SqliteRecheckStoreOptions = {}): RecheckStore {
  return openSqliteDatabase(database, { stage: 'store', what: 'the re-check tables', busyTimeoutMs: options.busyTimeoutMs, foreignKeys: true }, (db, owned) => {
    const version = (db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as { version: number | null }).version ?? 0;
    if (version < MIGRATIONS.length) throw new Error(`schema version ${version}: open the store first, it migrates the file`);
    return new SqliteRecheckStore(db, owned);
  });
}

class SqliteRecheckStore implements RecheckStore {
  private readonly statements;
  private readonly save: (record: CheckRecord) => void;

  constructor(
    private readonly db: Database.Database,
    private readonly owned: boolean,
  ) {
    this.statements = {
      due: db.prepare<[{ sources: string | null; since: number | null; now: number; first: number; last: number; limit: number }], DueRow>(
        `SELECT ${DUE_COLUMNS} FROM articles a LEFT JOIN recheck_state s ON s.article_id = a.id
         WHERE (@sources IS NULL OR a.source_id IN (SELECT value FROM json_each(@sources)))
           AND CASE WHEN @since IS NOT NULL THEN s.last_check_at IS NULL OR s.last_check_at < @since
                    WHEN s.article_id IS NULL THEN a.first_seen + @first <= @now AND a.first_seen + @last > @now
                    ELSE s.next_check_at IS NOT NULL AND s.next_check_at <= @now END
         ORDER BY coalesce(s.next_check_at, a.first_seen + @first), a.id LIMIT @limit`,
      ),
      openRemovals: db.prepare<[string], RemovalRow>(
        'SELECT * FROM removals WHERE withdrawn_at IS NULL AND article_id IN (SELECT value FROM json_each(?))',
      ),
      standing: db.prepare<[string], RemovalRow>(
        'SELECT * FROM removals WHERE withdrawn_at IS NULL AND confirmed_at IS NOT NULL AND article_id IN (SELECT value FROM json_each(?))',
      ),
      lastSync: db.prepare<[string], { last_success_at: number | null }>('SELECT last_success_at FROM sources WHERE source_id = ?'),
      presence: db.prepare<[string, number, number], { id: string; published: number; last_seen: number; early_for: number | null; last_check_at: number | null }>(
        `SELECT a.id, a.published, a.last_seen, s.early_for, s.last_check_at FROM articles a LEFT JOIN recheck_state s ON s.article_id = a.id
         WHERE a.source_id = ? AND a.last_seen <= ? ORDER BY a.last_seen DESC, a.published DESC, a.id LIMIT ?`,
      ),
      early: db.prepare(
        `INSERT INTO recheck_state (article_id, source_id, next_check_at, early_for) VALUES (?, ?, ?, ?)
         ON CONFLICT (article_id) DO UPDATE SET next_check_at = min(coalesce(next_check_at, excluded.next_check_at), excluded.next_check_at),
           early_for = excluded.early_for`,
      ),
      saveState: db.prepare(
        `INSERT OR REPLACE INTO recheck_state (${STATE_COLUMNS.join(', ')}) VALUES (${STATE_COLUMNS.map(() => '?').join(', ')})`,
      ),
      saveRemoval: db.prepare(
        'INSERT OR REPLACE INTO removals (article_id, source_id, first_gone_at, confirmed_at, withdrawn_at, evidence) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      markFile: db.prepare('UPDATE articles SET file_pending = 1, file_mark = file_mark + 1 WHERE id = ?'),
      removed: db.prepare<[{ sources: string | null; before_at: number; before_id: string; limit: number }], RemovedRow>(
        `SELECT r.*, a.title, a.url, a.path, a.published FROM removals r JOIN articles a ON a.id = r.article_id
         WHERE r.confirmed_at IS NOT NULL AND r.withdrawn_at IS NULL
           AND (@sources IS NULL OR r.source_id IN (SELECT value FROM json_each(@sources)))
           AND (r.confirmed_at < @before_at OR (r.confirmed_at = @before_at AND r.article_id > @before_id))
         ORDER BY r.confirmed_at DESC, r.article_id LIMIT @limit`,
      ),
      history: db.prepare<[string], RemovalRow>('SELECT * FROM removals WHERE article_id = ? ORDER BY first_gone_at'),
      count: db.prepare<[], { source_id: string; count: number }>(
        'SELECT source_id, count(*) AS count FROM removals WHERE confirmed_at IS NOT NULL AND withdrawn_at IS NULL GROUP BY source_id',
      ),
    };
    this.save = db.transaction((record: CheckRecord) => {
      this.statements.saveState.run(...stateValues(record.state));
      if (record.removal !== undefined) this.statements.saveRemoval.run(...removalValues(record.removal));
      if (record.markFile) this.statements.markFile.run(record.state.articleId);
    });
  }

  async listDue(query: RecheckQuery): Promise<RecheckTarget[]> {
    return this.run(() => {
      const rows = this.statements.due.all({
        sources: query.sourceIds === undefined ? null : JSON.stringify(query.sourceIds),
        since: query.notCheckedSince === undefined ? null : Math.round(query.notCheckedSince),
        now: Math.round(query.now),
        first: Math.round(query.firstCheckAfterMs),
        last: Math.round(query.lastCheckAfterMs),
        limit: Math.max(0, Math.trunc(query.limit)),
      });
      const removals = this.openRemovals(rows.map((row) => row.id), this.statements.openRemovals);
      return rows.map((row) => targetFromRow(row, removals.get(row.id)));
    });
  }

  async listPresence(sourceId: string, limit: number): Promise<{ lastSyncAt?: number; articles: FeedPresence[] }> {
    return this.run(() => {
      const lastSyncAt = this.statements.lastSync.get(sourceId)?.last_success_at ?? undefined;
      if (lastSyncAt === undefined) return { articles: [] };
      const articles = this.statements.presence.all(sourceId, lastSyncAt, Math.max(0, Math.trunc(limit))).map((row) => {
        const presence: FeedPresence = { articleId: row.id, published: row.published, lastSeen: row.last_seen };
        if (row.early_for !== null) presence.earlyFor = row.early_for;
        if (row.last_check_at !== null) presence.lastCheckAt = row.last_check_at;
        return presence;
      });
      return { lastSyncAt, articles };
    });
  }

  async requestEarly(items: { articleId: string; sourceId: string; at: number; earlyFor: number }[]): Promise<void> {
    if (items.length === 0) return;
    this.run(() => {
      this.db.transaction(() => {
        for (const item of items) this.statements.early.run(item.articleId, item.sourceId, Math.round(item.at), Math.round(item.earlyFor));
      })();
    });
  }

  async saveCheck(record: CheckRecord): Promise<void> {
    this.run(() => this.save(record));
  }

  async getRemovals(articleIds: string[]): Promise<Map<string, Removal>> {
    return this.run(() => this.openRemovals(articleIds, this.statements.standing));
  }

  async listRemoved(options: { limit: number; sourceIds?: string[]; before?: { confirmedAt: number; articleId: string } }) {
    return this.run(() =>
      this.statements.removed
        .all({
          sources: options.sourceIds === undefined ? null : JSON.stringify(options.sourceIds),
          before_at: options.before?.confirmedAt ?? MAX_TIME,
          before_id: options.before?.articleId ?? '',
          limit: Math.max(0, Math.trunc(options.limit)),
        })
        .map(removedFromRow),
    );
  }

  async listRemovalHistory(articleId: string): Promise<Removal[]> {
    return this.run(() => this.statements.history.all(articleId).map(removalFromRow));
  }

  async countRemoved(): Promise<Map<string, number>> {
    return this.run(() => new Map(this.statements.count.all().map((row) => [row.source_id, row.count])));
  }

  async close(): Promise<void> {
    if (this.owned && this.db.open) this.db.close();
  }

  private openRemovals(ids: string[], statement: Database.Statement<[string], RemovalRow>): Map<string, Removal> {
    const found = new Map<string, Removal>();
    if (ids.length === 0) return found;
    for (const row of statement.all(JSON.stringify(ids))) found.set(row.article_id, removalFromRow(row));
    return found;
  }

  /** run turns driver errors into `store` errors. */
  private run<T>(operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      if (error instanceof NewsmirrorError) throw error;
      throw new NewsmirrorError('store', 'store', `recheck: ${errorMessage(error)}`, { cause: error });
    }
  }
}
