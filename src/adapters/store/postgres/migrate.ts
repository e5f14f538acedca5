/**
 * Versioned migrations of the PostgreSQL schema: the files `migrations/NNNN-name.sql`, applied in
 * order, each recorded in `schema_migrations`. A released file is never edited: a schema change is
 * a new file. The build copies the folder next to the compiled code (package.json `build`).
 *
 * Every process that opens the database migrates it, so any number of workers can start at once:
 * the whole check-and-apply is one transaction that first takes a transaction-level advisory lock
 * (`pg_advisory_xact_lock`), keyed by the schema, so exactly one of them applies a migration and the
 * others then find it recorded. DDL is transactional in PostgreSQL: a failed migration leaves nothing.
 */
import { readdir, readFile } from 'node:fs/promises';
import { NewsmirrorError } from '../../../core/errors.js';
import type { Clock } from '../../../core/ports.js';
import { connectPostgres, quoteIdentifier, type PgClient, type PgClientOptions } from './client.js';

/** Migration is one versioned schema change. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
const FILE_NAME = /^(\d{4})-([a-z0-9-]+)\.sql$/;

// The advisory lock's first key: a fixed number naming "newsmirror migrations"; the second is the schema's hash.
const MIGRATION_LOCK_CLASS = 0x6e6d6967;

let loaded: Promise<Migration[]> | undefined;

/**
 * loadMigrations reads the migration files once per process, in version order. Versions must run
 * 1, 2, 3… without a gap, or it throws: a missing file would otherwise be skipped for good.
 */
export function loadMigrations(): Promise<Migration[]> {
  loaded ??= (async () => {
    const names = (await readdir(MIGRATIONS_DIR)).filter((name) => name.endsWith('.sql')).sort();
    const migrations: Migration[] = [];
    for (const name of names) {
      const match = FILE_NAME.exec(name);
      if (match === null || Number(match[1]) !== migrations.length + 1) {
        throw new NewsmirrorError('store', 'store', `postgres migration ${name}: expected ${String(migrations.length + 1).padStart(4, '0')}-<name>.sql`);
      }
      migrations.push({ version: migrations.length + 1, name, sql: await readFile(new URL(name, MIGRATIONS_DIR), 'utf8') });
    }
    return migrations;
  })();
  return loaded;
}

/**
 * migratePostgres brings the schema (created if missing) up to the newest migration and returns its
 * version. A schema already newer than this code is refused with a `store` error, unchanged.
 */
export async function migratePostgres(db: PgClient, schema: string | undefined, clock: Clock): Promise<number> {
  const migrations = await loadMigrations();
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext(coalesce($2, current_schema())))', [MIGRATION_LOCK_CLASS, schema ?? null]);
    if (schema !== undefined) await tx.execute(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    await tx.execute('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)');
    const [row] = await tx.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
    const current = row?.version ?? 0;
    if (current > migrations.length) {
      throw new NewsmirrorError('store', 'store', `database schema version ${current} is newer than this newsmirror (${migrations.length})`, {
        hint: 'upgrade newsmirror or use another database or schema',
      });
    }
    for (const migration of migrations.slice(current)) {
      await tx.execute(migration.sql);
      await tx.execute('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        Math.round(clock.now()),
      ]);
    }
    return migrations.length;
  });
}

/**
 * openMigrated connects to `url` and brings its schema up to date, as every adapter does on opening;
 * a failed migration closes the pool again before the error is thrown.
 */
export async function openMigrated(url: string, options: PgClientOptions & { clock?: Clock }): Promise<PgClient> {
  const { clock, ...clientOptions } = options;
  const db = connectPostgres(url, clientOptions);
  try {
    await migratePostgres(db, options.schema, clock ?? { now: () => Date.now() });
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
