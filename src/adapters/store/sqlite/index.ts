export { migrateSqlite, openSqliteStore } from './store.js';
export type { SqliteStoreOptions } from './store.js';
export { MIGRATIONS } from './migrations.js';
export { guardSqliteErrors } from './guard.js';
export { openSqliteLeases, openSqliteWorkLeases } from './leases.js';
export { openSqliteStoreTables } from './tables.js';
export type { SqliteStoreTablesOptions } from './tables.js';
export { openSqliteRecheckStore } from './recheck.js';
