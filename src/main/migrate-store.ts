/**
 * migrate-store: the whole store copied from the configured database to another, SQLite ↔ PostgreSQL
 * (docs/decisions.md D20). Every table of STORE_TABLES is streamed in batches from one snapshot of
 * the source into one transaction on the target, then both are counted and hashed table by table;
 * the target's search index is rebuilt from its articles.
 *
 * The target must be empty, or already hold exactly what the source holds (then nothing is copied):
 * merging two stores is not a copy, and a copy is all or nothing, so a killed one leaves an empty
 * target and re-running it starts over.
 */
import { createHash, type Hash } from 'node:crypto';
import type { Config } from '../config/index.js';
import { NewsmirrorError } from '../core/errors.js';
import type { Clock, Logger, StoreRow, StoreTable, StoreTables } from '../core/ports.js';
import { openPostgresStoreTables } from '../adapters/store/postgres/index.js';
import { openSqliteStoreTables } from '../adapters/store/sqlite/index.js';
import { STORE_TABLES, uncoveredSchema } from '../adapters/store/tables.js';
import { databaseOf, describeDatabase, openReaderContext } from './context.js';

/** TableDigest is one table's row count and the sha256 of its rows, in the table's order. */
export interface TableDigest {
  table: string;
  rows: number;
  sha256: string;
}

/** MigrateStoreReport is what migrateStore did: copied, or found the target identical; both sides' digests; articles indexed. */
export interface MigrateStoreReport {
  outcome: 'copied' | 'identical';
  source: TableDigest[];
  target: TableDigest[];
  indexed: number;
}

const INDEX_BATCH = 500;

/**
 * migrateStore copies the store of `config.database` to `to` (a SQLite file path or a postgres://
 * URL, `?schema=NAME` allowed) and checks the copy. Refuses, with a `usage` error, a target that
 * holds other data; fails with a `store` error when either schema holds a table or column the copy
 * does not know, or when the copy's counts or hashes differ from the source's. Messages never show
 * a password.
 *
 * @example
 * const report = await migrateStore(config, 'postgres://newsmirror@db.internal/newsmirror', { logger });
 */
export async function migrateStore(config: Config, to: string, options: { logger: Logger; clock?: Clock }): Promise<MigrateStoreReport> {
  const from = describeDatabase(config.database);
  const into = describeDatabase(to);
  const source = await openTables(config.database, options.clock);
  let target: StoreTables | undefined;
  try {
    target = await openTables(to, options.clock);
    await checkCovered(source, from);
    await checkCovered(target, into);
    const before = await target.read((rows) => digestAll(rows));
    let outcome: MigrateStoreReport['outcome'];
    let sourceDigest: TableDigest[];
    if (before.every((table) => table.rows === 0)) {
      options.logger.info('migrate-store: copying', { from, to: into });
      sourceDigest = await copyAll(source, target);
      outcome = 'copied';
    } else {
      sourceDigest = await source.read((rows) => digestAll(rows));
      const differing = differences(sourceDigest, before);
      if (differing.length > 0) {
        throw new NewsmirrorError('usage', 'store', `migrate-store: the target ${into} already holds a different store (${differing.join('; ')})`, {
          hint: 'migrate into an empty database, schema (postgres://…?schema=NAME) or a new SQLite file',
        });
      }
      outcome = 'identical';
    }
    const targetDigest = outcome === 'copied' ? await target.read((rows) => digestAll(rows)) : before;
    const mismatch = differences(sourceDigest, targetDigest);
    if (mismatch.length > 0) throw new NewsmirrorError('store', 'store', `migrate-store: the copy in ${into} differs from ${from}: ${mismatch.join('; ')}`);
    await target.close();
    target = undefined;
    options.logger.info('migrate-store: every table checked; re-indexing the target for search', { to: into });
    const indexed = await reindex(config, to, options);
    return { outcome, source: sourceDigest, target: targetDigest, indexed };
  } finally {
    await target?.close();
    await source.close();
  }
}

async function openTables(database: string, clock: Clock | undefined): Promise<StoreTables> {
  const target = databaseOf(database);
  const options = clock === undefined ? {} : { clock };
  if (target.engine === 'sqlite') return openSqliteStoreTables(target.file, options);
  return openPostgresStoreTables(target.url, target.schema === undefined ? options : { ...options, schema: target.schema });
}

async function checkCovered(tables: StoreTables, name: string): Promise<void> {
  const unknown = uncoveredSchema(await tables.describe());
  if (unknown.length > 0) {
    throw new NewsmirrorError('store', 'store', `migrate-store: ${name} has tables or columns the copy does not carry: ${unknown.join(', ')}`, {
      hint: 'a migration added them without a line in src/adapters/store/tables.ts (STORE_TABLES); nothing was copied',
    });
  }
}

/** copyAll streams every table from one snapshot of `source` into one transaction of `target`, digesting what it reads. */
function copyAll(source: StoreTables, target: StoreTables): Promise<TableDigest[]> {
  return source.read((rows) =>
    target.write(async (put) => {
      const digests: TableDigest[] = [];
      for (const table of STORE_TABLES) {
        const digest = startDigest(table);
        for await (const batch of rows(table)) {
          digest.add(batch);
          await put(table, batch);
        }
        digests.push(digest.end());
      }
      return digests;
    }),
  );
}

async function digestAll(rows: (table: StoreTable) => AsyncIterable<StoreRow[]>): Promise<TableDigest[]> {
  const digests: TableDigest[] = [];
  for (const table of STORE_TABLES) {
    const digest = startDigest(table);
    for await (const batch of rows(table)) digest.add(batch);
    digests.push(digest.end());
  }
  return digests;
}

/**
 * startDigest hashes a table's rows as both engines give them: each row's scalars as JSON (bytes as
 * their length), then the bytes themselves, so equal hashes mean equal rows in the same order.
 */
function startDigest(table: StoreTable): { add(rows: StoreRow[]): void; end(): TableDigest } {
  const hash: Hash = createHash('sha256');
  let count = 0;
  return {
    add(rows) {
      for (const row of rows) {
        hash.update(`${JSON.stringify(row.map((value) => (value instanceof Uint8Array ? { bytes: value.byteLength } : value)))}\n`);
        for (const value of row) if (value instanceof Uint8Array) hash.update(value);
        count++;
      }
    },
    end: () => ({ table: table.name, rows: count, sha256: hash.digest('hex') }),
  };
}

function differences(source: TableDigest[], target: TableDigest[]): string[] {
  return source.flatMap((mine, n) => {
    const theirs = target[n];
    if (theirs === undefined || theirs.rows !== mine.rows) return [`${mine.table}: ${mine.rows} row(s) in the source, ${theirs?.rows ?? 0} in the target`];
    return theirs.sha256 === mine.sha256 ? [] : [`${mine.table}: same count, different content`];
  });
}

/** reindex rebuilds the target's search index from its articles, in batches, as `reindex` does. */
async function reindex(config: Config, to: string, options: { logger: Logger; clock?: Clock }): Promise<number> {
  const context = await openReaderContext({ ...config, database: to }, options);
  try {
    const ids = await context.store.listArticleIds();
    let done = 0;
    for (let start = 0; start < ids.length; start += INDEX_BATCH) {
      const found = await context.store.getArticles(ids.slice(start, start + INDEX_BATCH));
      await context.search.index(found);
      done += found.length;
    }
    return done;
  } finally {
    await context.close();
  }
}
