import type Database from 'better-sqlite3';
import { openSqliteDatabase } from '../store/sqlite/connection.js';
import type { MediaItemState, MediaStateStore } from '../../core/ports.js';

/**
 * MEDIA_STATE_SCHEMA creates the media tables in the store's database file. Idempotent, so it can
 * run on every open until the store's versioned migrations take it over.
 */
export const MEDIA_STATE_SCHEMA = `
CREATE TABLE IF NOT EXISTS media_items (
  url TEXT PRIMARY KEY,
  path TEXT,
  bytes INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  last_error_code TEXT,
  last_error TEXT,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS media_items_due ON media_items (next_attempt_at) WHERE path IS NULL;
CREATE TABLE IF NOT EXISTS media_missing (
  article_id TEXT NOT NULL,
  source_id TEXT NOT NULL,
  url TEXT NOT NULL,
  PRIMARY KEY (article_id, url)
) STRICT;
CREATE INDEX IF NOT EXISTS media_missing_url ON media_missing (url);
CREATE INDEX IF NOT EXISTS media_missing_source ON media_missing (source_id);
`;

/** SqliteMediaStateOptions configures openSqliteMediaState. */
export interface SqliteMediaStateOptions {
  /** How long a writer waits for another connection's lock, in ms (default 5,000). */
  busyTimeoutMs?: number;
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
 * openSqliteMediaState keeps media retry state in the SQLite database file of the store (its own
 * tables, `media_items` and `media_missing`, created if absent). Given a path it opens its own
 * connection (WAL, so it coexists with the store's) and closes it on close(); given an open
 * better-sqlite3 database it uses that and leaves closing it to the owner.
 * Throws a `store` NewsmirrorError when the database cannot be opened or prepared.
 *
 * @example
 * const state = openSqliteMediaState(config.database);
 */
export function openSqliteMediaState(database: string | Database.Database, options: SqliteMediaStateOptions = {}): MediaStateStore {
  const { db, owned } = openSqliteDatabase(database, { stage: 'media', what: 'media tables', busyTimeoutMs: options.busyTimeoutMs }, (db, owned) => {
    db.exec(MEDIA_STATE_SCHEMA);
    return { db, owned };
  });

  const selectItems = db.prepare<[string], ItemRow>('SELECT * FROM media_items WHERE url IN (SELECT value FROM json_each(?))');
  const upsertItem = db.prepare(`
    INSERT INTO media_items (url, path, bytes, attempts, next_attempt_at, last_error_code, last_error, updated_at)
    VALUES (@url, @path, @bytes, @attempts, @next_attempt_at, @last_error_code, @last_error, @updated_at)
    ON CONFLICT (url) DO UPDATE SET path = excluded.path, bytes = excluded.bytes, attempts = excluded.attempts,
      next_attempt_at = excluded.next_attempt_at, last_error_code = excluded.last_error_code,
      last_error = excluded.last_error, updated_at = excluded.updated_at`);
  const deleteMissing = db.prepare('DELETE FROM media_missing WHERE article_id = ?');
  const insertMissing = db.prepare('INSERT OR IGNORE INTO media_missing (article_id, source_id, url) VALUES (?, ?, ?)');
  const selectDue = db.prepare<[number], { article_id: string }>(`
    SELECT DISTINCT m.article_id FROM media_missing m JOIN media_items i ON i.url = m.url
    WHERE i.path IS NULL AND i.next_attempt_at IS NOT NULL AND i.next_attempt_at <= ?
    ORDER BY m.article_id`);
  const countMissing = db.prepare<[], { source_id: string; missing: number }>(
    'SELECT source_id, count(*) AS missing FROM media_missing GROUP BY source_id ORDER BY source_id',
  );
  const saveAll = db.transaction((items: MediaItemState[]) => {
    for (const item of items) upsertItem.run(toRow(item));
  });
  const replaceMissing = db.transaction((articleId: string, sourceId: string, urls: string[]) => {
    deleteMissing.run(articleId);
    for (const url of urls) insertMissing.run(articleId, sourceId, url);
  });

  return {
    getItems(urls) {
      const out = new Map<string, MediaItemState>();
      if (urls.length > 0) for (const row of selectItems.all(JSON.stringify(urls))) out.set(row.url, fromRow(row));
      return Promise.resolve(out);
    },
    saveItems(items) {
      saveAll(items);
      return Promise.resolve();
    },
    setArticleMissing(articleId, sourceId, urls) {
      replaceMissing(articleId, sourceId, urls);
      return Promise.resolve();
    },
    dueArticles(now) {
      return Promise.resolve(selectDue.all(now).map((row) => row.article_id));
    },
    missingBySource() {
      return Promise.resolve(new Map(countMissing.all().map((row) => [row.source_id, row.missing])));
    },
    close() {
      if (owned && db.open) db.close();
      return Promise.resolve();
    },
  };
}

function toRow(item: MediaItemState): ItemRow {
  return {
    url: item.url,
    path: item.path ?? null,
    bytes: item.bytes ?? null,
    attempts: item.attempts,
    next_attempt_at: item.nextAttemptAt ?? null,
    last_error_code: item.lastError?.code ?? null,
    last_error: item.lastError?.message ?? null,
    updated_at: item.updatedAt,
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
