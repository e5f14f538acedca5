import Database from 'better-sqlite3';

/** SearchDump is every row of a SQLite search index's documents and every posting of its FTS5 tables, in order. */
export interface SearchDump {
  docs: unknown[];
  postings: unknown[];
}

/**
 * dumpSqliteSearch reads every search_docs row and every FTS5 posting (term, document, column,
 * offset) of both FTS5 tables of a SQLite file, so two indexes can be compared whole.
 */
export function dumpSqliteSearch(file: string): SearchDump {
  const db = new Database(file);
  try {
    const docs = db.prepare('SELECT * FROM search_docs ORDER BY doc').all();
    const postings: unknown[] = [];
    for (const table of ['search_fts', 'search_titles']) {
      db.exec(`CREATE VIRTUAL TABLE temp.${table}_terms USING fts5vocab(main, ${table}, 'instance')`);
      postings.push(...db.prepare(`SELECT term, doc, col, offset FROM temp.${table}_terms ORDER BY term, doc, col, offset`).all());
    }
    return { docs, postings };
  } finally {
    db.close();
  }
}
