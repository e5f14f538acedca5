/** Search index adapters: SQLite FTS5 and PostgreSQL (GIN) over the CJK bigram tokens of core/search. */
export { openSqliteSearchIndex } from './sqlite.js';
export type { SqliteSearchIndexOptions } from './sqlite.js';
export { MAX_SEARCH_LIMIT } from './paging.js';
export { openPostgresSearchIndex } from './postgres.js';
export type { PostgresSearchIndex, PostgresSearchIndexOptions, SearchRefill } from './postgres.js';
