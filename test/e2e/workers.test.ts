/**
 * Workers on PostgreSQL, as real processes of the built CLI (`bin/newsmirror.js`, so `dist/`: run
 * `npm run build` first): 60 sources on a local feed server move through overlapping windows while
 * three `worker --once` processes, one `archiver` and one `serve` run; one worker and the archiver
 * are SIGKILLed mid-run (on observed progress) and started again. The archive must end up the same,
 * byte for byte, as one SQLite `sync` per window; docs/deploy.md quotes these commands.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildRss, FIXTURE_CORPUS, loadCorpusRows, rowToItem } from '../helpers/corpus.js';
import { startServer, type FixtureServer } from '../helpers/fixture-server.js';
import { createTestSchema, TEST_POSTGRES, type TestSchema } from '../helpers/postgres.js';
import { finished, startCli as start, waitFor, type CliProcess as Proc } from '../helpers/cli-process.js';
import { runCli } from '../helpers/cli.js';
import { connectPostgres } from '../../src/adapters/store/postgres/index.js';

import { makeTempDir } from '../helpers/tmp.js';
import { snapshotTree } from '../helpers/tree.js';

const SOURCES = 60;
const WINDOW = 6;
const SHIFT = 3;
const WINDOWS = 3;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 11, 1, 8, 0);
// Two days apart: every source is due again in the next window (its longest interval is one day).
const clockOf = (window: number): string => String(T0 + window * 2 * DAY);

const rows = loadCorpusRows(FIXTURE_CORPUS).filter((row) => typeof row.link === 'string' && row.link.startsWith('http') && row.flags.length === 0);
const sourceIds = Array.from({ length: SOURCES }, (_, n) => `s${String(n).padStart(2, '0')}`);

/** The items source `s` serves in `window`: overlapping slices of its own list, links unique per source. */
function feedOf(s: number, window: number): string {
  const items = Array.from({ length: WINDOW }, (_, i) => {
    const n = window * SHIFT + i;
    const row = rows[(s * 5 + n) % rows.length]!;
    return { ...rowToItem(row), link: `${row.link}${row.link.includes('?') ? '&' : '?'}w=${s}-${n}` };
  });
  return buildRss({ title: sourceIds[s]!, link: `https://${sourceIds[s]!}.test/` }, items);
}

/** FeedLog is what the feed server saw: overlapping fetches of one source, and the statuses it answered. */
interface FeedLog {
  overlaps: string[];
  statuses: number[];
}

async function writeConfig(dir: string, database: string, feedBase: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'newsmirror.yaml');
  const sources = sourceIds.map((id) => `  - { id: ${id}, name: "${id} 测试", url: "${feedBase}/feeds/${id}.xml", fulltext: feed }`).join('\n');
  await writeFile(
    file,
    [
      'archive: ./archive',
      `database: "${database}"`,
      'network: { allowPrivateNetworks: true, retries: 0, concurrency: 4 }',
      'media: { enabled: false }',
      'server: { port: 0 }',
      // Short leases so a killed worker's sources are taken over within the test.
      'workers: { leaseSeconds: 2, pollSeconds: 0.2 }',
      'sources:',
      sources,
      '',
    ].join('\n'),
  );
  return file;
}

const articleFiles = (tree: Map<string, { sha: string }>): [string, string][] =>
  [...tree].filter(([path]) => path.startsWith('articles/')).map(([path, entry]) => [path, entry.sha]);

describe('workers, an archiver and a reader on PostgreSQL, as separate processes', { skip: TEST_POSTGRES.skip }, () => {
  let server: FixtureServer;
  let schema: TestSchema;
  let temp: { dir: string; cleanup(): Promise<void> };
  let window = 0;
  const log: FeedLog = { overlaps: [], statuses: [] };
  const running: Proc[] = [];

  before(async () => {
    const inFlight = new Set<string>();
    server = await startServer(async (req, res) => {
      const id = /^\/feeds\/(s\d\d)\.xml$/.exec(req.url ?? '')?.[1];
      if (id === undefined) return void res.writeHead(404).end();
      if (inFlight.has(id)) log.overlaps.push(id);
      inFlight.add(id);
      // A slow answer, so that two workers fetching one source at once would overlap here.
      await sleep(30);
      inFlight.delete(id);
      const etag = `"${id}-w${window}"`;
      const status = req.headers['if-none-match'] === etag ? 304 : 200;
      log.statuses.push(status);
      if (status === 304) return void res.writeHead(304, { etag }).end();
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(feedOf(sourceIds.indexOf(id), window));
    });
    schema = await createTestSchema();
    temp = await makeTempDir('newsmirror-workers-');
  });
  after(async () => {
    for (const proc of running) proc.child.kill('SIGKILL');
    await server?.close();
    await schema?.drop();
    await temp?.cleanup();
  });

  it('WK-01 every article once, the same files as a single SQLite sync, one fetcher per source, no ETag lost', async () => {
    const sqliteDir = join(temp.dir, 'sqlite');
    const sqliteConfig = await writeConfig(sqliteDir, './store.db', server.url);
    for (window = 0; window < WINDOWS; window++) {
      const sync = await runCli(['sync', '--config', sqliteConfig], { NEWSMIRROR_CLOCK: clockOf(window) });
      assert.equal(sync.code, 0, sync.stderr);
    }
    const reference = articleFiles(await snapshotTree(join(sqliteDir, 'archive')));
    assert.equal(reference.length, SOURCES * (WINDOW + (WINDOWS - 1) * SHIFT), 'the reference holds every article of every window');

    const pgDir = join(temp.dir, 'postgres');
    const db = connectPostgres(schema.url, { schema: schema.schema, maxConnections: 1 });
    const archived = async (): Promise<void> => {
      for (;;) {
        const [row] = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM articles WHERE file_pending');
        if (row?.count === 0) return;
        await sleep(50);
      }
    };
    const config = await writeConfig(pgDir, `${schema.url}?schema=${schema.schema}`, server.url);
    const serve = start(['serve', '--config', config]);
    running.push(serve);
    let archiver = start(['archiver', '--config', config]);
    running.push(archiver);
    await waitFor(archiver, () => archiver.lines.includes('archiver: leading'), 'the archiver leads');

    const workers = (clock: string): Proc[] => [0, 1, 2].map(() => start(['worker', '--once', '--config', config], { NEWSMIRROR_CLOCK: clock }));
    const synced = (proc: Proc): number => proc.lines.filter((line) => /^worker: s\d\d /.test(line)).length;
    log.statuses.length = 0;
    for (window = 0; window < WINDOWS; window++) {
      const round = workers(clockOf(window));
      running.push(...round);
      if (window === 1) {
        // kill -9 a worker once it has synced a few sources (it holds leases on others), then start it again.
        const victim = round[0]!;
        await waitFor(victim, () => synced(victim) >= 3, 'a worker syncs sources');
        victim.child.kill('SIGKILL');
        assert.equal(await victim.exited, null, 'the worker was killed');
        const again = start(['worker', '--once', '--config', config], { NEWSMIRROR_CLOCK: clockOf(window) });
        running.push(again);
        round[0] = again;
      }
      if (window === 2) {
        // kill -9 the archiver once it writes this window's files, then start it again.
        const before = archiver.lines.length;
        const victim = archiver;
        await waitFor(victim, () => victim.lines.slice(before).some((line) => / file\(s\) written/.test(line)), 'the archiver writes files');
        victim.child.kill('SIGKILL');
        assert.equal(await victim.exited, null, 'the archiver was killed');
        archiver = start(['archiver', '--config', config]);
        running.push(archiver);
      }
      for (const [n, proc] of round.entries()) await finished(proc, `worker ${n} of window ${window}`);
      // A file shows the store when it is written (its last-seen time too): as a single sync does,
      // the archiver writes a window's files before the next window's syncs see the articles again.
      await archived();
    }
    assert.equal(log.statuses.filter((status) => status === 200).length >= SOURCES * WINDOWS, true, 'every source fetched in every window');

    // One more round of the last window: every source answers 304 only if each kept its ETag.
    window = WINDOWS - 1;
    log.statuses.length = 0;
    const last = workers(clockOf(WINDOWS));
    running.push(...last);
    for (const [n, proc] of last.entries()) await finished(proc, `worker ${n} of the last round`);
    assert.deepEqual(log.statuses, Array.from({ length: SOURCES }, () => 304), 'the last round is all 304s: no ETag lost');
    assert.deepEqual(log.overlaps, [], 'no source was fetched by two workers at once');

    // The running archiver hands over to `archiver --once`, which writes what is left and exits.
    archiver.child.kill('SIGTERM');
    await finished(archiver, 'the archiver stopped');
    await finished(start(['archiver', '--once', '--config', config]), 'archiver --once');

    const mirrored = articleFiles(await snapshotTree(join(pgDir, 'archive')));
    assert.deepEqual(mirrored, reference, 'the same article files, byte for byte, as one SQLite sync per window');

    const port = /serving (http:\/\/[^ ]+?)\/? /.exec(serve.lines.join('\n'))?.[1];
    assert.ok(port, `serve printed its address: ${serve.lines.join('\n')}`);
    const health = await fetch(`${port}/api/articles?limit=1`);
    assert.equal(health.status, 200, 'the reader answers from the same database');
    serve.child.kill('SIGTERM');
    await serve.exited;
    await db.close();
  });

  it('WK-02 `run` on PostgreSQL is a worker, an archiver and the reader in one process', async () => {
    const own = await createTestSchema();
    try {
      window = 0;
      const dir = join(temp.dir, 'run');
      const config = await writeConfig(dir, `${own.url}?schema=${own.schema}`, server.url);
      const run = start(['run', '--config', config], { NEWSMIRROR_CLOCK: clockOf(0) });
      running.push(run);
      // The reader opens once the schema is migrated.
      await waitFor(run, () => run.lines.some((line) => line.startsWith('run: web reader at http://')), 'run serves the reader');
      const db = connectPostgres(own.url, { schema: own.schema, maxConnections: 1 });
      let exited = false;
      void run.exited.then(() => (exited = true));
      try {
        for (;;) {
          assert.equal(exited, false, `run exited\n${run.lines.join('\n')}\n${run.stderr}`);
          const [row] = await db.query<{ stored: number; pending: number }>(
            'SELECT count(*)::int AS stored, count(*) FILTER (WHERE file_pending)::int AS pending FROM articles',
          );
          if (row?.stored === SOURCES * WINDOW && row.pending === 0) break;
          await sleep(100);
        }
      } finally {
        await db.close();
      }
      run.child.kill('SIGTERM');
      await finished(run, 'run');
      const files = articleFiles(await snapshotTree(join(dir, 'archive')));
      assert.equal(files.length, SOURCES * WINDOW, 'the archiver of `run` wrote every article file');
    } finally {
      await own.drop();
    }
  });
});
