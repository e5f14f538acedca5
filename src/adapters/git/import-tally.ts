/**
 * The import's tally on disk: a temporary SQLite database (an empty file name makes SQLite create
 * it in the temporary folder and delete it on close), so counting the distinct articles of a long
 * history costs a few megabytes of page cache, not an entry per article in memory.
 */
import Database from 'better-sqlite3';
import type { ImportTally, TalliedVersion } from '../../core/import/index.js';

/** TALLY_CACHE_KB bounds the page cache; the rest of the tally stays in its temporary file. */
const TALLY_CACHE_KB = 8_192;

/**
 * openImportTally opens an empty tally for one import run.
 *
 * @example
 * const tally = openImportTally();
 * await tally.note({ articleId, sourceId: 'rfi', path: 'articles/法广/1_a.md', atHead: false });
 * (await tally.counts()).get('rfi'); // { articles: 1, recovered: 1 }
 * await tally.close();
 */
export function openImportTally(): ImportTally {
  const db = new Database('');
  // A scratch database: nothing to recover after a crash, so no journal and no syncs.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma(`cache_size = -${TALLY_CACHE_KB}`);
  db.exec(`
    CREATE TABLE articles (id TEXT PRIMARY KEY, source_id TEXT NOT NULL, at_head INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE paths (id TEXT NOT NULL, path TEXT NOT NULL, PRIMARY KEY (id, path)) WITHOUT ROWID;
  `);
  const insertArticle = db.prepare<[string, string, number]>('INSERT OR IGNORE INTO articles (id, source_id, at_head) VALUES (?, ?, ?)');
  const markAtHead = db.prepare<[string]>('UPDATE articles SET at_head = 1 WHERE id = ? AND at_head = 0');
  const insertPath = db.prepare<[string, string]>('INSERT OR IGNORE INTO paths (id, path) VALUES (?, ?)');
  const counts = db.prepare<[], { source_id: string; articles: number; recovered: number }>(
    'SELECT source_id, count(*) AS articles, sum(at_head = 0) AS recovered FROM articles GROUP BY source_id',
  );
  // One transaction for the whole run: each statement alone would be a transaction of its own.
  db.exec('BEGIN');
  return {
    async note(version: TalliedVersion) {
      const newArticle = insertArticle.run(version.articleId, version.sourceId, version.atHead ? 1 : 0).changes > 0;
      if (!newArticle && version.atHead) markAtHead.run(version.articleId);
      const newPath = insertPath.run(version.articleId, version.path).changes > 0;
      return { newArticle, newPath };
    },
    async counts() {
      return new Map(counts.all().map((row) => [row.source_id, { articles: row.articles, recovered: row.recovered }]));
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
