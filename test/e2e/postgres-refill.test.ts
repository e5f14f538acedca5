import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { connectPostgres } from '../../src/adapters/store/postgres/index.js';
import { fixtureFeeds, writeFeedsConfig } from '../helpers/fixture-feeds.js';
import { TEST_POSTGRES, usePostgresFeeds } from '../helpers/postgres.js';
import { runCli } from '../helpers/cli.js';

const { feeds } = fixtureFeeds();
const CLOCK = String(Date.UTC(2026, 11, 7, 8, 0));

describe('a PostgreSQL store upgraded through the search-key migration (0011) owes a reindex', { skip: TEST_POSTGRES.skip }, () => {
  const pg = usePostgresFeeds(feeds, 'newsmirror-pg-refill-');

  it('PG-REFILL-01 status names `newsmirror reindex` until a reindex has refilled the search', async () => {
    const env = { NEWSMIRROR_CLOCK: CLOCK };
    const config = await writeFeedsConfig(join(pg.dir, 'mirror'), pg.database, pg.server.url, feeds, 'media: { enabled: false }\n');
    assert.equal((await runCli(['sync', '--config', config], env)).code, 0);
    const synced = await runCli(['status', '--config', config], env);
    assert.doesNotMatch(synced.stderr, /reindex/, 'a store filled after the migration owes nothing');

    // The store as 0011 left it: articles, an empty search, and 0012 and 0013 not applied yet.
    const admin = connectPostgres(pg.schema.url, { maxConnections: 1, schema: pg.schema.schema });
    try {
      await admin.execute('DELETE FROM search_docs');
      await admin.execute('DROP TABLE search_refill');
      await admin.execute('DELETE FROM schema_migrations WHERE version >= 12');
    } finally {
      await admin.close();
    }

    const owed = await runCli(['status', '--config', config], env);
    assert.equal(owed.code, 0, owed.stderr);
    assert.match(owed.stderr, /search index is empty.*`newsmirror reindex`/);
    const empty = await runCli(['search', '香港', '--json', '--config', config], env);
    assert.equal((JSON.parse(empty.stdout) as { total: number }).total, 0);

    const reindex = await runCli(['reindex', '--config', config], env);
    assert.equal(reindex.code, 0, reindex.stderr);
    const after = await runCli(['status', '--config', config], env);
    assert.doesNotMatch(after.stderr, /reindex/);
    const found = await runCli(['search', '香港', '--json', '--config', config], env);
    assert.ok((JSON.parse(found.stdout) as { total: number }).total > 0, 'the reindexed search finds the stored articles');
  });
});
