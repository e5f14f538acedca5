import assert from 'node:assert/strict';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteMediaBlobs, openSqliteMediaState } from '../../src/adapters/media/index.js';
import { openSqliteStore } from '../../src/adapters/store/sqlite/index.js';
import { STORE_TABLES } from '../../src/adapters/store/tables.js';
import { blobOf } from '../../src/adapters/media/contract/index.js';
import { fixtureFeeds, writeFeedsConfig } from '../helpers/fixture-feeds.js';
import { TEST_POSTGRES, usePostgresFeeds } from '../helpers/postgres.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/tmp.js';
import { snapshotTree } from '../helpers/tree.js';

// The fixture corpus's real articles, one feed per source, served from loopback.
const { rows, feeds } = fixtureFeeds();
const CLOCK = String(Date.UTC(2026, 11, 7, 8, 0));
const env = { NEWSMIRROR_CLOCK: CLOCK };

const writeConfig = (dir: string, database: string, feedBase: string): Promise<string> => writeFeedsConfig(dir, database, feedBase, feeds);

/** tableLines are the per-table `name rows sha256` lines migrate-store prints. */
function tableLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => /^ {2}\S+ +\d+ {2}[0-9a-f]{64}$/.test(line)).map((line) => line.trim().replace(/ +/g, ' '));
}

const treeOf = async (root: string): Promise<[string, string][]> => [...(await snapshotTree(root))].map(([path, entry]) => [path, entry.sha]);

describe('migrate-store between SQLite and PostgreSQL', { skip: TEST_POSTGRES.skip }, () => {
  const pg = usePostgresFeeds(feeds, 'newsmirror-migrate-');

  it('MIGRATE-E01 SQLite → PostgreSQL → SQLite keeps every table (same counts and hashes) and the archive unchanged', async () => {
    const sqliteDir = join(pg.dir, 'sqlite');
    const sqliteConfig = await writeConfig(sqliteDir, './store.db', pg.server.url);
    const sync = await runCli(['sync', '--config', sqliteConfig], env);
    assert.equal(sync.code, 0, sync.stderr);
    // A worker's image in the store and the image state, so media rows travel too.
    const image = new TextEncoder().encode('\x89PNG\r\n\x1a\n not really');
    const blobs = openSqliteMediaBlobs(join(sqliteDir, 'store.db'));
    await blobs.put(blobOf(image), image);
    await blobs.close();
    const state = openSqliteMediaState(join(sqliteDir, 'store.db'));
    await state.saveItems([{ url: 'https://img.test/a.png', path: blobOf(image), bytes: image.length, attempts: 0, updatedAt: Number(CLOCK) }]);
    await state.close();
    const archive = await treeOf(join(sqliteDir, 'archive'));
    assert.ok(archive.filter(([path]) => path.startsWith('articles/')).length === rows.length && rows.length > 0);

    const pgUrl = pg.database;
    const toPostgres = await runCli(['migrate-store', '--to', pgUrl, '--config', sqliteConfig], env);
    assert.equal(toPostgres.code, 0, toPostgres.stderr);
    assert.match(toPostgres.stdout, /: copied\n/);
    assert.doesNotMatch(toPostgres.stdout + toPostgres.stderr, /postgres@/, 'the user and password are redacted');
    const first = tableLines(toPostgres.stdout);
    assert.equal(first.length, STORE_TABLES.length, "one line per table");
    assert.ok(first.includes(`articles ${rows.length} ${first.find((line) => line.startsWith('articles '))?.split(' ')[2]}`));
    assert.ok(first.some((line) => line.startsWith('media_blobs 1 ')));
    assert.match(toPostgres.stdout, new RegExp(`${rows.length} article\\(s\\) indexed`));

    const again = await runCli(['migrate-store', '--to', pgUrl, '--config', sqliteConfig], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nothing copied/);
    assert.deepEqual(tableLines(again.stdout), first);

    // Back to a new SQLite file, from a config on PostgreSQL whose archive is a copy of the first.
    const postgresDir = join(pg.dir, 'postgres');
    const postgresConfig = await writeConfig(postgresDir, pgUrl, pg.server.url);
    await cp(join(sqliteDir, 'archive'), join(postgresDir, 'archive'), { recursive: true });
    const search = await runCli(['search', '中国', '--json', '--config', postgresConfig], env);
    const searchBefore = await runCli(['search', '中国', '--json', '--config', sqliteConfig], env);
    assert.equal((JSON.parse(search.stdout) as { total: number }).total, (JSON.parse(searchBefore.stdout) as { total: number }).total);
    const finalStore = join(pg.dir, 'final', 'store.db');
    const back = await runCli(['migrate-store', '--to', finalStore, '--config', postgresConfig], env);
    assert.equal(back.code, 0, back.stderr);
    assert.deepEqual(tableLines(back.stdout), first, 'the same counts and hashes after the round trip');

    // The final store drives the archive exactly as the first did: a sync of the same feeds writes nothing,
    // and a rebuild from the files then a sync leave every file as it was.
    const finalDir = join(pg.dir, 'final');
    const finalConfig = await writeConfig(finalDir, './store.db', pg.server.url);
    await cp(join(sqliteDir, 'archive'), join(finalDir, 'archive'), { recursive: true });
    const status = async (config: string): Promise<unknown> => JSON.parse((await runCli(['status', '--json', '--config', config], env)).stdout);
    assert.deepEqual(await status(finalConfig), await status(sqliteConfig), 'the same sources, counts and health');
    const resync = await runCli(['sync', '--config', finalConfig], env);
    assert.equal(resync.code, 0, resync.stderr);
    assert.deepEqual(await treeOf(join(finalDir, 'archive')), archive);
    const rebuild = await runCli(['rebuild', '--config', finalConfig], env);
    assert.equal(rebuild.code, 0, rebuild.stderr);
    assert.match(rebuild.stdout, new RegExp(`${rows.length} article\\(s\\) restored`));
    const afterRebuild = await runCli(['sync', '--config', finalConfig], env);
    assert.equal(afterRebuild.code, 0, afterRebuild.stderr);
    assert.deepEqual(await treeOf(join(finalDir, 'archive')), archive);
  });
});

describe('migrate-store refusals', () => {
  let temp: { dir: string; cleanup(): Promise<void> };
  before(async () => {
    temp = await makeTempDir('newsmirror-migrate-refuse-');
  });
  after(async () => {
    await temp?.cleanup();
  });

  it('MIGRATE-E02 a target holding another store is refused and left alone; no --to is a usage error; no password is shown', async () => {
    const config = await writeConfig(join(temp.dir, 'mine'), './store.db', 'http://127.0.0.1:9');
    const mine = openSqliteStore(join(temp.dir, 'mine', 'store.db'));
    await mine.saveSourceState({ sourceId: 'rfi', consecutiveFailures: 1 });
    await mine.close();
    const otherFile = join(temp.dir, 'other.db');
    const other = openSqliteStore(otherFile);
    await other.saveSourceState({ sourceId: 'voa', consecutiveFailures: 0 });
    await other.close();

    const refused = await runCli(['migrate-store', '--to', otherFile, '--config', config], env);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /already holds a different store \(sources: same count, different content\)/);
    const reopened = openSqliteStore(otherFile);
    assert.deepEqual((await reopened.listSourceStates()).map((state) => state.sourceId), ['voa']);
    await reopened.close();

    const missing = await runCli(['migrate-store', '--config', config], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /needs --to/);

    const unreachable = await runCli(['migrate-store', '--to', 'postgres://nobody:sekrit@127.0.0.1:1/x', '--config', config], env);
    assert.notEqual(unreachable.code, 0);
    assert.doesNotMatch(unreachable.stdout + unreachable.stderr, /sekrit/);
  });
});
