import Database from 'better-sqlite3';
import { NewsmirrorError, errorMessage } from '../../core/errors.js';
import type { Clock, MediaBlobs } from '../../core/ports.js';
import { migrateSqlite } from '../store/sqlite/index.js';
import { checkBlob } from './blob-path.js';

/** SqliteMediaBlobsOptions configures openSqliteMediaBlobs. */
export interface SqliteMediaBlobsOptions {
  /** How long a writer waits for another connection's lock, in ms (default 5,000). */
  busyTimeoutMs?: number;
  /** Time source for the migration record; defaults to `Date.now`. */
  clock?: Clock;
}

/**
 * openSqliteMediaBlobs keeps image bytes in the store's SQLite file (table `media_blobs`, a store
 * migration, applied here too so either may be opened first). Given a path it opens its own
 * connection (WAL) and closes it on close(); given an open database it leaves closing to the owner.
 * Throws a `store` NewsmirrorError (stage `media`) when the file cannot be opened or migrated.
 *
 * @example
 * const blobs = openSqliteMediaBlobs(config.database);
 */
export function openSqliteMediaBlobs(database: string | Database.Database, options: SqliteMediaBlobsOptions = {}): MediaBlobs {
  const owned = typeof database === 'string';
  let db: Database.Database;
  try {
    db = typeof database === 'string' ? new Database(database) : database;
  } catch (error) {
    throw new NewsmirrorError('store', 'media', `cannot open SQLite database ${String(database)}`, { cause: error });
  }
  try {
    if (owned) {
      db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    migrateSqlite(db, options.clock ?? { now: () => Date.now() });
  } catch (error) {
    if (owned) db.close();
    if (error instanceof NewsmirrorError) throw error;
    throw new NewsmirrorError('store', 'media', `cannot prepare media blobs: ${errorMessage(error)}`, { cause: error });
  }

  // A second put keeps the bytes (the path names their hash) and only raises the mark.
  const put = db.prepare(
    `INSERT INTO media_blobs (path, bytes, size) VALUES (?, ?, ?)
     ON CONFLICT (path) DO UPDATE SET pending = 1, mark = media_blobs.mark + 1`,
  );
  const read = db.prepare<[string], { bytes: Buffer }>('SELECT bytes FROM media_blobs WHERE path = ?');
  const size = db.prepare<[string], { size: number }>('SELECT size FROM media_blobs WHERE path = ?');
  const listPending = db.prepare<[number], { path: string; mark: number }>('SELECT path, mark FROM media_blobs WHERE pending = 1 ORDER BY path LIMIT ?');
  const markWritten = db.prepare(
    `UPDATE media_blobs SET pending = 0
     FROM (SELECT json_extract(value, '$[0]') AS path, json_extract(value, '$[1]') AS mark FROM json_each(?)) AS written
     WHERE media_blobs.path = written.path AND media_blobs.mark = written.mark`,
  );

  return {
    put(path, bytes) {
      return settle(() => {
        checkBlob(path, bytes);
        put.run(path, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), bytes.byteLength);
      });
    },
    read(path) {
      return settle(() => {
        const row = read.get(path);
        return row === undefined ? undefined : new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength);
      });
    },
    size(path) {
      return settle(() => size.get(path)?.size);
    },
    listPending(limit) {
      return settle(() => listPending.all(Math.max(0, Math.trunc(limit))));
    },
    markWritten(items) {
      return settle(() => {
        if (items.length > 0) markWritten.run(JSON.stringify(items.map((item) => [item.path, item.mark])));
      });
    },
    close() {
      if (owned && db.open) db.close();
      return Promise.resolve();
    },
  };
}

// better-sqlite3 throws synchronously; the port's callers expect a rejected promise.
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
