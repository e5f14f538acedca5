/**
 * The behaviour every StoreTables must have, as one node:test suite, run against SQLite and PostgreSQL
 * (src/adapters/store/tables.test.ts). Each test gets a fresh, empty store.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isNewsmirrorError } from '../../../core/errors.js';
import type { Store, StoreRow, StoreTable, StoreTables } from '../../../core/ports.js';
import { STORE_TABLES, uncoveredSchema } from '../tables.js';

/** StoreTablesHarness is a freshly opened, empty store, its tables over the same database, and the function that disposes of both. */
export interface StoreTablesHarness {
  tables: StoreTables;
  store: Store;
  cleanup(): Promise<void>;
}

const T = Date.UTC(2023, 9, 20, 10, 15);
const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

// Keys in byte order ('B' < 'a' < 'é' < '中'), which a locale's collation would sort otherwise.
const ROWS: Record<string, StoreRow[]> = {
  sources: [
    ['B-src', '"etag"', 'Fri, 20 Oct 2023 10:15:00 GMT', T, T, null, null, 0, T + 1, 'url', 3, null, null, T],
    ['a-src', null, null, null, null, 'http-status', 'fetch: https://x.test/ → 503', 3, null, null, 0, 'host:1:w', T + 60_000, T],
    ['中文源', 'W/"x"', null, T, null, null, null, 0, T, 'guid', 1, null, null, null],
  ],
  articles: [
    ['B1', 'B-src', 'https://b.test/1', 'https://b.test/1?a=1', 'https://b.test/1', null, '标题 "一"', T, false, null, T, 'h1', 2, 'articles/B-src/2023/10/20/1015-B1.md', '2023-10', 'feed', '["作者","RFI"]', '[]', T + 5, true, 3, null],
    ['a1', 'a-src', 'k-a1', 'https://a.test/é', 'https://a.test/é', 'guid-1', "it's", T - 1, true, T + 1, T, 'h2', 1, 'articles/a-src/2023/10/20/1015-a1.md', null, 'page', '[]', '["国际"]', T, false, 1, '美国专栏'],
  ],
  article_versions: [
    ['B1', 1, '标题 "一"', '<p>一</p>', 'h0', T],
    ['B1', 2, '标题 "一"', '<p>一\u00a0二</p>\n<pre>  x</pre>', 'h1', T + 5],
    ['a1', 1, "it's", '', 'h2', T],
  ],
  raw_items: [
    ['B1', 1, '{"title":"一"}', 'https://b.test/feed.xml'],
    ['B1', 2, '{"title":"一","n":2}', 'https://b.test/feed.xml'],
  ],
  suspect_versions: [['B1', 'h9', 'B-src', '标题', '<p></p>', 'empty', T + 9, '{}', 'https://b.test/feed.xml', 'pending']],
  // Inserted out of key order: the copy keeps the order they were saved in.
  run_reports: [
    ['run-2', T, T + 10, '{"id":"run-2","finishedAt":1697796900010,"sources":[]}'],
    ['run-1', T, T + 20, '{"id":"run-1","finishedAt":1697796900020,"sources":[{"id":"中"}]}'],
  ],
  media_items: [
    ['https://img.test/a.jpg', 'media/ab/ab.jpg', 20_480, 0, null, null, null, T],
    ['https://img.test/b.jpg', null, null, 2, T + 3600_000, 'http-status', '503', T],
  ],
  media_missing: [['a1', 'a-src', 'https://img.test/b.jpg']],
  media_blobs: [
    ['media/00/00.png', bytes(0, 255, 1, 128), 4, true, 2],
    ['media/ff/ff.jpg', bytes(), 0, false, 1],
  ],
  recheck_state: [['B1', 'B-src', T + 3_600_000, T + 60_000, 404, 'gone', '"e1"', null, 'p1', 1, null]],
  removals: [['B1', 'B-src', T + 60_000, null, null, '[{"at":1,"status":404,"url":"https://b.test/1"}]']],
  work_leases: [
    ['images', 'a1', 'host:1:w', T + 300_000, T],
    ['recheck', 'B1', null, null, T + 60_000],
  ],
};

const sorted = (table: StoreTable, rows: StoreRow[]): StoreRow[] => {
  if (table.order === 'insertion') return rows;
  const at = table.key.map((key) => table.columns.findIndex((column) => column.name === key));
  const compare = (a: StoreRow, b: StoreRow): number => {
    for (const n of at) {
      const x = a[n] as string | number;
      const y = b[n] as string | number;
      if (x !== y) return typeof x === 'string' ? Buffer.compare(Buffer.from(x), Buffer.from(String(y))) : x - (y as number);
    }
    return 0;
  };
  return [...rows].sort(compare);
};

async function readAll(tables: StoreTables, batch?: number): Promise<Record<string, StoreRow[]>> {
  return tables.read(async (rows) => {
    const out: Record<string, StoreRow[]> = {};
    for (const table of STORE_TABLES) {
      out[table.name] = [];
      for await (const page of rows(batch === undefined ? table : { ...table, batch })) {
        assert.ok(page.length <= (batch ?? table.batch));
        out[table.name]?.push(...page);
      }
    }
    return out;
  });
}

/**
 * runStoreTablesContract registers the StoreTables suite under `name`. `open` must return a new,
 * empty store for every test, and `cleanup` must release and delete it.
 *
 * @example
 * runStoreTablesContract('sqlite', async () => ({ tables: openSqliteStoreTables(file), store: openSqliteStore(file), cleanup }));
 */
export function runStoreTablesContract(name: string, open: () => Promise<StoreTablesHarness>): void {
  describe(`StoreTables contract: ${name}`, () => {
    let harness: StoreTablesHarness;

    beforeEach(async () => {
      harness = await open();
    });

    afterEach(async () => {
      await harness.cleanup();
    });

    it('TB-01 every table and column of a migrated store is one the copy carries (or the search index)', async () => {
      assert.deepEqual(uncoveredSchema(await harness.tables.describe()), []);
      assert.deepEqual(Object.keys(ROWS).sort(), STORE_TABLES.map((table) => table.name).sort());
    });

    it('TB-02 rows written come back as written, in key order (insertion order for run reports), in batches', async () => {
      await harness.tables.write(async (put) => {
        for (const table of STORE_TABLES) await put(table, ROWS[table.name] ?? []);
      });
      const expected = Object.fromEntries(STORE_TABLES.map((table) => [table.name, sorted(table, ROWS[table.name] ?? [])]));
      assert.deepEqual(await readAll(harness.tables), expected);
      assert.deepEqual(await readAll(harness.tables, 1), expected);
      assert.equal((await harness.store.lastRunReport())?.id, 'run-1');
      assert.deepEqual((await harness.store.getArticle('B1'))?.authors, ['作者', 'RFI']);
      assert.deepEqual(await harness.store.listPendingFiles(), [{ id: 'B1', mark: 3 }]);
    });

    it('TB-03 a write is all or nothing', async () => {
      const sources = STORE_TABLES.find((table) => table.name === 'sources') as StoreTable;
      const first = ROWS.sources?.[0] as StoreRow;
      await assert.rejects(
        harness.tables.write(async (put) => {
          await put(sources, [first]);
          await put(sources, [first]);
        }),
        (error: unknown) => isNewsmirrorError(error) ? error.code === 'store' : error instanceof Error,
      );
      assert.deepEqual((await readAll(harness.tables)).sources, []);
    });

    it('TB-04 what the store wrote is read as it keeps it', async () => {
      await harness.store.saveSourceState({ sourceId: 'rfi', consecutiveFailures: 2, etag: '"e"', nextCheckAt: T });
      assert.deepEqual((await readAll(harness.tables)).sources, [['rfi', '"e"', null, null, null, null, null, 2, T, null, 1, null, null, null]]);
    });
  });
}
