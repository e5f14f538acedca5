import assert from 'node:assert/strict';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildRss, FIXTURE_CORPUS, loadCorpusRows, rowToItem } from '../../test/helpers/corpus.js';
import { startServer } from '../../test/helpers/fixture-server.js';
import { makeTempDir } from '../../test/helpers/tmp.js';
import { runCli } from '../../test/helpers/cli.js';
import { snapshotTree } from '../../test/helpers/tree.js';
import { createTestSchema, TEST_POSTGRES } from '../../test/helpers/postgres.js';
import { readConfig } from '../config/index.js';
import { isNewsmirrorError } from '../core/errors.js';
import type { Logger } from '../core/ports.js';
import { openContext } from './context.js';
import { openLeadership } from './roles.js';

const CLOCK = { NEWSMIRROR_CLOCK: String(Date.UTC(2026, 11, 7, 8, 0)) };
const rows = loadCorpusRows(FIXTURE_CORPUS).filter((row) => typeof row.link === 'string' && row.link.startsWith('http') && row.flags.length === 0);
const IDS = ['a', 'b', 'c', 'd', 'e', 'f'];
const feeds = new Map(IDS.map((id, s) => [id, buildRss({ title: id, link: `https://${id}.test/` }, rows.slice(s * 4, s * 4 + 4).map(rowToItem))]));

async function writeConfig(dir: string, feedBase: string, archive: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'newsmirror.yaml');
  const sources = IDS.map((id) => `  - { id: ${id}, name: "${id}", url: "${feedBase}/${id}.xml", fulltext: feed }`).join('\n');
  await writeFile(file, `archive: ${archive}\ndatabase: ./store.db\nnetwork: { allowPrivateNetworks: true, retries: 0, concurrency: 2 }\nmedia: { enabled: false }\nsources:\n${sources}\n`);
  return file;
}

describe('worker and archiver on SQLite (one machine, several processes)', () => {
  it('RO-01 two workers fetch each source once and write no file; the archiver then writes what a sync writes', async () => {
    const fetches = new Map<string, number>();
    const server = await startServer((req, res) => {
      const id = /^\/([a-z])\.xml$/.exec(req.url ?? '')?.[1] ?? '';
      fetches.set(id, (fetches.get(id) ?? 0) + 1);
      const body = feeds.get(id);
      if (body === undefined) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body);
    });
    const temp = await makeTempDir('newsmirror-roles-');
    try {
      const reference = await writeConfig(join(temp.dir, 'sync'), server.url, './archive');
      const sync = await runCli(['sync', '--config', reference], CLOCK);
      assert.equal(sync.code, 0, sync.stderr);
      fetches.clear();

      const config = await writeConfig(join(temp.dir, 'roles'), server.url, './archive');
      const workers = await Promise.all([0, 1].map(() => runCli(['worker', '--once', '--config', config], CLOCK)));
      for (const worker of workers) assert.equal(worker.code, 0, worker.stderr);
      assert.deepEqual([...fetches.entries()].sort(), IDS.map((id) => [id, 1]), 'each source fetched once, by one of the workers');
      await assert.rejects(access(join(temp.dir, 'roles', 'archive')), 'the workers wrote no archive file');
      const again = await runCli(['worker', '--once', '--config', config], CLOCK);
      assert.equal(again.code, 0, again.stderr);
      assert.equal(fetches.size, IDS.length, 'nothing is due again at the same time');
      assert.match(again.stdout, /worker: 0 source\(s\) synced/);
      const all = await Promise.all([0, 1].map(() => runCli(['worker', '--once', '--all', '--config', config], CLOCK)));
      for (const worker of all) assert.equal(worker.code, 0, worker.stderr);
      // A worker counts the sources not claimed since it started: one that starts after another
      // synced a source syncs it again (a conditional GET), so a source may be fetched twice here.
      assert.deepEqual(
        [...fetches.entries()].sort().map(([id, count]) => [id, count >= 2 && count <= 3]),
        IDS.map((id) => [id, true]),
        'with --all every source is due again',
      );

      const archiver = await runCli(['archiver', '--once', '--config', config], CLOCK);
      assert.equal(archiver.code, 0, archiver.stderr);
      const files = (tree: Map<string, { sha: string }>) => [...tree].filter(([path]) => path.startsWith('articles/') || path.startsWith('lists/')).map(([path, entry]) => [path, entry.sha]);
      const written = files(await snapshotTree(join(temp.dir, 'roles', 'archive')));
      assert.ok(written.length > IDS.length, 'article files and lists were written');
      assert.deepEqual(written, files(await snapshotTree(join(temp.dir, 'sync', 'archive'))), 'the same article files and lists as one sync');
    } finally {
      await server.close();
      await temp.cleanup();
    }
  });
});

const SILENT: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('the archive has one writer on PostgreSQL', { skip: TEST_POSTGRES.skip }, () => {
  it('RO-02 a sync is refused while an archiver leads, and an archiver does not lead beside a sync', async () => {
    const schema = await createTestSchema();
    const temp = await makeTempDir('newsmirror-roles-pg-');
    try {
      const file = join(temp.dir, 'newsmirror.yaml');
      await writeFile(file, `archive: ./archive\ndatabase: "${schema.url}?schema=${schema.schema}"\nmedia: { enabled: false }\nsources:\n  - { id: a, name: a, url: "https://a.test/feed.xml" }\n`);
      const config = await readConfig(file);
      const archiver = await openLeadership(config, 20);
      try {
        assert.equal(await archiver.acquire(), true);
        await assert.rejects(
          openContext(config, { logger: SILENT, lock: 'sync' }),
          (error: unknown) => isNewsmirrorError(error) && error.code === 'locked' && /sync: another newsmirror/.test(error.message),
          'the archive lock file alone would have let the sync in',
        );
      } finally {
        await archiver.close();
      }

      const sync = await openContext(config, { logger: SILENT, lock: 'sync' });
      let syncing = true;
      const standby = await openLeadership(config, 20);
      try {
        assert.equal(await standby.acquire(AbortSignal.abort()), false, 'the archiver waits while the sync writes');
        await sync.close();
        syncing = false;
        assert.equal(await standby.acquire(AbortSignal.abort()), true, 'and leads once the sync is done');
      } finally {
        if (syncing) await sync.close();
        await standby.close();
      }
    } finally {
      await temp.cleanup();
      await schema.drop();
    }
  });
});
