import Database from 'better-sqlite3';
import { NewsmirrorError, errorMessage, type Stage } from '../../../core/errors.js';

/** SqliteConnectionOptions configures openSqliteDatabase. */
export interface SqliteConnectionOptions {
  /** How long a statement waits for another connection's write lock (default 5 s). */
  busyTimeoutMs?: number;
  /** Enforce foreign keys on this connection (tables that cascade with their article need it). */
  foreignKeys?: boolean;
  /** Stage named by the errors. */
  stage: Stage;
  /** What the connection is for, in the error message: `cannot prepare <what>: …`. */
  what: string;
}

/**
 * openSqliteDatabase gives an adapter beside the store its connection to the store's file: given a
 * path it opens its own (WAL, beside the store's; closed by the adapter), given the store's open
 * database it uses that and leaves closing it to the owner. `prepare` runs while the connection is
 * new (schema checks, table creation); if it throws, an owned connection is closed and the error is
 * a `store` NewsmirrorError naming `what`.
 */
export function openSqliteDatabase<T>(
  database: string | Database.Database,
  options: SqliteConnectionOptions,
  prepare: (db: Database.Database, owned: boolean) => T,
): T {
  const owned = typeof database === 'string';
  let db: Database.Database;
  try {
    db = typeof database === 'string' ? new Database(database) : database;
  } catch (error) {
    throw new NewsmirrorError('store', options.stage, `cannot open SQLite database ${String(database)}`, { cause: error });
  }
  try {
    if (owned) {
      db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      if (options.foreignKeys === true) db.pragma('foreign_keys = ON');
    }
    return prepare(db, owned);
  } catch (error) {
    if (owned) db.close();
    if (error instanceof NewsmirrorError) throw error;
    throw new NewsmirrorError('store', options.stage, `cannot prepare ${options.what}: ${errorMessage(error)}`, { cause: error });
  }
}
