/**
 * The store's tables, column by column, for a whole-store copy between engines (`migrate-store`):
 * every table of both schemas is listed here or named as rebuilt, and uncoveredSchema says what a
 * database holds that this list does not, so a table added by a later migration cannot be left out
 * of a copy silently (the StoreTables contract checks both engines' schemas against this list).
 */
import type { StoreColumnKind, StoreTable } from '../../core/ports.js';

const table = (
  name: string,
  columns: string,
  key: string[],
  options: { order?: 'key' | 'insertion'; batch?: number; kinds?: Record<string, StoreColumnKind> } = {},
): StoreTable => ({
  name,
  // Columns default to text, except the ones named with their kind.
  columns: columns.split(/\s+/).filter((column) => column !== '').map((column) => ({ name: column, kind: options.kinds?.[column] ?? 'text' })),
  key,
  order: options.order ?? 'key',
  batch: options.batch ?? 500,
});

const ints = (...names: string[]): Record<string, StoreColumnKind> => Object.fromEntries(names.map((name) => [name, 'int' as const]));

/** STORE_TABLES are the tables a copy carries, parents before children (foreign keys hold at every insert). */
export const STORE_TABLES: readonly StoreTable[] = [
  table(
    'sources',
    `source_id etag last_modified last_attempt_at last_success_at last_error_code last_error consecutive_failures next_check_at guid_policy
     version lease_owner lease_until claimed_at`,
    ['source_id'],
    { kinds: ints('last_attempt_at', 'last_success_at', 'consecutive_failures', 'next_check_at', 'version', 'lease_until', 'claimed_at') },
  ),
  table(
    'articles',
    `id source_id key url canonical_url guid title published date_missing updated first_seen content_hash version path
     path_month method authors categories last_seen file_pending file_mark column_name`,
    ['id'],
    {
      kinds: {
        ...ints('published', 'updated', 'first_seen', 'version', 'last_seen', 'file_mark'),
        date_missing: 'bool',
        file_pending: 'bool',
        authors: 'json',
        categories: 'json',
      },
    },
  ),
  table('article_versions', 'article_id version title body_html content_hash seen_at', ['article_id', 'version'], { kinds: ints('version', 'seen_at'), batch: 200 }),
  table('raw_items', 'article_id version entry_json fetched_from', ['article_id', 'version'], { kinds: ints('version'), batch: 200 }),
  table(
    'suspect_versions',
    'article_id content_hash source_id title body_html reason seen_at entry_json fetched_from state',
    ['article_id', 'content_hash'],
    { kinds: ints('seen_at'), batch: 200 },
  ),
  table('run_reports', 'id started_at finished_at json', ['id'], { kinds: ints('started_at', 'finished_at'), order: 'insertion', batch: 100 }),
  table('media_items', 'url path bytes attempts next_attempt_at last_error_code last_error updated_at', ['url'], {
    kinds: ints('bytes', 'attempts', 'next_attempt_at', 'updated_at'),
  }),
  table('media_missing', 'article_id source_id url', ['article_id', 'url']),
  // Images are up to 10 MB each (media.maxImageBytes): a few per batch.
  table('media_blobs', 'path bytes size pending mark', ['path'], { kinds: { bytes: 'bytes', size: 'int', pending: 'bool', mark: 'int' }, batch: 8 }),
  table('recheck_state', 'article_id source_id next_check_at last_check_at last_status last_outcome etag last_modified page_hash gone_checks early_for', ['article_id'], {
    kinds: ints('next_check_at', 'last_check_at', 'last_status', 'gone_checks', 'early_for'),
  }),
  table('removals', 'article_id source_id first_gone_at confirmed_at withdrawn_at evidence', ['article_id', 'first_gone_at'], {
    kinds: ints('first_gone_at', 'confirmed_at', 'withdrawn_at'),
  }),
  table('work_leases', 'kind key lease_owner lease_until claimed_at', ['kind', 'key'], { kinds: ints('lease_until', 'claimed_at') }),
];

// The search index's tables: a copy leaves them out and the target is re-indexed.
const REBUILT_PREFIX = 'search_';

/** INSERTION_COLUMN is PostgreSQL's column that keeps the insertion order of an `insertion` table (SQLite: its rowid). */
export const INSERTION_COLUMN = 'saved';

/**
 * uncoveredSchema returns what `described` (a database's tables and columns, as StoreTables.describe
 * gives them) holds beyond STORE_TABLES and the search index, as `table` or `table.column` names;
 * tables of STORE_TABLES it lacks are named too, as `table (missing)`.
 */
export function uncoveredSchema(described: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const [name, columns] of described) {
    if (name.startsWith(REBUILT_PREFIX)) continue;
    const known = STORE_TABLES.find((spec) => spec.name === name);
    if (known === undefined) {
      out.push(name);
      continue;
    }
    const allowed = new Set(known.columns.map((column) => column.name));
    if (known.order === 'insertion') allowed.add(INSERTION_COLUMN);
    for (const column of columns) if (!allowed.has(column)) out.push(`${name}.${column}`);
  }
  for (const spec of STORE_TABLES) if (!described.has(spec.name)) out.push(`${spec.name} (missing)`);
  return out.sort();
}
