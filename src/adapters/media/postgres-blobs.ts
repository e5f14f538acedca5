import type { Clock, MediaBlobs } from '../../core/ports.js';
import { openMigrated } from '../store/postgres/index.js';
import { checkBlob } from './blob-path.js';

/** PostgresMediaBlobsOptions configures openPostgresMediaBlobs. */
export interface PostgresMediaBlobsOptions {
  /** Schema holding the tables, the store's (created if missing); default: the connection's `search_path`. */
  schema?: string;
  /** Connections in the pool (default 2). */
  maxConnections?: number;
  /** Time source for the migration record; defaults to `Date.now`. */
  clock?: Clock;
}

/**
 * openPostgresMediaBlobs keeps image bytes in the store's PostgreSQL database (table `media_blobs`,
 * `bytea`, from the store's versioned migrations, applied here too). Every worker puts into it; the
 * one archiver writes the pending blobs out. Throws a `store` NewsmirrorError (stage `media`) when
 * the server cannot be reached.
 *
 * @example
 * const blobs = await openPostgresMediaBlobs('postgres://newsmirror@db.internal/newsmirror');
 */
export async function openPostgresMediaBlobs(url: string, options: PostgresMediaBlobsOptions = {}): Promise<MediaBlobs> {
  const clientOptions: { schema?: string; maxConnections: number; stage: 'media'; clock?: Clock } = { maxConnections: options.maxConnections ?? 2, stage: 'media' };
  if (options.schema !== undefined) clientOptions.schema = options.schema;
  if (options.clock !== undefined) clientOptions.clock = options.clock;
  const db = await openMigrated(url, clientOptions);
  return {
    async put(path, bytes) {
      checkBlob(path, bytes);
      // A second put raises the mark. A pending blob keeps its bytes (the path names their hash); a
      // written-out one had them released, so the put brings them back for the archiver to write again.
      await db.execute(
        `INSERT INTO media_blobs (path, bytes, size) VALUES ($1, $2, $3)
         ON CONFLICT (path) DO UPDATE SET pending = true, mark = media_blobs.mark + 1,
           bytes = CASE WHEN media_blobs.pending THEN media_blobs.bytes ELSE excluded.bytes END`,
        [path, bytes, bytes.byteLength],
      );
    },
    async read(path) {
      const [row] = await db.query<{ bytes: Buffer }>('SELECT bytes FROM media_blobs WHERE path = $1 AND pending', [path]);
      return row === undefined ? undefined : new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength);
    },
    async size(path) {
      const [row] = await db.query<{ size: number }>('SELECT size FROM media_blobs WHERE path = $1', [path]);
      return row?.size;
    },
    listPending(limit) {
      return db.query<{ path: string; mark: number }>('SELECT path, mark FROM media_blobs WHERE pending ORDER BY path LIMIT $1', [Math.max(0, Math.trunc(limit))]);
    },
    async markWritten(items) {
      if (items.length === 0) return;
      await db.execute(
        `UPDATE media_blobs SET pending = false, bytes = '' FROM unnest($1::text[], $2::int[]) AS written (path, mark)
         WHERE media_blobs.path = written.path AND media_blobs.mark = written.mark`,
        [items.map((item) => item.path), items.map((item) => item.mark)],
      );
    },
    close() {
      return db.close();
    },
  };
}
