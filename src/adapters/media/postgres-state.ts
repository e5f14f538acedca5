import type { Clock, MediaItemState, MediaStateStore } from '../../core/ports.js';
import { openMigrated } from '../store/postgres/index.js';

/** PostgresMediaStateOptions configures openPostgresMediaState. */
export interface PostgresMediaStateOptions {
  /** Schema holding the tables, the store's (created if missing); default: the connection's `search_path`. */
  schema?: string;
  /** Connections in the pool (default 2). */
  maxConnections?: number;
  /** Time source for the migration record; defaults to `Date.now`. */
  clock?: Clock;
}

interface ItemRow {
  url: string;
  path: string | null;
  bytes: number | null;
  attempts: number;
  next_attempt_at: number | null;
  last_error_code: string | null;
  last_error: string | null;
  updated_at: number;
}

/**
 * openPostgresMediaState keeps media retry state in the store's PostgreSQL database (its tables
 * `media_items` and `media_missing` come with the store's versioned migrations, which it applies
 * like the store does, so either may be opened first). Throws a `store` NewsmirrorError (stage
 * `media`) when the server cannot be reached.
 *
 * @example
 * const state = await openPostgresMediaState('postgres://newsmirror@db.internal/newsmirror');
 */
export async function openPostgresMediaState(url: string, options: PostgresMediaStateOptions = {}): Promise<MediaStateStore> {
  const clientOptions: { schema?: string; maxConnections: number; stage: 'media' } = { maxConnections: options.maxConnections ?? 2, stage: 'media' };
  if (options.schema !== undefined) clientOptions.schema = options.schema;
  const db = await openMigrated(url, options.clock === undefined ? clientOptions : { ...clientOptions, clock: options.clock });
  return {
    async getItems(urls) {
      const out = new Map<string, MediaItemState>();
      if (urls.length === 0) return out;
      for (const row of await db.query<ItemRow>('SELECT * FROM media_items WHERE url = ANY($1::text[])', [urls])) out.set(row.url, fromRow(row));
      return out;
    },
    async saveItems(items) {
      // One upsert may not touch a row twice: the last save of a URL wins, as in the other states.
      const last = [...new Map(items.map((item) => [item.url, item])).values()];
      if (last.length === 0) return;
      const column = <T>(pick: (item: MediaItemState) => T): T[] => last.map(pick);
      await db.execute(
        `INSERT INTO media_items (url, path, bytes, attempts, next_attempt_at, last_error_code, last_error, updated_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::int[], $5::bigint[], $6::text[], $7::text[], $8::bigint[])
         ON CONFLICT (url) DO UPDATE SET path = excluded.path, bytes = excluded.bytes, attempts = excluded.attempts,
           next_attempt_at = excluded.next_attempt_at, last_error_code = excluded.last_error_code,
           last_error = excluded.last_error, updated_at = excluded.updated_at`,
        [
          column((item) => item.url),
          column((item) => item.path ?? null),
          column((item) => item.bytes ?? null),
          column((item) => item.attempts),
          column((item) => item.nextAttemptAt ?? null),
          column((item) => item.lastError?.code ?? null),
          column((item) => item.lastError?.message ?? null),
          column((item) => Math.round(item.updatedAt)),
        ],
      );
    },
    async setArticleMissing(articleId, sourceId, urls) {
      await db.transaction(async (tx) => {
        await tx.execute('DELETE FROM media_missing WHERE article_id = $1', [articleId]);
        if (urls.length === 0) return;
        await tx.execute(
          `INSERT INTO media_missing (article_id, source_id, url) SELECT $1, $2, url FROM unnest($3::text[]) AS missing (url)
           ON CONFLICT DO NOTHING`,
          [articleId, sourceId, urls],
        );
      });
    },
    async dueArticles(now) {
      const rows = await db.query<{ article_id: string }>(
        `SELECT DISTINCT m.article_id FROM media_missing m JOIN media_items i ON i.url = m.url
         WHERE i.path IS NULL AND i.next_attempt_at IS NOT NULL AND i.next_attempt_at <= $1
         ORDER BY m.article_id`,
        [Math.round(now)],
      );
      return rows.map((row) => row.article_id);
    },
    async missingBySource() {
      const rows = await db.query<{ source_id: string; missing: number }>('SELECT source_id, count(*) AS missing FROM media_missing GROUP BY source_id ORDER BY source_id');
      return new Map(rows.map((row) => [row.source_id, row.missing]));
    },
    close() {
      return db.close();
    },
  };
}

function fromRow(row: ItemRow): MediaItemState {
  const item: MediaItemState = { url: row.url, attempts: row.attempts, updatedAt: row.updated_at };
  if (row.path !== null) item.path = row.path;
  if (row.bytes !== null) item.bytes = row.bytes;
  if (row.next_attempt_at !== null) item.nextAttemptAt = row.next_attempt_at;
  if (row.last_error_code !== null) item.lastError = { code: row.last_error_code, message: row.last_error ?? '' };
  return item;
}
