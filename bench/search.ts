/**
 * bench: Chinese full-text search on both engines (SQLite FTS5 and PostgreSQL GIN) at 1,000,000
 * articles, against the targets of issue 12: newest-first p95 < 50 ms, relevance p95 < 50 ms,
 * one-character queries p95 < 200 ms, and every total exact, or within 2 % when above 10,000.
 *
 * The archive is bench/synthetic.ts's: real corpus articles (the shared corpus's
 * dutymachine/articles.jsonl) recombined with a seeded generator, published in order over ten
 * years, so lengths and term frequencies follow the real archive and every run builds the same
 * articles. Both engines are filled through their adapter's `index()` in batches of 2,000, as a
 * bulk load would do it: SQLite with the adapter's `bulkLoad` (FTS5 merges its segments once, at the
 * end) on a connection without fsyncs; PostgreSQL with one `unnest` insert per batch, its GIN indexes
 * dropped for the load and built once at the end. The build costs about 1.1 ms of CPU an article on
 * SQLite (1,000,000 articles: ~18 CPU-minutes; the wall time follows the share of a CPU the machine
 * gives), so keep the file with `--reuse DIR`.
 *
 * The query set is fixed: Chinese terms of 1–4 characters, two-character words (香港, 朝鲜),
 * phrases, Latin words, a mixed query, source and date filters, and the keyset second page of some
 * of them. Every query runs interleaved with the others (a warm cache after one query does not
 * flatter the next runs of it), after two warm-up rounds; p95 is over every run of every query of
 * a group. Totals are checked against the same engine's exact count (`exactTotalUpTo: Infinity`),
 * and the two engines' exact counts against each other.
 *
 * Usage:
 *   npm run bench:search                                   # both engines, 1,000,000 articles
 *   npm run bench:search -- --articles 20000               # a quick run
 *   npm run bench:search -- --reuse /tmp/nm-search         # keep the built SQLite file there
 *   npm run bench:search -- --engine sqlite|postgres|both  # one engine only
 *   npm run bench:search -- --runs 30                      # runs per query (default 20)
 *   npm run bench:search -- --engine postgres --reuse DIR --load-only   # PostgreSQL: load, then stop
 * PostgreSQL: `NEWSMIRROR_TEST_POSTGRES` when set (the loaded schema `bench_search_<N>` is kept there
 * and reused by the next run); else with `--reuse DIR` a cluster of test/scripts/pg-cluster.sh kept
 * in DIR/postgres (paused at the end, started again by the next run); else a throwaway cluster,
 * stopped at the end with its data. A PostgreSQL build goes on where the last run left it: the load
 * from the first batch not committed (a progress mark per batch), then the GIN index, then the
 * measurement. So 1,000,000 articles (hours of CPU, D29) can be built over several sittings: run the
 * same command again after a kill or `--load-only`. Without `--reuse` the SQLite file lives in a
 * temporary folder that is deleted at the end.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Article } from '../src/core/model/index.js';
import type { SearchIndex, SearchQuery } from '../src/core/ports.js';
import { openPostgresSearchIndex, openSqliteSearchIndex } from '../src/adapters/search/index.js';
import { connectPostgres, quoteIdentifier, type PgClient } from '../src/adapters/store/postgres/index.js';
import Database from 'better-sqlite3';
import { loadCorpusArticles, synthesizeArticle, type CorpusArticle } from './synthetic.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BATCH = 2000;
const LIMIT = 20;

const SOURCE_IDS: Record<string, string> = {
  '法广 RFI': 'rfi', 法广: 'rfi', 路透: 'reuters', 美国之音: 'voa', 德国之声: 'dw', 中国数字时代: 'cdt', 金融时报: 'ft', 自由亚洲电台: 'rfa', BBC: 'bbc', 纽约时报: 'nyt',
};
const SOURCE_LIST = Object.values(SOURCE_IDS);

type Group = 'newest' | 'relevance' | 'one-char';
type Order = SearchQuery['order'];

/** BenchQuery is one timed query: a group, an order, and whether it fetches the second page. */
interface BenchQuery {
  label: string;
  group: Group;
  order: Order;
  query: Omit<SearchQuery, 'order' | 'limit' | 'cursor'>;
  secondPage?: boolean;
}

const TERMS: { label: string; query: Omit<SearchQuery, 'order' | 'limit' | 'cursor'>; secondPage?: boolean }[] = [
  { label: '朝鲜 (2-char word)', query: { q: '朝鲜' } },
  { label: '香港 (2-char word, common)', query: { q: '香港' } },
  { label: '国安法 (3 chars)', query: { q: '国安法' } },
  { label: '特朗普 (3 chars)', query: { q: '特朗普' } },
  { label: '拉夫罗夫 (4 chars, rare)', query: { q: '拉夫罗夫' } },
  { label: 'Trump (Latin)', query: { q: 'Trump' } },
  { label: '特朗普 Trump (mixed)', query: { q: '特朗普 Trump' } },
  { label: '"Hong Kong" (phrase)', query: { q: '"Hong Kong"' } },
  { label: '"香港 国安法" (phrase)', query: { q: '"香港 国安法"' } },
  { label: '香港 source=bbc', query: { q: '香港', sourceIds: ['bbc'] } },
  { label: '国安法 in 2020', query: { q: '国安法', from: Date.UTC(2020, 0, 1), to: Date.UTC(2021, 0, 1) } },
  { label: '朝鲜 page 2', query: { q: '朝鲜' }, secondPage: true },
  { label: '香港 page 2', query: { q: '香港' }, secondPage: true },
];
const ONE_CHAR: { label: string; query: Omit<SearchQuery, 'order' | 'limit' | 'cursor'>; secondPage?: boolean }[] = [
  { label: '港 (1 char)', query: { q: '港' } },
  { label: '的 (1 char, in nearly all)', query: { q: '的' } },
  { label: '鲜 (1 char)', query: { q: '鲜' } },
  { label: '港 source=bbc', query: { q: '港', sourceIds: ['bbc'] } },
  { label: '港 page 2', query: { q: '港' }, secondPage: true },
];

const QUERIES: BenchQuery[] = [
  ...TERMS.map((entry) => ({ ...entry, group: 'newest' as const, order: 'newest' as const })),
  ...TERMS.map((entry) => ({ ...entry, group: 'relevance' as const, order: 'relevance' as const })),
  ...ONE_CHAR.map((entry) => ({ ...entry, group: 'one-char' as const, order: 'newest' as const })),
  ...ONE_CHAR.map((entry) => ({ ...entry, group: 'one-char' as const, order: 'relevance' as const })),
];

const TARGETS: Record<Group, { ms: number; was?: string }> = {
  newest: { ms: 50 },
  relevance: { ms: 50, was: 'SQLite 75.6 ms before' },
  'one-char': { ms: 200, was: 'SQLite 811 ms before' },
};

interface Options {
  articles: number;
  reuse: string | undefined;
  engines: ('sqlite' | 'postgres')[];
  runs: number;
  loadOnly: boolean;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: { articles: { type: 'string' }, reuse: { type: 'string' }, engine: { type: 'string' }, runs: { type: 'string' }, 'load-only': { type: 'boolean' } },
  });
  const articles = Number(values.articles ?? 1_000_000);
  const runs = Number(values.runs ?? 20);
  if (!Number.isInteger(articles) || articles < BATCH) throw new Error(`--articles must be a whole number of at least ${BATCH}`);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number of at least 1');
  const engine = values.engine ?? 'both';
  if (!['sqlite', 'postgres', 'both'].includes(engine)) throw new Error('--engine must be sqlite, postgres or both');
  const engines: Options['engines'] = engine === 'both' ? ['sqlite', 'postgres'] : [engine as 'sqlite' | 'postgres'];
  return { articles, reuse: values.reuse, engines, runs, loadOnly: values['load-only'] === true };
}

function load(): string {
  return loadavg().map((value) => value.toFixed(1)).join(' ');
}

/** Archive generates the synthetic articles of one size, a batch at a time. */
class Archive {
  private readonly corpus: CorpusArticle[];
  private readonly pool: string[];
  constructor(readonly size: number) {
    this.corpus = loadCorpusArticles((site) => SOURCE_IDS[site] ?? 'other');
    this.pool = this.corpus.flatMap((article) => article.paragraphs);
  }
  batch(start: number): Article[] {
    const batch: Article[] = [];
    for (let i = start; i < Math.min(this.size, start + BATCH); i++) batch.push(synthesizeArticle(this.corpus, this.pool, i, this.size, SOURCE_LIST));
    return batch;
  }
  describe(): string {
    return `${this.corpus.length} real articles, ${this.pool.length} paragraphs`;
  }
}

/** fill indexes the whole archive through `index`, printing progress. Returns the seconds it took. */
async function fill(name: string, index: SearchIndex, archive: Archive): Promise<number> {
  const started = performance.now();
  for (let start = 0; start < archive.size; start += BATCH) {
    await index.index(archive.batch(start));
    const done = Math.min(archive.size, start + BATCH);
    if (done % 50_000 === 0 || done === archive.size) {
      const seconds = (performance.now() - started) / 1000;
      process.stderr.write(`  ${name}: ${done} articles in ${seconds.toFixed(0)} s (${(done / seconds).toFixed(0)}/s, load ${load()})\n`);
    }
  }
  return (performance.now() - started) / 1000;
}

/**
 * fillOverlapped is `fill` from article `from` on, with the next batch generated while the server
 * writes the previous one (PostgreSQL works in its own process, so the two overlap on a second CPU),
 * and `written` called with the articles done after each batch's write.
 */
async function fillOverlapped(name: string, index: SearchIndex, archive: Archive, from: number, written: (done: number) => Promise<void>): Promise<void> {
  const started = performance.now();
  let writing: Promise<void> = Promise.resolve();
  for (let start = from; start < archive.size; start += BATCH) {
    const batch = archive.batch(start);
    await writing;
    const done = Math.min(archive.size, start + BATCH);
    writing = index.index(batch).then(() => written(done));
    if (done % 50_000 === 0) process.stderr.write(`  ${name}: ${done} articles generated in ${((performance.now() - started) / 1000).toFixed(0)} s (load ${load()})\n`);
  }
  await writing;
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(`  ${name}: ${archive.size - from} articles in ${seconds.toFixed(0)} s (${((archive.size - from) / seconds).toFixed(0)}/s, load ${load()})\n`);
}

/** Engine is one opened engine: its default index, its exact-count twin, and what the build cost. */
interface Engine {
  name: 'sqlite' | 'postgres';
  index: SearchIndex;
  exact: SearchIndex;
  built: string;
  close(): Promise<void>;
}

async function openSqlite(dir: string, archive: Archive): Promise<Engine> {
  const path = join(dir, `search-sqlite-${archive.size}.db`);
  const done = `${path}.built`;
  let built: string;
  if (existsSync(path) && existsSync(done)) {
    built = `reused ${path} (built in ${readFileSync(done, 'utf8').trim()})`;
  } else {
    built = `built in ${await buildSqlite(path, archive)}`;
    writeFileSync(done, `${built.slice('built in '.length)}\n`);
  }
  // Opening upgrades an index of an earlier schema in place, once: a table of an earlier FTS schema
  // is rebuilt, a missing search_titles filled, both from search_docs.
  const opening = performance.now();
  const index = openSqliteSearchIndex(path);
  const opened = (performance.now() - opening) / 1000;
  const exact = openSqliteSearchIndex(path, { exactTotalUpTo: Number.POSITIVE_INFINITY });
  built += `, opened in ${opened.toFixed(1)} s (load ${load()}), file ${(statSync(path).size / 1e9).toFixed(1)} GB`;
  return { name: 'sqlite', index, exact, built, close: async () => { await index.close(); await exact.close(); } };
}

/**
 * buildSqlite fills a new SQLite file through `index()` as a bulk load: the adapter's `bulkLoad`
 * (no FTS5 merging during the load, one merge at the end), on a connection of the bench's own with
 * its rollback journal in memory and no fsyncs (better-sqlite3's defensive mode refuses
 * `journal_mode = OFF`). A file that dies half-built has no `.built` marker and is built again.
 * Returns how long it took.
 */
async function buildSqlite(path: string, archive: Archive): Promise<string> {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('journal_mode = MEMORY');
    db.pragma('synchronous = OFF');
    // 256 MB of page cache (the default is 2 MB) for FTS5's merges, which read every segment back (not measured apart).
    db.pragma('cache_size = -262144');
    const index = openSqliteSearchIndex(db, { bulkLoad: true });
    const loaded = await fill('sqlite', index, archive);
    const merging = performance.now();
    await index.close();
    const merged = (performance.now() - merging) / 1000;
    return `${(loaded + merged).toFixed(0)} s (load ${loaded.toFixed(0)} s, merge ${merged.toFixed(0)} s)`;
  } finally {
    db.close();
  }
}

/** PgServer is the PostgreSQL server of the run, and how to stop it when the bench started it. */
interface PgServer {
  url: string;
  stop(): void;
}

/**
 * startPostgres is the run's server: `NEWSMIRROR_TEST_POSTGRES` when set; else a cluster of
 * test/scripts/pg-cluster.sh, kept in `keep` between runs (paused at the end) when given, so that
 * a build can go on in a later run, and thrown away at the end otherwise.
 */
function startPostgres(keep: string | undefined): PgServer {
  const given = process.env.NEWSMIRROR_TEST_POSTGRES;
  if (given !== undefined && given !== '') return { url: given, stop: () => undefined };
  const script = join(REPO, 'test/scripts/pg-cluster.sh');
  // Settings for a search server on this 24 GB machine: the newest buckets' heap pages and GIN
  // lists stay in shared buffers, a relevance window's bitmaps stay exact (never lossy pages), and
  // the GIN build after the load sorts its keys in memory.
  // wal_level minimal: an index built by CREATE INDEX writes no WAL (its new file is synced
  // instead), and 2 GB of WAL between checkpoints keeps pg_wal small beside a large build.
  const settings = {
    shared_buffers: '4GB',
    effective_cache_size: '12GB',
    work_mem: '64MB',
    maintenance_work_mem: '2GB',
    max_wal_size: '2GB',
    checkpoint_timeout: '30min',
    wal_level: 'minimal',
    max_wal_senders: '0',
  };
  const options = Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`).join(' ');
  const exports = execFileSync(script, keep === undefined ? ['start'] : ['start', keep], { encoding: 'utf8', env: { ...process.env, NEWSMIRROR_PG_OPTIONS: options } });
  const value = (name: string): string => {
    const found = new RegExp(`export ${name}=(\\S+)`).exec(exports)?.[1];
    if (found === undefined) throw new Error(`pg-cluster.sh start did not print ${name}`);
    return found;
  };
  const url = value('NEWSMIRROR_TEST_POSTGRES');
  const cluster = value('NEWSMIRROR_PG_CLUSTER');
  return { url, stop: () => execFileSync(script, [keep === undefined ? 'stop' : 'pause', cluster], { stdio: 'inherit' }) };
}

/**
 * BuildState is a PostgreSQL build's committed progress (table `bench_build` of the schema): the
 * articles loaded so far (every article below `loaded` is in `search_docs`), the GIN definitions
 * dropped for the load, and the time and CPU spent in every run that worked on it.
 */
interface BuildState {
  loaded: number;
  gin: string[];
  load_seconds: number;
  node_cpu: number;
  server_cpu: number;
}

/**
 * openPostgres opens the bench's schema, building what it lacks first. A build is resumable: the
 * load commits a progress mark after every batch, so a run that is killed or stopped
 * (`--load-only`) is picked up by the next at the first batch not marked loaded (the batch in
 * flight is written again: `index()` replaces an article's row under the same key). The GIN index
 * is a step of its own, done by the first run that finds the load complete and the index missing;
 * a killed `CREATE INDEX` leaves nothing, so the next run builds it again. Returns undefined when
 * `loadOnly` stopped the run after the load.
 */
async function openPostgres(server: PgServer, archive: Archive, loadOnly: boolean): Promise<Engine | undefined> {
  const schema = `bench_search_${archive.size}`;
  const admin = connectPostgres(server.url, { maxConnections: 1, schema });
  let built: string;
  try {
    const marker = await admin.query<{ seconds: number; cpu: string }>(
      `SELECT seconds, cpu FROM ${quoteIdentifier(schema)}.bench_built WHERE size = $1`,
      [archive.size],
    ).catch(() => []);
    if (marker[0] !== undefined) {
      built = `reused schema ${schema} (built in ${marker[0].seconds} s; ${marker[0].cpu})`;
    } else {
      const state = (await readBuildState(admin, schema, archive.size)) ?? (await startBuild(server, admin, schema, archive.size));
      if (state.loaded < archive.size) await loadPostgres(server, admin, schema, archive, state);
      if (loadOnly) {
        process.stderr.write(`  postgres: ${archive.size} articles loaded into ${schema}; the next run builds the GIN index (load ${load()})\n`);
        return undefined;
      }
      built = await finishBuild(admin, schema, archive.size, state);
    }
    built += `, ${await describeBytes(admin, archive.size)}`;
  } finally {
    await admin.close();
  }
  const index = await openPostgresSearchIndex(server.url, { schema });
  const exact = await openPostgresSearchIndex(server.url, { schema, exactTotalUpTo: Number.POSITIVE_INFINITY });
  return { name: 'postgres', index, exact, built, close: async () => { await index.close(); await exact.close(); } };
}

/** readBuildState reads a build's progress mark, or undefined when no build of this size was started in the schema. */
async function readBuildState(admin: PgClient, schema: string, size: number): Promise<BuildState | undefined> {
  const [state] = await admin.query<BuildState>(
    `SELECT loaded, gin, load_seconds, node_cpu, server_cpu FROM ${quoteIdentifier(schema)}.bench_build WHERE size = $1`,
    [size],
  ).catch(() => []);
  if (state !== undefined) process.stderr.write(`  postgres: resuming the build of ${schema} at article ${state.loaded} (load ${load()})\n`);
  return state;
}

/**
 * startBuild creates the schema anew with the adapter's tables, drops the GIN indexes for the load
 * (inserting into them batch by batch is several times slower than one sorted build) and writes
 * the progress mark, their definitions in it.
 */
async function startBuild(server: PgServer, admin: PgClient, schema: string, size: number): Promise<BuildState> {
  await admin.execute(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
  await (await openPostgresSearchIndex(server.url, { schema })).close();
  const gin = await admin.query<{ name: string; definition: string }>(
    "SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE schemaname = $1 AND tablename = 'search_docs' AND indexdef LIKE '%USING gin%'",
    [schema],
  );
  for (const { name } of gin) await admin.execute(`DROP INDEX ${quoteIdentifier(schema)}.${quoteIdentifier(name)}`);
  const state: BuildState = { loaded: 0, gin: gin.map((index) => index.definition), load_seconds: 0, node_cpu: 0, server_cpu: 0 };
  await admin.execute(
    'CREATE TABLE bench_build (size bigint PRIMARY KEY, loaded bigint NOT NULL, gin text[] NOT NULL, load_seconds float8 NOT NULL, node_cpu float8 NOT NULL, server_cpu float8 NOT NULL)',
  );
  await admin.execute('INSERT INTO bench_build VALUES ($1, 0, $2, 0, 0, 0)', [size, state.gin]);
  return state;
}

/** loadPostgres indexes the articles from `state.loaded` on, moving the progress mark (and the time and CPU spent) after every batch. */
async function loadPostgres(server: PgServer, admin: PgClient, schema: string, archive: Archive, state: BuildState): Promise<void> {
  const index = await openPostgresSearchIndex(server.url, { schema });
  try {
    let last = { at: performance.now(), node: process.cpuUsage(), server: await serverCpu(admin) };
    await fillOverlapped('postgres', index, archive, state.loaded, async (done) => {
      const now = { at: performance.now(), node: process.cpuUsage(), server: await serverCpu(admin) };
      state.loaded = done;
      state.load_seconds += (now.at - last.at) / 1000;
      state.node_cpu += cpuSeconds(process.cpuUsage(last.node));
      state.server_cpu += now.server - last.server;
      last = now;
      await admin.execute('UPDATE bench_build SET loaded = $2, load_seconds = $3, node_cpu = $4, server_cpu = $5 WHERE size = $1', [
        archive.size, done, state.load_seconds, state.node_cpu, state.server_cpu,
      ]);
    });
  } finally {
    await index.close();
  }
}

/** finishBuild builds the GIN indexes that are missing, vacuums, and writes the marker that makes later runs reuse the schema. */
async function finishBuild(admin: PgClient, schema: string, size: number, state: BuildState): Promise<string> {
  const present = new Set((await admin.query<{ name: string }>("SELECT indexname AS name FROM pg_indexes WHERE schemaname = $1 AND tablename = 'search_docs'", [schema])).map((row) => row.name));
  const missing = state.gin.filter((definition) => !present.has(/^CREATE INDEX (\S+)/.exec(definition)?.[1] ?? ''));
  const started = performance.now();
  const serverStart = await serverCpu(admin);
  await admin.transaction(async (tx) => {
    await tx.execute("SET LOCAL maintenance_work_mem = '2GB'");
    for (const definition of missing) await tx.execute(definition);
  });
  const ginSeconds = (performance.now() - started) / 1000;
  const serverGin = (await serverCpu(admin)) - serverStart;
  await admin.execute('VACUUM (ANALYZE) search_docs');
  const seconds = Math.round(state.load_seconds + (performance.now() - started) / 1000);
  const perArticle = (cpu: number): string => (Number.isNaN(cpu) ? '?' : ((cpu * 1000) / size).toFixed(2));
  const cpu = `CPU ms/article: load ${perArticle(state.node_cpu)} node + ${perArticle(state.server_cpu)} server, GIN ${perArticle(serverGin)} server`;
  await admin.execute('CREATE TABLE bench_built (size bigint PRIMARY KEY, seconds bigint NOT NULL, cpu text NOT NULL)');
  await admin.execute('INSERT INTO bench_built VALUES ($1, $2, $3)', [size, seconds, cpu]);
  return `built in ${seconds} s (load ${state.load_seconds.toFixed(0)} s, GIN ${ginSeconds.toFixed(0)} s; ${cpu}; load ${load()})`;
}

/**
 * serverCpu is the CPU seconds the PostgreSQL server has used so far, when it runs on this machine
 * and its processes can be read (NaN otherwise): the postmaster's own and its reaped children's
 * times, plus the times of its live children (every connection is a child process).
 */
async function serverCpu(admin: PgClient): Promise<number> {
  const [row] = await admin.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  try {
    const stat = (pid: number | string): string[] => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = (fields: string[], from: number, to: number): number => fields.slice(from, to + 1).reduce((sum, field) => sum + Number(field), 0);
    const postmaster = Number(stat(row?.pid ?? 0)[1]);
    let total = ticks(stat(postmaster), 11, 14);
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        const fields = stat(pid);
        if (Number(fields[1]) === postmaster) total += ticks(fields, 11, 12);
      } catch {
        // A process that ended meanwhile is counted in its parent's reaped times.
      }
    }
    return total / 100;
  } catch {
    return Number.NaN;
  }
}

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

/** describeBytes is where search_docs's bytes are, per article: heap, TOAST, the GIN and the other indexes, and pg_wal. */
async function describeBytes(admin: PgClient, articles: number): Promise<string> {
  const [row] = await admin.query<{ heap: number; toast: number; gin: number; other: number; keys: number; wal: number | null }>(
    `SELECT pg_relation_size(c.oid) AS heap, coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0) AS toast,
       (SELECT coalesce(sum(pg_relation_size(i.indexrelid)), 0) FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_am a ON a.oid = x.relam
        WHERE i.indrelid = c.oid AND a.amname = 'gin') AS gin,
       pg_indexes_size(c.oid) AS other,
       (SELECT avg(cardinality(keys)) FROM (SELECT keys FROM search_docs TABLESAMPLE BERNOULLI (5)) s) AS keys,
       (SELECT sum(size) FROM pg_ls_waldir()) AS wal
     FROM pg_class c WHERE c.oid = 'search_docs'::regclass`,
  );
  if (row === undefined) return 'no search_docs';
  const kb = (bytes: number): string => ((bytes / articles) / 1000).toFixed(1);
  const total = row.heap + row.toast + row.other;
  return (
    `search_docs ${(total / 1e9).toFixed(2)} GB with indexes (KB/article: heap ${kb(row.heap)}, TOAST ${kb(row.toast)}, GIN ${kb(row.gin)}, other indexes ${kb(row.other - row.gin)}; ` +
    `${Math.round(Number(row.keys ?? 0))} keys/article; pg_wal ${((row.wal ?? 0) / 1e9).toFixed(1)} GB)`
  );
}

/** Measured is what one engine gave for one query: its times, its total and the exact total. */
interface Measured {
  times: number[];
  total: number;
  exact: number;
}

async function run(index: SearchIndex, entry: BenchQuery, cursor: string | undefined): Promise<{ total: number; next?: string }> {
  const result = await index.search({ ...entry.query, order: entry.order, limit: LIMIT, ...(cursor === undefined ? {} : { cursor }) });
  return result.next === undefined ? { total: result.total } : { total: result.total, next: result.next };
}

async function measure(engine: Engine, runs: number): Promise<Map<BenchQuery, Measured>> {
  const results = new Map<BenchQuery, Measured>();
  const cursors = new Map<BenchQuery, string | undefined>();
  for (const entry of QUERIES) {
    const started = performance.now();
    const exact = await run(engine.exact, entry, undefined);
    process.stderr.write(`  ${engine.name}: exact total of ${entry.label} (${entry.order}) = ${exact.total} in ${(performance.now() - started).toFixed(0)} ms\n`);
    // A second page is timed on its own: the cursor comes from a first page fetched beforehand.
    if (entry.secondPage === true) cursors.set(entry, (await run(engine.index, entry, undefined)).next);
    results.set(entry, { times: [], total: -1, exact: exact.total });
  }
  for (let round = -2; round < runs; round++) {
    for (const entry of QUERIES) {
      const started = performance.now();
      const result = await run(engine.index, entry, cursors.get(entry));
      const ms = performance.now() - started;
      const measured = results.get(entry) as Measured;
      if (round >= 0) measured.times.push(ms);
      measured.total = result.total;
    }
  }
  return results;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** accurate: a total is exact, or within 2 % of the exact count when that is above 10,000. */
function accurate(measured: Measured): boolean {
  if (measured.total === measured.exact) return true;
  return measured.exact > 10_000 && Math.abs(measured.total - measured.exact) <= 0.02 * measured.exact;
}

function pad(text: string, width: number): string {
  // CJK characters take two columns in a terminal.
  const columns = [...text].reduce((sum, char) => sum + (/[\u2e80-\uffef]/u.test(char) ? 2 : 1), 0);
  return text + ' '.repeat(Math.max(0, width - columns));
}

interface Summary {
  p50: Record<Group, number>;
  p95: Record<Group, number>;
  accurate: number;
  checked: number;
}

function report(engine: Engine, results: Map<BenchQuery, Measured>, runs: number): Summary {
  console.log(`\n  ${engine.name}: ${engine.built}; ${runs} runs per query, limit ${LIMIT} with snippets; load ${load()}`);
  console.log(`  ${pad('query', 30)} ${pad('order', 10)} ${'total'.padStart(9)} ${'exact'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}`);
  for (const [entry, measured] of results) {
    const flag = accurate(measured) ? '' : '  total OFF';
    console.log(
      `  ${pad(entry.label, 30)} ${pad(entry.order, 10)} ${String(measured.total).padStart(9)} ${String(measured.exact).padStart(9)} ${percentile(measured.times, 50).toFixed(1).padStart(8)} ${percentile(measured.times, 95).toFixed(1).padStart(8)}${flag}`,
    );
  }
  const groups: Group[] = ['newest', 'relevance', 'one-char'];
  const at = (p: number): Record<Group, number> =>
    Object.fromEntries(groups.map((group) => [group, percentile([...results].filter(([entry]) => entry.group === group).flatMap(([, measured]) => measured.times), p)])) as Record<Group, number>;
  const all = [...results.values()];
  return { p50: at(50), p95: at(95), accurate: all.filter(accurate).length, checked: all.length };
}

function targetTable(name: string, summary: Summary, peer: { name: string; summary: Summary } | undefined): void {
  console.log(`\n  ${name} against the targets (load ${load()} on ${cpus().length} CPUs)`);
  const header = `  ${pad('figure', 34)} ${'p50'.padStart(8)} ${'p95'.padStart(10)} ${'target'.padStart(10)} ${'÷ target'.padStart(9)} ${peer === undefined ? '' : `${`÷ ${peer.name}`.padStart(10)} `} result`;
  console.log(header);
  const groups: [Group, string][] = [['newest', 'newest-first p95'], ['relevance', 'relevance p95'], ['one-char', 'one-character p95']];
  for (const [group, label] of groups) {
    const value = summary.p95[group];
    const target = TARGETS[group];
    const ratio = peer === undefined ? '' : `${(value / peer.summary.p95[group]).toFixed(2).padStart(10)} `;
    console.log(
      `  ${pad(`${label} (ms)`, 34)} ${summary.p50[group].toFixed(1).padStart(8)} ${value.toFixed(1).padStart(10)} ${`< ${target.ms}`.padStart(10)} ${(value / target.ms).toFixed(2).padStart(9)} ${ratio} ${value < target.ms ? 'meets' : 'MISSES'}${target.was === undefined ? '' : ` (${target.was})`}`,
    );
  }
  console.log(
    `  ${pad('totals exact or within 2 % > 10,000', 34)} ${''.padStart(8)} ${`${summary.accurate}/${summary.checked}`.padStart(10)} ${`${summary.checked}/${summary.checked}`.padStart(10)} ${''.padStart(9)} ${peer === undefined ? '' : `${''.padStart(10)} `} ${summary.accurate === summary.checked ? 'meets' : 'MISSES'}`,
  );
}

async function main(): Promise<void> {
  const options = readOptions();
  const dir = options.reuse === undefined ? mkdtempSync(join(tmpdir(), 'newsmirror-bench-search-')) : resolve(options.reuse);
  mkdirSync(dir, { recursive: true });
  const archive = new Archive(options.articles);
  console.log(`search bench: ${options.articles.toLocaleString('en')} synthetic articles from ${archive.describe()}; engines ${options.engines.join(', ')}; load ${load()} on ${cpus().length} CPUs`);
  let server: PgServer | undefined;
  const summaries: { name: string; summary: Summary }[] = [];
  const exacts = new Map<string, Map<BenchQuery, Measured>>();
  try {
    for (const name of options.engines) {
      let engine: Engine;
      if (name === 'sqlite') {
        engine = await openSqlite(dir, archive);
      } else {
        server ??= startPostgres(options.reuse === undefined ? undefined : join(dir, 'postgres'));
        const opened = await openPostgres(server, archive, options.loadOnly);
        if (opened === undefined) continue;
        engine = opened;
      }
      try {
        const results = await measure(engine, options.runs);
        exacts.set(name, results);
        summaries.push({ name, summary: report(engine, results, options.runs) });
      } finally {
        await engine.close();
      }
    }
  } finally {
    server?.stop();
    if (options.reuse === undefined) rmSync(dir, { recursive: true, force: true });
  }
  const [sqlite, postgres] = [exacts.get('sqlite'), exacts.get('postgres')];
  if (sqlite !== undefined && postgres !== undefined) {
    const differ = QUERIES.filter((entry) => sqlite.get(entry)?.exact !== postgres.get(entry)?.exact);
    console.log(`\n  exact totals, SQLite against PostgreSQL: ${differ.length === 0 ? 'the same for every query' : `DIFFER for ${differ.map((entry) => `${entry.label} (${entry.order})`).join(', ')}`}`);
  }
  const peer = summaries.find((entry) => entry.name === 'sqlite');
  for (const { name, summary } of summaries) targetTable(name, summary, name === 'sqlite' ? undefined : peer);
}

await main();
