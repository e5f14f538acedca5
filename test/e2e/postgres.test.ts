import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildRss, FIXTURE_CORPUS, loadCorpusRows, rowToItem, SOURCE_IDS } from '../helpers/corpus.js';
import { startServer, type FixtureServer } from '../helpers/fixture-server.js';
import { createTestSchema, TEST_POSTGRES, type TestSchema } from '../helpers/postgres.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/tmp.js';
import { snapshotTree } from '../helpers/tree.js';

// The fixture corpus's real articles, one feed per source, served from loopback.
const rows = loadCorpusRows(FIXTURE_CORPUS).filter((row) => SOURCE_IDS[row.source] !== undefined && typeof row.link === 'string' && row.link.startsWith('http') && row.flags.length === 0);
const feeds = new Map<string, string>();
for (const [folder, id] of Object.entries(SOURCE_IDS)) {
  const items = rows.filter((row) => row.source === folder).map(rowToItem);
  if (items.length > 0) feeds.set(id, buildRss({ title: `${folder}`, link: `https://${id}.test/` }, items));
}
const CLOCK = String(Date.UTC(2026, 11, 7, 8, 0));

async function made(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  return dir;
}

async function writeConfig(dir: string, database: string, feedBase: string): Promise<string> {
  const file = join(dir, 'newsmirror.yaml');
  const sources = [...feeds.keys()].map((id) => `  - { id: ${id}, name: "${id} 测试", url: "${feedBase}/feeds/${id}.xml", fulltext: feed }`).join('\n');
  await writeFile(
    file,
    `archive: ./archive\ndatabase: "${database}"\nnetwork:\n  allowPrivateNetworks: true\n  retries: 0\nmedia: { enabled: false }\nsources:\n${sources}\n`,
  );
  return file;
}

describe('the same commands on PostgreSQL (`database: postgres://…`)', { skip: TEST_POSTGRES.skip }, () => {
  let server: FixtureServer;
  let schema: TestSchema;
  let temp: { dir: string; cleanup(): Promise<void> };

  before(async () => {
    server = await startServer((req, res) => {
      const id = /^\/feeds\/([a-z0-9_-]+)\.xml$/.exec(req.url ?? '')?.[1];
      const body = id === undefined ? undefined : feeds.get(id);
      if (body === undefined) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body);
    });
    schema = await createTestSchema();
    temp = await makeTempDir('newsmirror-pg-e2e-');
  });
  after(async () => {
    await server?.close();
    await schema?.drop();
    await temp?.cleanup();
  });

  it('PG-E2E-01 sync, status and search on PostgreSQL write the same archive and find the same articles as on SQLite', async () => {
    assert.ok(feeds.size >= 3, 'the fixture corpus has articles of several sources');
    const env = { NEWSMIRROR_CLOCK: CLOCK };
    const sqliteDir = join(temp.dir, 'sqlite');
    const postgresDir = join(temp.dir, 'postgres');
    const sqliteConfig = await writeConfig(await made(sqliteDir), './store.db', server.url);
    const postgresConfig = await writeConfig(await made(postgresDir), `${schema.url}?schema=${schema.schema}`, server.url);

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
});
