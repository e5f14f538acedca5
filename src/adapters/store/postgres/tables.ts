import type { Clock, StoreColumnKind, StoreRow, StoreTable, StoreTables, StoreValue } from '../../../core/ports.js';
import { INSERTION_COLUMN } from '../tables.js';
import { quoteIdentifier, type PgQueryable, type PgScalar } from './client.js';
import { openMigrated } from './migrate.js';

/** PostgresStoreTablesOptions configures openPostgresStoreTables. */
export interface PostgresStoreTablesOptions {
  /** Schema holding the store's tables (created and migrated if needed); default: the connection's `search_path`. */
  schema?: string;
  /** Time source for the migration record; defaults to `Date.now`. */
  clock?: Clock;
}

const ARRAY_TYPE: Record<StoreColumnKind, string> = { text: 'text[]', int: 'bigint[]', bool: 'boolean[]', json: 'jsonb[]', bytes: 'bytea[]' };

/**
 * openPostgresStoreTables opens the store's PostgreSQL schema (migrated if needed) for a whole-store
 * copy: every table row by row, every column as kept. Reads run in one REPEATABLE READ, READ ONLY
 * transaction (one snapshot); writes in one transaction, a batch per statement. Throws a `store`
 * NewsmirrorError when the server cannot be reached.
 *
 * @example
 * const tables = await openPostgresStoreTables('postgres://newsmirror@db.internal/newsmirror', { schema: 'news' });
 */
export async function openPostgresStoreTables(url: string, options: PostgresStoreTablesOptions = {}): Promise<StoreTables> {
  const clientOptions: { schema?: string; maxConnections: number; clock?: Clock } = { maxConnections: 2 };
  if (options.schema !== undefined) clientOptions.schema = options.schema;
  if (options.clock !== undefined) clientOptions.clock = options.clock;
  const db = await openMigrated(url, clientOptions);

  const rowsOn = (tx: PgQueryable) =>
    async function* rows(table: StoreTable): AsyncIterable<StoreRow[]> {
      const byInsertion = table.order === 'insertion';
      const keyKinds = table.key.map((key) => table.columns.find((column) => column.name === key)?.kind ?? 'text');
      // Text keys compare byte-wise, as SQLite's do, whatever the database's locale.
      const keys = byInsertion ? [quoteIdentifier(INSERTION_COLUMN)] : table.key.map((key, n) => `${quoteIdentifier(key)}${keyKinds[n] === 'text' ? ' COLLATE "C"' : ''}`);
      const params = byInsertion ? ['$1::bigint'] : keyKinds.map((kind, n) => (kind === 'text' ? `$${n + 1}::text COLLATE "C"` : `$${n + 1}::bigint`));
      const columns = table.columns.map((column) => (column.kind === 'json' ? `${quoteIdentifier(column.name)}::text` : quoteIdentifier(column.name)));
      const select = `SELECT ${keys.map((key, n) => `${key} AS k${n}`).join(', ')}, ${columns.map((column, n) => `${column} AS c${n}`).join(', ')} FROM ${quoteIdentifier(table.name)}`;
      let after: PgScalar[] | undefined;
      for (;;) {
        const where = after === undefined ? '' : ` WHERE (${keys.join(', ')}) > (${params.join(', ')})`;
        const limit = `$${(after?.length ?? 0) + 1}`;
        const batch = await tx.query<Record<string, unknown>>(`${select}${where} ORDER BY ${keys.join(', ')} LIMIT ${limit}`, [...(after ?? []), table.batch]);
        if (batch.length === 0) return;
        const last = batch[batch.length - 1] ?? {};
        after = keys.map((_, n) => last[`k${n}`] as PgScalar);
        yield batch.map((row) => table.columns.map((column, n) => fromPostgres(column.kind, row[`c${n}`])));
        if (batch.length < table.batch) return;
      }
    };

  return {
    async describe() {
      const rows = await db.query<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name <> 'schema_migrations' ORDER BY table_name, ordinal_position`,
      );
      const out = new Map<string, string[]>();
      for (const row of rows) out.set(row.table_name, [...(out.get(row.table_name) ?? []), row.column_name]);
      return out;
    },
    read(work) {
      return db.transaction(async (tx) => {
        await tx.execute('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
        return work(rowsOn(tx));
      });
    },
    write(work) {
      return db.transaction((tx) =>
        work(async (table, rows) => {
          if (rows.length === 0) return;
          const names = table.columns.map((column) => quoteIdentifier(column.name));
          // WITH ORDINALITY keeps the batch's order, which is the insertion order `saved` records.
          await tx.execute(
            `INSERT INTO ${quoteIdentifier(table.name)} (${names.join(', ')})
             SELECT ${names.join(', ')} FROM unnest(${table.columns.map((column, n) => `$${n + 1}::${ARRAY_TYPE[column.kind]}`).join(', ')})
               WITH ORDINALITY AS batch (${names.join(', ')}, ordinal) ORDER BY ordinal`,
            table.columns.map((_, n) => rows.map((row) => row[n] ?? null)),
          );
        }),
      );
    },
    close() {
      return db.close();
    },
  };
}

function fromPostgres(kind: StoreColumnKind, value: unknown): StoreValue {
  if (value === null || value === undefined) return null;
  if (kind === 'json') return JSON.stringify(JSON.parse(String(value)));
  if (kind === 'bytes') return new Uint8Array(value as Buffer);
  return value as string | number | boolean;
}
