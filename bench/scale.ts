/**
 * npm run bench:scale — 600 sources on a local feed server that answers after 200 ms, synced into an
 * empty store by 1, 2 and 4 `worker --once` processes on PostgreSQL and by one SQLite `sync` process,
 * in one run, each with the built CLI. The clock starts once every process of a run has asked for its
 * first feed (the server holds what comes before, each process with a User-Agent of its own), so a
 * Node process's start-up, which a long-running worker pays once, is not counted as throughput; it
 * stops at the last exit. Prints articles/s as ratios against the named peers (4 workers
 * against 1; one PostgreSQL worker against SQLite), the peak RSS (VmHWM) of every worker, and the load
 * average beside each figure: the machine is shared. Targets (issue 12): 4 workers ≥ 3× one worker,
 * one PostgreSQL worker ≥ 70 % of SQLite, < 200 MB per worker.
 *
 * Beside them, not instead of them, the steady state (`warm1`, `warm4`): 1 and 4 long-running
 * `worker` processes sync every source twice, and only the second round is timed, the feeds moved on
 * by ITEMS new items. A `--once` process of the 4 syncs 150 sources, and V8 compiles and optimizes the
 * parse, clean and store code in each of them while it does (its first quarter costs about 2.5 times
 * the CPU per article of its last), so the cold figures measure four warm-ups on two cores; a
 * deployment's workers run for days and pay that once (docs/decisions.md D30).
 *
 * Uses the PostgreSQL server of NEWSMIRROR_TEST_POSTGRES; without it, starts a throwaway cluster of its
 * own (test/scripts/pg-cluster.sh, Debian's `postgresql`) and stops it at the end. Each line also gives
 * the CPU time per article of the measured processes (over their whole life, from their start-up on;
 * after the gate, what the timed part cost, and of that their main threads alone, the rest being V8's
 * optimizing compiler and GC threads; in the first and the last quarter of each process's feeds) and,
 * when the server runs on this machine, of PostgreSQL (its postmaster and every backend, from /proc).
 * BENCH_RUNS (default `sqlite,1,2,4,warm1,warm4`) picks the runs; BENCH_NODE_ARGS goes to every process
 * (`--cpu-prof`). BENCH_SOURCES, BENCH_ITEMS and BENCH_DELAY_MS change the feed server; BENCH_CONCURRENCY
 * (default 8) is every process's `network.concurrency` and `perHost`: the syncs one process keeps in
 * flight. With a small one, the run is bound by the feed server's latency, the case issue 12 names; with
 * 8 on two shared cores, by the processor.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { FIXTURE_CORPUS, SHARED_CORPUS, buildRss, loadCorpusRows, rowToItem } from '../test/helpers/corpus.js';
import { connectPostgres, quoteIdentifier, type PgClient } from '../src/adapters/store/postgres/index.js';
import { procTimes } from './proc.js';

const SOURCES = Number(process.env.BENCH_SOURCES ?? 600);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 10);
const DELAY_MS = Number(process.env.BENCH_DELAY_MS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const BIN = fileURLToPath(new URL('../bin/newsmirror.js', import.meta.url));
const CLUSTER_SCRIPT = fileURLToPath(new URL('../test/scripts/pg-cluster.sh', import.meta.url));
const RUNS = (process.env.BENCH_RUNS ?? 'sqlite,1,2,4,warm1,warm4').split(',');
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');

const corpus = SHARED_CORPUS.skip === false ? SHARED_CORPUS : FIXTURE_CORPUS;
const rows = loadCorpusRows(corpus).filter((row) => row.flags.length === 0 && typeof row.link === 'string' && row.link.startsWith('http'));
// Two windows of each feed: the first, and the same feed moved on by ITEMS new items (the steady run's second round).
const windows = [new Map<string, Buffer>(), new Map<string, Buffer>()];
for (const [w, feeds] of windows.entries()) {
  for (let s = 0; s < SOURCES; s++) {
    const items = Array.from({ length: ITEMS }, (_, i) => {
      const n = w * ITEMS + i;
      const row = rows[(w * SOURCES * ITEMS + s * ITEMS + i) % rows.length]!;
      return { ...rowToItem(row), link: `${row.link}${row.link.includes('?') ? '&' : '?'}scale=${s}-${n}` };
    });
    feeds.set(`/feeds/s${s}.xml`, Buffer.from(buildRss({ title: `s${s}`, link: 'https://example.com/' }, items)));
  }
}

/**
 * Gate holds the requests for one window of the feeds until every process of the run (by User-Agent)
 * has asked for it once and, after the first window, the previous window was answered for every
 * source: then `openedAt` is set, `onOpen` reads the processes' CPU, and the held requests are answered.
 * `answered` keeps when each process's feeds were answered.
 */
interface Gate {
  waiting: Set<string>;
  held: (() => void)[];
  openedAt: number;
  onOpen: () => void;
  answered: Map<string, number[]>;
  count: number;
}

function newGate(agents: string[], onOpen: () => void = () => undefined): Gate {
  return { waiting: new Set(agents), held: [], openedAt: 0, onOpen, answered: new Map(agents.map((agent) => [agent, []])), count: 0 };
}

let gates: Gate[] = [];
// How often each feed was asked for in this run: its n-th request gets window n; later ones wait for the run's end.
let asked = new Map<string, number>();
let parked: (() => void)[] = [];

function openIfReady(index: number): void {
  const gate = gates[index];
  if (gate === undefined || gate.openedAt > 0 || gate.waiting.size > 0) return;
  if (index > 0 && (gates[index - 1]?.count ?? 0) < SOURCES) return;
  gate.openedAt = performance.now();
  gate.onOpen();
  for (const held of gate.held.splice(0)) held();
}

const server = createServer((req, res) => {
  const url = req.url ?? '';
  const agent = req.headers['user-agent'] ?? '';
  const index = asked.get(url) ?? 0;
  asked.set(url, index + 1);
  const gate = gates[index];
  const body = windows[Math.min(index, windows.length - 1)]?.get(url);
  // The latency of a distant feed host: the work is waiting, which more workers overlap.
  const answer = (): void =>
    void setTimeout(() => {
      if (body === undefined) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body);
      if (gate === undefined) return;
      gate.answered.get(agent)?.push(performance.now());
      gate.count++;
      openIfReady(index + 1);
    }, DELAY_MS);
  if (gate === undefined) return void parked.push(() => res.destroy());
  if (gate.openedAt > 0) return answer();
  gate.waiting.delete(agent);
  gate.held.push(answer);
  openIfReady(index);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.address();
const feedBase = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

const STEADY_CONFIG = 'schedule: { minIntervalMinutes: 0.001, maxIntervalMinutes: 0.01 }\nworkers: { pollSeconds: 0.05 }\nrecheck: { enabled: false }\n';

/**
 * writeConfig writes one process's config. `warm` is the long-running workers' steady run: every
 * source is due again 0.6 s after its sync (the scheduler's shortest bounds) and is claimed within 50 ms.
 */
async function writeConfig(dir: string, database: string, agent: string, warm = false): Promise<string> {
  const file = join(dir, `newsmirror-${agent}.yaml`);
  const sources = Array.from({ length: SOURCES }, (_, s) => `  - { id: s${s}, name: s${s}, url: "${feedBase}/feeds/s${s}.xml", fulltext: feed }`).join('\n');
  await writeFile(
    file,
    `archive: ./archive\ndatabase: "${database}"\nnetwork: { allowPrivateNetworks: true, retries: 0, concurrency: ${CONCURRENCY}, perHost: ${CONCURRENCY}, userAgent: ${agent} }\nmedia: { enabled: false }\n${warm ? STEADY_CONFIG : ''}sources:\n${sources}\n`,
  );
  return file;
}

/** Running is a started CLI process: its pid, its CPU time sampled every 100 ms, and its end. */
interface Running {
  pid: number;
  /** [performance.now(), CPU milliseconds] pairs, oldest first. */
  cpu: [number, number][];
  /** The same for its main thread alone (JavaScript, and GC pauses); its other threads are V8's optimizing compiler and GC helpers. */
  mainCpu: [number, number][];
  /** What it printed so far, stdout and stderr. */
  output: () => string;
  done: Promise<{ code: number | null; peakMb: number; out: string }>;
}

/** runProcess runs the built CLI and samples its peak resident memory (VmHWM) and CPU time from /proc while it runs. */
function runProcess(args: string[]): Running {
  const child = spawn(process.execPath, [...NODE_ARGS, BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let peakKb = 0;
  const cpu: [number, number][] = [];
  const mainCpu: [number, number][] = [];
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const sample = (): void => {
    try {
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
      if (hwm !== undefined) peakKb = Math.max(peakKb, Number(hwm));
      const now = performance.now();
      cpu.push([now, procCpuMs(child.pid ?? 0).own]);
      mainCpu.push([now, procCpuMs(child.pid ?? 0, child.pid).own]);
    } catch {
      // The process has just exited: its last sample stands.
    }
  };
  const sampler = setInterval(sample, 100);
  const done = new Promise<{ code: number | null; peakMb: number; out: string }>((resolve) =>
    child.once('exit', (code) => {
      clearInterval(sampler);
      resolve({ code, peakMb: peakKb / 1024, out });
    }),
  );
  return { pid: child.pid ?? 0, cpu, mainCpu, output: () => out, done };
}

/** cpuAt is a process's CPU time at `time`, from its last sample before it. */
function cpuAt(samples: [number, number][], time: number): number {
  let cpu = 0;
  for (const [at, ms] of samples) if (at <= time) cpu = ms;
  return cpu;
}

/** Measured is one configuration's throughput, CPU per article and its processes' peak memory. */
interface Measured {
  name: string;
  articlesPerSecond: number;
  /**
   * CPU milliseconds per article: of the measured processes over their whole life, of the same after
   * the start gate opened (what the timed part cost), of their main threads after the gate (sampled:
   * the rest of `afterGate` is V8's compiler and GC threads), and of the PostgreSQL server.
   */
  cpuMs: { processes: number; afterGate: number; mainAfterGate: number; server?: number };
  /** CPU milliseconds per article of the processes' first and last quarter of feeds (a cold process's warm-up). */
  quarters: { first: number; last: number };
  peaksMb: number[];
  load: string;
}

/** procCpuMs reads a process's CPU time from /proc (or one thread's, by its id): its own, and that of its children it has waited for. */
function procCpuMs(pid: number | 'self', thread?: number): { own: number; children: number } {
  const times = procTimes(pid, thread);
  return { own: times.user + times.system, children: times.children };
}

/** serverCpuMs is the CPU time of a PostgreSQL server: the postmaster, its ended backends and its live ones. */
function serverCpuMs(postmaster: number): number {
  const self = procCpuMs(postmaster);
  let live = 0;
  for (const child of readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, 'utf8').split(' ').filter((pid) => pid !== '')) {
    try {
      live += procCpuMs(Number(child)).own;
    } catch {
      // A backend that ended meanwhile is in the postmaster's children's time now.
    }
  }
  return self.own + self.children + live;
}

/**
 * quarterCpuMs is the CPU per article that a process spent between the answers to its first and
 * its n/4-th feed, and between its 3n/4-th and its last: cold against warm code, at the same load.
 */
function quarterCpuMs(running: Running, answered: number[]): { first: number; last: number } {
  const quarter = Math.floor(answered.length / 4);
  if (quarter === 0) return { first: 0, last: 0 };
  const spent = (from: number, to: number): number => cpuAt(running.cpu, answered[to]!) - cpuAt(running.cpu, answered[from]!);
  return { first: spent(0, quarter) / (quarter * ITEMS), last: spent(answered.length - 1 - quarter, answered.length - 1) / (quarter * ITEMS) };
}

/**
 * measure runs one process per command at once; the clock runs from the start gate's opening (every
 * process has asked for a feed) to the last exit. `agents` are the User-Agents of the commands' configs.
 */
async function measure(name: string, commands: string[][], agents: string[], countArticles: () => Promise<number>, postmaster?: number): Promise<Measured> {
  const cpuBefore = procCpuMs('self').children;
  const serverBefore = postmaster === undefined ? 0 : serverCpuMs(postmaster);
  const running = commands.map((args) => runProcess(args));
  let atGate = 0;
  asked = new Map();
  gates = [newGate(agents, () => (atGate = running.reduce((sum, run) => sum + procCpuMs(run.pid).own, 0)))];
  const runs = await Promise.all(running.map((run) => run.done));
  const gate = gates[0]!;
  // An exited process's threads are gone from /proc: its main thread's last sample stands for its end.
  const mainAfterGate = running.reduce((sum, run) => sum + (run.mainCpu.at(-1)?.[1] ?? 0) - cpuAt(run.mainCpu, gate.openedAt), 0);
  const elapsed = (performance.now() - gate.openedAt) / 1000;
  const cpu = procCpuMs('self').children - cpuBefore;
  const server = postmaster === undefined ? undefined : serverCpuMs(postmaster) - serverBefore;
  for (const run of runs) if (run.code !== 0) throw new Error(`${name}: exit ${run.code}\n${run.out}`);
  const articles = await countArticles();
  if (articles !== SOURCES * ITEMS) throw new Error(`${name}: ${articles} articles stored, not ${SOURCES * ITEMS}`);
  const cpuMs = { processes: cpu / articles, afterGate: (cpu - atGate) / articles, mainAfterGate: mainAfterGate / articles, ...(server === undefined ? {} : { server: server / articles }) };
  return { name, articlesPerSecond: articles / elapsed, cpuMs, quarters: quartersOf(running, agents, gate), peaksMb: runs.map((run) => run.peakMb), load: loadNow() };
}

/**
 * measureSteady runs long-running workers through two rounds of every source: the first warms them
 * (each process compiles and optimizes the same parse, clean and store code; untimed), the second,
 * the feeds moved on by ITEMS new items, is timed from its gate's opening (every process has asked
 * for a moved feed and every first-round feed was answered) until the workers have reported every
 * new article; then they are killed. What a deployment's workers, which run for days, deliver.
 */
async function measureSteady(name: string, commands: string[][], agents: string[], countArticles: () => Promise<number>, postmaster?: number): Promise<Measured> {
  const running = commands.map((args) => runProcess(args));
  const processCpu = (): number => running.reduce((sum, run) => sum + procCpuMs(run.pid).own, 0);
  const mainCpu = (): number => running.reduce((sum, run) => sum + procCpuMs(run.pid, run.pid).own, 0);
  let atGate = 0;
  let mainAtGate = 0;
  let serverAtGate = 0;
  asked = new Map();
  parked = [];
  gates = [
    newGate(agents),
    newGate(agents, () => {
      atGate = processCpu();
      mainAtGate = mainCpu();
      serverAtGate = postmaster === undefined ? 0 : serverCpuMs(postmaster);
    }),
  ];
  const target = 2 * SOURCES * ITEMS;
  const reported = (): number => running.reduce((sum, run) => sum + [...run.output().matchAll(/: (\d+) new, /g)].reduce((n, match) => n + Number(match[1]), 0), 0);
  let exited = false;
  void Promise.race(running.map((run) => run.done)).then(() => (exited = true));
  while (!exited && reported() < target) await sleep(20);
  const endedAt = performance.now();
  const cpu = processCpu() - atGate;
  const main = mainCpu() - mainAtGate;
  const server = postmaster === undefined ? undefined : serverCpuMs(postmaster) - serverAtGate;
  for (const run of running) {
    try {
      process.kill(run.pid, 'SIGKILL');
    } catch {
      // It has exited on its own (a failure): its output is shown below.
    }
  }
  const runs = await Promise.all(running.map((run) => run.done));
  for (const park of parked.splice(0)) park();
  const articles = await countArticles();
  if (articles !== target) throw new Error(`${name}: ${articles} articles stored, not ${target}\n${runs.map((run) => run.out).join('\n')}`);
  const gate = gates[1]!;
  const timed = SOURCES * ITEMS;
  const cpuMs = { processes: cpu / timed, afterGate: cpu / timed, mainAfterGate: main / timed, ...(server === undefined ? {} : { server: server / timed }) };
  return { name, articlesPerSecond: timed / ((endedAt - gate.openedAt) / 1000), cpuMs, quarters: quartersOf(running, agents, gate), peaksMb: runs.map((run) => run.peakMb), load: loadNow() };
}

/** quartersOf is the processes' mean CPU per article in their first and last quarter of the gate's feeds. */
function quartersOf(running: Running[], agents: string[], gate: Gate): { first: number; last: number } {
  const quarters = running.map((run, n) => quarterCpuMs(run, gate.answered.get(agents[n]!) ?? []));
  const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
  return { first: mean(quarters.map((q) => q.first)), last: mean(quarters.map((q) => q.last)) };
}

function loadNow(): string {
  return loadavg().map((n) => n.toFixed(2)).join(' ');
}

/** localPostmaster finds the PostgreSQL server's process when it runs on this machine (its CPU is then measured too). */
async function localPostmaster(db: PgClient): Promise<number | undefined> {
  const [row] = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  try {
    const parent = /PPid:\s+(\d+)/.exec(readFileSync(`/proc/${row?.pid ?? 0}/status`, 'utf8'))?.[1];
    return parent === undefined ? undefined : Number(parent);
  } catch {
    return undefined;
  }
}

async function onPostgres(workers: number, url: string, warm = false): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), 'newsmirror-scale-'));
  const schema = `bench_scale_${process.pid}_${workers}${warm ? '_warm' : ''}`;
  const db = connectPostgres(url, { maxConnections: 1 });
  await db.execute(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
  try {
    const agents = Array.from({ length: workers }, (_, n) => `newsmirror-bench-worker-${n + 1}`);
    const configs = await Promise.all(agents.map((agent) => writeConfig(dir, `${url}?schema=${schema}`, agent, warm)));
    // Migrated before the clock starts, as a deployment's database is.
    const init = await runProcess(['status', '--config', configs[0]!]).done;
    if (init.code !== 0) throw new Error(`status: ${init.out}`);
    const countArticles = async (): Promise<number> => {
      const [row] = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${quoteIdentifier(schema)}.articles`);
      return row?.count ?? 0;
    };
    if (warm) return await measureSteady(`${workers} warm worker(s)`, configs.map((config) => ['worker', '--config', config]), agents, countArticles, await localPostmaster(db));
    const commands = configs.map((config) => ['worker', '--once', '--config', config]);
    return await measure(`${workers} PostgreSQL worker(s)`, commands, agents, countArticles, await localPostmaster(db));
  } finally {
    await db.execute(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function onSqlite(): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), 'newsmirror-scale-'));
  try {
    const config = await writeConfig(dir, './store.db', 'newsmirror-bench-sqlite');
    return await measure('1 SQLite sync', [['sync', '--config', config]], ['newsmirror-bench-sqlite'], async () => {
      const status = await runProcess(['status', '--json', '--config', config]).done;
      const sources = JSON.parse(status.out.slice(status.out.indexOf('['))) as { articles: number }[];
      return sources.reduce((sum, source) => sum + source.articles, 0);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** startCluster starts a throwaway PostgreSQL cluster (pg-cluster.sh), or returns undefined when none can run here. */
function startCluster(): { url: string; folder: string } | undefined {
  try {
    const exports = execFileSync(CLUSTER_SCRIPT, ['start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const url = /NEWSMIRROR_TEST_POSTGRES=(\S+)/.exec(exports)?.[1];
    const folder = /NEWSMIRROR_PG_CLUSTER=(\S+)/.exec(exports)?.[1];
    return url === undefined || folder === undefined ? undefined : { url, folder };
  } catch {
    return undefined;
  }
}

const own = process.env.NEWSMIRROR_TEST_POSTGRES ? undefined : startCluster();
const POSTGRES = process.env.NEWSMIRROR_TEST_POSTGRES || own?.url;
if (POSTGRES === undefined) {
  process.stdout.write('bench:scale needs PostgreSQL: install Debian\'s postgresql, or set NEWSMIRROR_TEST_POSTGRES (test/scripts/pg-cluster.sh start)\n');
  server.close();
  process.exit(2);
}
try {
  process.stdout.write(`bench:scale: ${SOURCES} sources × ${ITEMS} items (${corpus.name} corpus), the feed server answers after ${DELAY_MS} ms; ${CONCURRENCY} syncs in flight per process\n`);
  const plan: [string, () => Promise<Measured>][] = [
    ['sqlite', () => onSqlite()],
    ['1', () => onPostgres(1, POSTGRES)],
    ['2', () => onPostgres(2, POSTGRES)],
    ['4', () => onPostgres(4, POSTGRES)],
    ['warm1', () => onPostgres(1, POSTGRES, true)],
    ['warm4', () => onPostgres(4, POSTGRES, true)],
  ];
  const results = new Map<string, Measured>();
  for (const [key, run] of plan) {
    if (!RUNS.includes(key)) continue;
    const result = await run();
    results.set(key, result);
    const { cpuMs, quarters } = result;
    const cpu = `CPU/article ${cpuMs.processes.toFixed(2)} ms (after the gate ${cpuMs.afterGate.toFixed(2)}, main thread ${cpuMs.mainAfterGate.toFixed(2)}; first/last quarter ${quarters.first.toFixed(2)}/${quarters.last.toFixed(2)})${cpuMs.server === undefined ? '' : ` + server ${cpuMs.server.toFixed(2)} ms`}`;
    process.stdout.write(
      `  ${result.name.padEnd(24)} ${result.articlesPerSecond.toFixed(0).padStart(6)} articles/s   ${cpu}   peak RSS ${result.peaksMb.map((mb) => `${mb.toFixed(0)} MB`).join(', ')}   (load ${result.load})\n`,
    );
    await sleep(500);
  }
  const ratio = (a: string, b: string, line: (x: number) => string): string[] => {
    const top = results.get(a);
    const bottom = results.get(b);
    return top === undefined || bottom === undefined ? [] : [line(top.articlesPerSecond / bottom.articlesPerSecond)];
  };
  const peaks = ['1', '2', '4', 'warm1', 'warm4'].flatMap((key) => results.get(key)?.peaksMb ?? []);
  process.stdout.write(
    [
      ...ratio('2', '1', (x) => `  2 workers / 1 worker:        ${x.toFixed(2)}×`),
      ...ratio('4', '1', (x) => `  4 workers / 1 worker:        ${x.toFixed(2)}×   (target ≥ 3×)`),
      ...ratio('warm4', 'warm1', (x) => `  4 warm workers / 1 warm:     ${x.toFixed(2)}×   (steady state; the target is on the line above)`),
      ...ratio('1', 'sqlite', (x) => `  1 PostgreSQL worker / SQLite: ${(x * 100).toFixed(0)} %   (target ≥ 70 %)`),
      ...(peaks.length === 0 ? [] : [`  peak RSS of a worker:        ${Math.max(...peaks).toFixed(0)} MB   (target < 200 MB)`]),
      '',
    ].join('\n'),
  );
} finally {
  server.close();
  if (own !== undefined) execFileSync(CLUSTER_SCRIPT, ['stop', own.folder], { stdio: 'inherit' });
}
