import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { NewsmirrorError, errorMessage } from '../../../core/errors.js';
import type { Clock, StoreRow, StoreTable, StoreTables, StoreValue } from '../../../core/ports.js';
import { MEDIA_STATE_SCHEMA } from '../../media/sqlite-state.js';
import { migrateSqlite } from './store.js';

/** SqliteStoreTablesOptions configures openSqliteStoreTables. */
export interface SqliteStoreTablesOptions {
  /** Time source for the migration record; defaults to `Date.now`. */
  clock?: Clock;
  /** How long a writer waits for another connection's lock, in ms (default 5,000). */
  busyTimeoutMs?: number;
}

/**
 * openSqliteStoreTables opens the store's SQLite file (created and migrated if needed, the media
 * tables too) for a whole-store copy: every table row by row, every column as kept. Reads run in one
 * read transaction (a snapshot, in WAL mode), writes in one write transaction. Throws a `store`
 * NewsmirrorError when the file cannot be opened or migrated.
 *
 * @example
 * const tables = openSqliteStoreTables('data/newsmirror.db');
 */
export function openSqliteStoreTables(file: string, options: SqliteStoreTablesOptions = {}): StoreTables {
  let db: Database.Database;
  try {
    mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
  } catch (error) {
    throw new NewsmirrorError('store', 'store', `cannot open SQLite database ${file}: ${errorMessage(error)}`, { cause: error });
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    migrateSqlite(db, options.clock ?? { now: () => Date.now() });
    // The media state creates its tables on open rather than by a store migration; a copy needs them too.
    db.exec(MEDIA_STATE_SCHEMA);
  } catch (error) {
    db.close();
    if (error instanceof NewsmirrorError) throw error;
    throw new NewsmirrorError('store', 'store', `cannot prepare SQLite database ${file}: ${errorMessage(error)}`, { cause: error });
  }

  const inTransaction = async <T>(begin: string, work: () => Promise<T>): Promise<T> => {
    db.exec(begin);
    try {
      const result = await work();
      db.exec('COMMIT');
      return result;
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  };

  async function* rows(table: StoreTable): AsyncIterable<StoreRow[]> {
    const columns = table.columns.map((column) => quote(column.name)).join(', ');
    const byInsertion = table.order === 'insertion';
    const keys = byInsertion ? ['rowid'] : table.key.map(quote);
    const select = `SELECT ${keys.map((key, n) => `${key} AS k${n}`).join(', ')}, ${columns} FROM ${quote(table.name)}`;
    const order = `ORDER BY ${keys.join(', ')} LIMIT ?`;
    const first = db.prepare(`${select} ${order}`).raw(true);
    const next = db.prepare(`${select} WHERE (${keys.join(', ')}) > (${keys.map(() => '?').join(', ')}) ${order}`).raw(true);
    let after: unknown[] | undefined;
    for (;;) {
      const batch = (after === undefined ? first.all(table.batch) : next.all(...after, table.batch)) as unknown[][];
      if (batch.length === 0) return;
      after = batch[batch.length - 1]?.slice(0, keys.length);
      yield batch.map((row) => table.columns.map((column, n) => fromSqlite(column.kind, row[keys.length + n])));
      if (batch.length < table.batch) return;
    }
  }

  const inserts = new Map<string, Database.Statement>();
  const insertFor = (table: StoreTable): Database.Statement => {
    let statement = inserts.get(table.name);
    if (statement === undefined) {
      statement = db.prepare(
        `INSERT INTO ${quote(table.name)} (${table.columns.map((column) => quote(column.name)).join(', ')}) VALUES (${table.columns.map(() => '?').join(', ')})`,
      );
      inserts.set(table.name, statement);
    }
    return statement;
  };

  return {
    describe() {
      const names = db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'schema_migrations' ORDER BY name")
        .all();
      const columns = db.prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?) ORDER BY cid');
      return Promise.resolve(new Map(names.map(({ name }) => [name, columns.all(name).map((column) => column.name)])));
    },
    read(work) {
      // A deferred transaction takes its snapshot at the first read; every batch then sees the same store.
      return inTransaction('BEGIN', () => work(rows));
    },
    write(work) {
      return inTransaction('BEGIN IMMEDIATE', () =>
        work((table, batch) => {
          const insert = insertFor(table);
          for (const row of batch) insert.run(...table.columns.map((column, n) => toSqlite(column.kind, row[n] ?? null)));
          return Promise.resolve();
        }),
      );
    },
    close() {
      if (db.open) db.close();
      return Promise.resolve();
    },
  };
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function fromSqlite(kind: StoreTable['columns'][number]['kind'], value: unknown): StoreValue {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'bool':
      return value === 1;
    case 'json':
      return JSON.stringify(JSON.parse(String(value)));
    case 'bytes':
      return new Uint8Array(value as Buffer);
    default:
      return value as string | number;
  }
}

function toSqlite(kind: StoreTable['columns'][number]['kind'], value: StoreValue): string | number | Buffer | null {
  if (value === null) return null;
  if (kind === 'bool') return value === true ? 1 : 0;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return typeof value === 'boolean' ? Number(value) : value;
}
