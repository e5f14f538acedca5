import type Database from 'better-sqlite3';
import { openSqliteDatabase } from '../store/sqlite/connection.js';
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
  const { db, owned } = openSqliteDatabase(database, { stage: 'media', what: 'media blobs', busyTimeoutMs: options.busyTimeoutMs }, (db, owned) => {
    migrateSqlite(db, options.clock ?? { now: () => Date.now() });
    return { db, owned };
  });

  // A second put raises the mark. A pending blob keeps its bytes (the path names their hash); a
  // written-out one had them released, so the put brings them back for the archiver to write again.
  const put = db.prepare(
    `INSERT INTO media_blobs (path, bytes, size) VALUES (?, ?, ?)
     ON CONFLICT (path) DO UPDATE SET pending = 1, mark = media_blobs.mark + 1,
       bytes = CASE WHEN media_blobs.pending = 1 THEN media_blobs.bytes ELSE excluded.bytes END`,
  );
  const read = db.prepare<[string], { bytes: Buffer }>('SELECT bytes FROM media_blobs WHERE path = ? AND pending = 1');
  const size = db.prepare<[string], { size: number }>('SELECT size FROM media_blobs WHERE path = ?');
  const listPending = db.prepare<[number], { path: string; mark: number }>('SELECT path, mark FROM media_blobs WHERE pending = 1 ORDER BY path LIMIT ?');
  const markWritten = db.prepare(
    `UPDATE media_blobs SET pending = 0, bytes = X''
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
