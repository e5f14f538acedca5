/** Search index adapters: SQLite FTS5 over the CJK bigram tokens of core/search. */
export { openSqliteSearchIndex, MAX_SEARCH_LIMIT } from './sqlite.js';
export type { SqliteSearchIndexOptions } from './sqlite.js';
