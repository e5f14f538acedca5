/**
 * The PostgreSQL re-check store: the same tables and behaviour as the SQLite one
 * (src/adapters/store/sqlite/recheck.ts), over its own pool on the store's database. Its tables come
 * with the store's versioned migrations, which it applies like the store does, so either may be
 * opened first. `saveCheck` marks the article's file pending in the same transaction when a removal
 * is confirmed or withdrawn, as an edit does.
 */
import type { Clock, CheckRecord, FeedPresence, RecheckQuery, RecheckStore, RecheckTarget } from '../../../core/ports.js';
import type { Removal } from '../../../core/model/index.js';
import type { PgClient } from './client.js';
import { openMigrated } from './migrate.js';
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

/** PostgresRecheckStoreOptions configures openPostgresRecheckStore. */
export interface PostgresRecheckStoreOptions {
  /** Schema holding the tables, the store's; default: the connection's `search_path`. */
  schema?: string;
  /** Connections in the pool (default 2). */
  maxConnections?: number;
  /** Time source for the migration record; defaults to `Date.now`. */
  clock?: Clock;
}

const DUE_COLUMNS = `a.id, a.source_id AS article_source_id, a.first_seen, ${STATE_COLUMNS.map((column) => `s.${column}`).join(', ')}`;
const MAX_TIME = 8.64e15;

/**
 * openPostgresRecheckStore keeps re-check state and removals in the store's PostgreSQL database.
 * Throws a `store` NewsmirrorError when the server cannot be reached.
 *
 * @example
 * const recheck = await openPostgresRecheckStore('postgres://newsmirror@db.internal/newsmirror');
 */
export async function openPostgresRecheckStore(url: string, options: PostgresRecheckStoreOptions = {}): Promise<RecheckStore> {
  const clientOptions: { schema?: string; maxConnections: number; clock?: Clock } = { maxConnections: options.maxConnections ?? 2 };
  if (options.schema !== undefined) clientOptions.schema = options.schema;
  if (options.clock !== undefined) clientOptions.clock = options.clock;
  return new PostgresRecheckStore(await openMigrated(url, clientOptions));
}

class PostgresRecheckStore implements RecheckStore {
  constructor(private readonly db: PgClient) {}

  async listDue(query: RecheckQuery): Promise<RecheckTarget[]> {
    const rows = await this.db.query<DueRow>(
      `SELECT ${DUE_COLUMNS} FROM articles a LEFT JOIN recheck_state s ON s.article_id = a.id
       WHERE ($1::text[] IS NULL OR a.source_id = ANY($1::text[]))
         AND CASE WHEN $2::bigint IS NOT NULL THEN s.last_check_at IS NULL OR s.last_check_at < $2::bigint
                  WHEN s.article_id IS NULL THEN a.first_seen + $4::bigint <= $3::bigint AND a.first_seen + $6::bigint > $3::bigint
                  ELSE s.next_check_at IS NOT NULL AND s.next_check_at <= $3::bigint END
       ORDER BY coalesce(s.next_check_at, a.first_seen + $4::bigint), a.id LIMIT $5`,
      [
        query.sourceIds ?? null,
        query.notCheckedSince === undefined ? null : Math.round(query.notCheckedSince),
        Math.round(query.now),
        Math.round(query.firstCheckAfterMs),
        Math.max(0, Math.trunc(query.limit)),
        Math.round(query.lastCheckAfterMs),
      ],
    );
    const removals = await this.removalsOf(
      rows.map((row) => row.id),
      false,
    );
    return rows.map((row) => targetFromRow(row, removals.get(row.id)));
  }

  async listPresence(sourceId: string, limit: number): Promise<{ lastSyncAt?: number; articles: FeedPresence[] }> {
    const [source] = await this.db.query<{ last_success_at: number | null }>('SELECT last_success_at FROM sources WHERE source_id = $1', [sourceId]);
    const lastSyncAt = source?.last_success_at ?? undefined;
    if (lastSyncAt === undefined) return { articles: [] };
    const rows = await this.db.query<{ id: string; published: number; last_seen: number; early_for: number | null; last_check_at: number | null }>(
      `SELECT a.id, a.published, a.last_seen, s.early_for, s.last_check_at FROM articles a LEFT JOIN recheck_state s ON s.article_id = a.id
       WHERE a.source_id = $1 AND a.last_seen <= $2 ORDER BY a.last_seen DESC, a.published DESC, a.id LIMIT $3`,
      [sourceId, lastSyncAt, Math.max(0, Math.trunc(limit))],
    );
    const articles = rows.map((row) => {
      const presence: FeedPresence = { articleId: row.id, published: row.published, lastSeen: row.last_seen };
      if (row.early_for !== null) presence.earlyFor = row.early_for;
        if (row.last_check_at !== null) presence.lastCheckAt = row.last_check_at;
      return presence;
    });
    return { lastSyncAt, articles };
  }

  async requestEarly(items: { articleId: string; sourceId: string; at: number; earlyFor: number }[]): Promise<void> {
    if (items.length === 0) return;
    // One upsert may not touch a row twice: the last request for an article wins.
    const last = [...new Map(items.map((item) => [item.articleId, item])).values()];
    await this.db.execute(
      `INSERT INTO recheck_state (article_id, source_id, next_check_at, early_for)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[])
       ON CONFLICT (article_id) DO UPDATE SET next_check_at = least(coalesce(recheck_state.next_check_at, excluded.next_check_at), excluded.next_check_at),
         early_for = excluded.early_for`,
      [last.map((item) => item.articleId), last.map((item) => item.sourceId), last.map((item) => Math.round(item.at)), last.map((item) => Math.round(item.earlyFor))],
    );
  }

  async saveCheck(record: CheckRecord): Promise<void> {
    await this.db.transaction(async (tx) => {
      const columns = STATE_COLUMNS.join(', ');
      const updates = STATE_COLUMNS.filter((column) => column !== 'article_id')
        .map((column) => `${column} = excluded.${column}`)
        .join(', ');
      await tx.execute(
        `INSERT INTO recheck_state (${columns}) VALUES (${STATE_COLUMNS.map((_, index) => `$${index + 1}`).join(', ')})
         ON CONFLICT (article_id) DO UPDATE SET ${updates}`,
        stateValues(record.state),
      );
      if (record.removal !== undefined) {
        await tx.execute(
          `INSERT INTO removals (article_id, source_id, first_gone_at, confirmed_at, withdrawn_at, evidence) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (article_id, first_gone_at) DO UPDATE SET source_id = excluded.source_id, confirmed_at = excluded.confirmed_at,
             withdrawn_at = excluded.withdrawn_at, evidence = excluded.evidence`,
          removalValues(record.removal),
        );
      }
      if (record.markFile) await tx.execute('UPDATE articles SET file_pending = true, file_mark = file_mark + 1 WHERE id = $1', [record.state.articleId]);
    });
  }

  async getRemovals(articleIds: string[]): Promise<Map<string, Removal>> {
    return this.removalsOf(articleIds, true);
  }

  async listRemoved(options: { limit: number; sourceIds?: string[]; before?: { confirmedAt: number; articleId: string } }) {
    const rows = await this.db.query<RemovedRow>(
      `SELECT r.*, a.title, a.url, a.path, a.published FROM removals r JOIN articles a ON a.id = r.article_id
       WHERE r.confirmed_at IS NOT NULL AND r.withdrawn_at IS NULL
         AND ($1::text[] IS NULL OR r.source_id = ANY($1::text[]))
         AND (r.confirmed_at < $2::bigint OR (r.confirmed_at = $2::bigint AND r.article_id > $3))
       ORDER BY r.confirmed_at DESC, r.article_id LIMIT $4`,
      [options.sourceIds ?? null, options.before?.confirmedAt ?? MAX_TIME, options.before?.articleId ?? '', Math.max(0, Math.trunc(options.limit))],
    );
    return rows.map(removedFromRow);
  }

  async listRemovalHistory(articleId: string): Promise<Removal[]> {
    return (await this.db.query<RemovalRow>('SELECT * FROM removals WHERE article_id = $1 ORDER BY first_gone_at', [articleId])).map(removalFromRow);
  }

  async countRemoved(): Promise<Map<string, number>> {
    const rows = await this.db.query<{ source_id: string; count: number }>(
      'SELECT source_id, count(*)::int AS count FROM removals WHERE confirmed_at IS NOT NULL AND withdrawn_at IS NULL GROUP BY source_id',
    );
    return new Map(rows.map((row) => [row.source_id, row.count]));
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  private async removalsOf(ids: string[], confirmedOnly: boolean): Promise<Map<string, Removal>> {
    const found = new Map<string, Removal>();
    if (ids.length === 0) return found;
    const rows = await this.db.query<RemovalRow>(
      `SELECT * FROM removals WHERE withdrawn_at IS NULL AND ($2::boolean = false OR confirmed_at IS NOT NULL) AND article_id = ANY($1::text[])`,
      [ids, confirmedOnly],
    );
    for (const row of rows) found.set(row.article_id, removalFromRow(row));
    return found;
  }
}
