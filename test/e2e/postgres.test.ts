import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { fixtureFeeds, writeFeedsConfig } from '../helpers/fixture-feeds.js';
import { TEST_POSTGRES, usePostgresFeeds } from '../helpers/postgres.js';
import { runCli } from '../helpers/cli.js';
import { snapshotTree } from '../helpers/tree.js';

// The fixture corpus's real articles, one feed per source, served from loopback.
const { rows, feeds } = fixtureFeeds();
const CLOCK = String(Date.UTC(2026, 11, 7, 8, 0));

const writeConfig = (dir: string, database: string, feedBase: string): Promise<string> => writeFeedsConfig(dir, database, feedBase, feeds, 'media: { enabled: false }\n');

describe('the same commands on PostgreSQL (`database: postgres://…`)', { skip: TEST_POSTGRES.skip }, () => {
  const pg = usePostgresFeeds(feeds, 'newsmirror-pg-e2e-');

  it('PG-E2E-01 sync, status and search on PostgreSQL write the same archive and find the same articles as on SQLite', async () => {
    assert.ok(feeds.size >= 3, 'the fixture corpus has articles of several sources');
    const env = { NEWSMIRROR_CLOCK: CLOCK };
    const sqliteDir = join(pg.dir, 'sqlite');
    const postgresDir = join(pg.dir, 'postgres');
    const sqliteConfig = await writeConfig(sqliteDir, './store.db', pg.server.url);
    const postgresConfig = await writeConfig(postgresDir, pg.database, pg.server.url);

    for (const config of [sqliteConfig, postgresConfig]) {
      const sync = await runCli(['sync', '--config', config], env);
      assert.equal(sync.code, 0, sync.stderr);
    }
    const [sqliteTree, postgresTree] = await Promise.all([snapshotTree(join(sqliteDir, 'archive')), snapshotTree(join(postgresDir, 'archive'))]);
    const articles = [...postgresTree.keys()].filter((path) => path.startsWith('articles/'));
    assert.equal(articles.length, rows.length, 'every fixture article once');
    assert.deepEqual(
      [...postgresTree].map(([path, entry]) => [path, entry.sha]),
      [...sqliteTree].map(([path, entry]) => [path, entry.sha]),
      'the same files, byte for byte',
    );

    const status = await runCli(['status', '--json', '--config', postgresConfig], env);
    assert.equal(status.code, 0, status.stderr);
    const health = JSON.parse(status.stdout) as { id: string; articles: number }[];
    assert.equal(
      health.reduce((sum, source) => sum + source.articles, 0),
      rows.length,
    );

    for (const query of ['中国', '香港', 'the']) {
      const [onSqlite, onPostgres] = await Promise.all([
        runCli(['search', query, '--json', '--config', sqliteConfig], env),
        runCli(['search', query, '--json', '--config', postgresConfig], env),
      ]);
      assert.equal(onPostgres.code, 0, onPostgres.stderr);
      const total = (text: string) => (JSON.parse(text) as { total: number }).total;
      assert.equal(total(onPostgres.stdout), total(onSqlite.stdout), `the same total for ${query}`);
      if (query === '中国') assert.ok(total(onPostgres.stdout) > 0, 'the query finds articles');
    }

    const again = await runCli(['sync', '--config', postgresConfig], env);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(
      [...(await snapshotTree(join(postgresDir, 'archive')))].map(([path, entry]) => [path, entry.sha]),
      [...postgresTree].map(([path, entry]) => [path, entry.sha]),
      'a second sync of the same feeds changes nothing',
    );
  });

  it('PG-E2E-02 a database that does not exist on the server is exit 3 with a hint, not a crash or a failed source', async () => {
    const url = new URL(pg.schema.url);
    url.pathname = '/newsmirror_no_such_database';
    const config = await writeConfig(join(pg.dir, 'missing'), url.toString(), pg.server.url);
    const status = await runCli(['status', '--config', config]);
    assert.equal(status.code, 3, status.stderr);
    assert.match(status.stderr, /does not exist.*cannot be reached or refuses the connection/);
    assert.match(status.stderr, /hint: check that the server is running/);
  });
});

