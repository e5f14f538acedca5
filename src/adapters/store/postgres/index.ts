export { openPostgresStore } from './store.js';
export type { PostgresStoreOptions } from './store.js';
export { connectPostgres, quoteIdentifier } from './client.js';
export type { PgClient, PgClientOptions, PgQueryable, PgScalar, PgSession, PgValue } from './client.js';
export { openPostgresLeadership, openPostgresLeases } from './leases.js';
export { loadMigrations, migratePostgres, openMigrated } from './migrate.js';
export type { Migration } from './migrate.js';
export { openPostgresStoreTables } from './tables.js';
export type { PostgresStoreTablesOptions } from './tables.js';
