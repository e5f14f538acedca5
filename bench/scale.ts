/**
 * npm run bench:scale — 600 sources on a local feed server that answers after 200 ms, synced into an
 * empty store by 1, 2 and 4 `worker --once` processes on PostgreSQL and by one SQLite `sync` process,
 * in one run, each with the built CLI. Prints articles/s as ratios against the named peers (4 workers
 * against 1; one PostgreSQL worker against SQLite), the peak RSS (VmHWM) of every worker, and the load
 * average beside each figure: the machine is shared. Targets (issue 12): 4 workers ≥ 3× one worker,
 * one PostgreSQL worker ≥ 70 % of SQLite, < 200 MB per worker.
 *
 * Needs a PostgreSQL server: NEWSMIRROR_TEST_POSTGRES (test/scripts/pg-cluster.sh start).
 * BENCH_SOURCES, BENCH_ITEMS and BENCH_DELAY_MS change the feed server; BENCH_CONCURRENCY (default 8) is
 * every process's `network.concurrency` and `perHost`: the syncs one process keeps in flight. With a
 * small one, the run is bound by the feed server's latency, the case issue 12 names; with 8 on two
 * shared cores, by the processor.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { FIXTURE_CORPUS, SHARED_CORPUS, buildRss, loadCorpusRows, rowToItem } from '../test/helpers/corpus.js';
import { connectPostgres, quoteIdentifier } from '../src/adapters/store/postgres/index.js';

const SOURCES = Number(process.env.BENCH_SOURCES ?? 600);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 10);
const DELAY_MS = Number(process.env.BENCH_DELAY_MS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const BIN = fileURLToPath(new URL('../bin/newsmirror.js', import.meta.url));
const POSTGRES = process.env.NEWSMIRROR_TEST_POSTGRES;

const corpus = SHARED_CORPUS.skip === false ? SHARED_CORPUS : FIXTURE_CORPUS;
const rows = loadCorpusRows(corpus).filter((row) => row.flags.length === 0 && typeof row.link === 'string' && row.link.startsWith('http'));
const feeds = new Map<string, Buffer>();
for (let s = 0; s < SOURCES; s++) {
  const items = Array.from({ length: ITEMS }, (_, i) => {
    const row = rows[(s * ITEMS + i) % rows.length]!;
    return { ...rowToItem(row), link: `${row.link}${row.link.includes('?') ? '&' : '?'}scale=${s}-${i}` };
  });
  feeds.set(`/feeds/s${s}.xml`, Buffer.from(buildRss({ title: `s${s}`, link: 'https://example.com/' }, items)));
}

let firstRequest = 0;
const server = createServer((req, res) => {
  firstRequest ||= performance.now();
  const body = feeds.get(req.url ?? '');
  // The latency of a distant feed host: the work is waiting, which more workers overlap.
  setTimeout(() => {
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body);
  }, DELAY_MS);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.address();
const feedBase = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

async function writeConfig(dir: string, database: string): Promise<string> {
  const file = join(dir, 'newsmirror.yaml');
  const sources = Array.from({ length: SOURCES }, (_, s) => `  - { id: s${s}, name: s${s}, url: "${feedBase}/feeds/s${s}.xml", fulltext: feed }`).join('\n');
  await writeFile(
    file,
    `archive: ./archive\ndatabase: "${database}"\nnetwork: { allowPrivateNetworks: true, retries: 0, concurrency: ${CONCURRENCY}, perHost: ${CONCURRENCY} }\nmedia: { enabled: false }\nsources:\n${sources}\n`,
  );
  return file;
}

/** runProcess runs the built CLI and samples its peak resident memory (VmHWM) from /proc while it runs. */
function runProcess(args: string[]): Promise<{ code: number | null; peakMb: number; out: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let peakKb = 0;
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const sample = (): void => {
    try {
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
      if (hwm !== undefined) peakKb = Math.max(peakKb, Number(hwm));
    } catch {
      // The process has just exited: its last sample stands.
    }
  };
  const sampler = setInterval(sample, 100);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearInterval(sampler);
      resolve({ code, peakMb: peakKb / 1024, out });
    }),
  );
}

/** Measured is one configuration's throughput and its processes' peak memory. */
interface Measured {
  name: string;
  articlesPerSecond: number;
  peaksMb: number[];
  load: string;
}

/** measure runs `processes` copies of the command at once; the clock runs from the first feed request to the last exit. */
async function measure(name: string, args: string[], processes: number, countArticles: () => Promise<number>): Promise<Measured> {
  firstRequest = 0;
  const runs = await Promise.all(Array.from({ length: processes }, () => runProcess(args)));
  const elapsed = (performance.now() - firstRequest) / 1000;
  for (const run of runs) if (run.code !== 0) throw new Error(`${name}: exit ${run.code}\n${run.out}`);
  const articles = await countArticles();
  if (articles !== SOURCES * ITEMS) throw new Error(`${name}: ${articles} articles stored, not ${SOURCES * ITEMS}`);
  return { name, articlesPerSecond: articles / elapsed, peaksMb: runs.map((run) => run.peakMb), load: loadavg().map((n) => n.toFixed(2)).join(' ') };
}

async function onPostgres(workers: number, url: string): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), 'newsmirror-scale-'));
  const schema = `bench_scale_${process.pid}_${workers}`;
  const db = connectPostgres(url, { maxConnections: 1 });
  await db.execute(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
  try {
    const config = await writeConfig(dir, `${url}?schema=${schema}`);
    // Migrated before the clock starts, as a deployment's database is.
    const init = await runProcess(['status', '--config', config]);
    if (init.code !== 0) throw new Error(`status: ${init.out}`);
    return await measure(`${workers} PostgreSQL worker(s)`, ['worker', '--once', '--config', config], workers, async () => {
      const [row] = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${quoteIdentifier(schema)}.articles`);
      return row?.count ?? 0;
    });
  } finally {
    await db.execute(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function onSqlite(): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), 'newsmirror-scale-'));
  try {
    const config = await writeConfig(dir, './store.db');
    return await measure('1 SQLite sync', ['sync', '--config', config], 1, async () => {
      const status = await runProcess(['status', '--json', '--config', config]);
      const sources = JSON.parse(status.out.slice(status.out.indexOf('['))) as { articles: number }[];
      return sources.reduce((sum, source) => sum + source.articles, 0);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (POSTGRES === undefined || POSTGRES === '') {
  process.stdout.write('bench:scale needs PostgreSQL: set NEWSMIRROR_TEST_POSTGRES (test/scripts/pg-cluster.sh start)\n');
  server.close();
  process.exit(2);
}
process.stdout.write(`bench:scale: ${SOURCES} sources × ${ITEMS} items (${corpus.name} corpus), the feed server answers after ${DELAY_MS} ms; ${CONCURRENCY} syncs in flight per process\n`);
const results: Measured[] = [];
for (const run of [() => onSqlite(), () => onPostgres(1, POSTGRES), () => onPostgres(2, POSTGRES), () => onPostgres(4, POSTGRES)]) {
  const result = await run();
  results.push(result);
  process.stdout.write(
    `  ${result.name.padEnd(24)} ${result.articlesPerSecond.toFixed(0).padStart(6)} articles/s   peak RSS ${result.peaksMb.map((mb) => `${mb.toFixed(0)} MB`).join(', ')}   (load ${result.load})\n`,
  );
  await sleep(500);
}
server.close();
const [sqlite, one, two, four] = results as [Measured, Measured, Measured, Measured];
const peak = Math.max(...[one, two, four].flatMap((result) => result.peaksMb));
process.stdout.write(
  [
    `  2 workers / 1 worker:        ${(two.articlesPerSecond / one.articlesPerSecond).toFixed(2)}×`,
    `  4 workers / 1 worker:        ${(four.articlesPerSecond / one.articlesPerSecond).toFixed(2)}×   (target ≥ 3×)`,
    `  1 PostgreSQL worker / SQLite: ${((one.articlesPerSecond / sqlite.articlesPerSecond) * 100).toFixed(0)} %   (target ≥ 70 %)`,
    `  peak RSS of a worker:        ${peak.toFixed(0)} MB   (target < 200 MB)`,
    '',
  ].join('\n'),
);
