/**
 * npm run bench:import — builds a synthetic duty-machine history (default 20,000 commits holding
 * 100,000 article file versions: new articles, rewritten ones, old ids reused for other articles)
 * with `git fast-import`, then measures, over it:
 *   1. the walk alone: git log + one cat-file --batch + the reader of the old formats;
 *   2. the whole import into a SQLite store and an archive folder (cleaning, identity, store, files,
 *      lists, search index), as `newsmirror import-dutymachine --no-media` runs it.
 * Prints versions read per second and the peak memory of each, and the import's rate as a ratio of
 * the target and of the walk's. Target: ≥ 2,000 versions/s and a peak that does not grow with the
 * history (compare BENCH_COMMITS=4000 BENCH_VERSIONS=20000 with the default).
 * Bodies are the fixture corpus's real articles, so no shared corpus is needed.
 */
import { spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createArchiveWriter } from '../src/adapters/archive/index.js';
import { openGitHistory } from '../src/adapters/git/index.js';
import { createHttpClient } from '../src/adapters/http/index.js';
import { createStreamLogger } from '../src/adapters/log/index.js';
import { openSqliteSearchIndex } from '../src/adapters/search/index.js';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { DUTYMACHINE_FOLDERS, parseDutyMachinePath, readDutyMachineFile } from '../src/core/import/index.js';
import type { Source } from '../src/core/model/index.js';
import { importDutyMachine } from '../src/core/pipeline/index.js';
import { FIXTURE_CORPUS, loadCorpusRows } from '../test/helpers/corpus.js';
import { dutyMachineText } from '../test/helpers/dutymachine.js';
import { testGitEnv } from '../test/helpers/git.js';

const COMMITS = Number(process.env.BENCH_COMMITS ?? 20_000);
const VERSIONS = Number(process.env.BENCH_VERSIONS ?? 100_000);
const T0 = Date.UTC(2020, 5, 28);
/** OLD_IDS bounds the files per folder (the real folders held a few thousand), and so each commit's tree. */
const OLD_IDS = 1_500;

/** writeHistory streams a fast-import script: each commit writes VERSIONS / COMMITS files. */
async function writeHistory(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const env = testGitEnv();
  await run('git', ['init', '-q', '-b', 'master'], dir, env);
  const child = spawn('git', ['fast-import', '--quiet'], { cwd: dir, env, stdio: ['pipe', 'inherit', 'inherit'] });
  const done = new Promise<void>((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`fast-import: exit ${code}`)))));
  const rows = loadCorpusRows(FIXTURE_CORPUS).filter((row) => row.flags.length === 0);
  const folders = Object.keys(DUTYMACHINE_FOLDERS);
  const perCommit = Math.max(1, Math.round(VERSIONS / COMMITS));
  let article = 0;
  const write = async (text: string): Promise<void> => {
    if (!child.stdin.write(text)) await new Promise<void>((resolve) => child.stdin.once('drain', () => resolve()));
  };
  for (let commit = 0; commit < COMMITS; commit++) {
    const message = `update ${commit}`;
    let script = `commit refs/heads/master\nmark :${commit + 1}\ncommitter Bench <bench@example.test> ${Math.floor((T0 + commit * 60_000) / 1000)} +0000\ndata ${Buffer.byteLength(message)}\n${message}\n`;
    if (commit > 0) script += `from :${commit}\n`;
    for (let i = 0; i < perCommit; i++) {
      // Two in five versions rewrite a recent article (a second version). Old ids cycle through
      // OLD_IDS per folder, so later articles overwrite the files of earlier ones, as in the original.
      const rewrite = i % 5 < 2 && article > 50;
      const n = rewrite ? article - 1 - ((commit + i) % 50) : article++;
      const row = rows[n % rows.length]!;
      const folder = folders[n % folders.length]!;
      const oldId = 1_048_575 - (Math.floor(n / folders.length) % OLD_IDS);
      const link = `${row.link}${row.link.includes('?') ? '&' : '?'}bench=${n}`;
      const html = rewrite ? `${row.html}<p>更新 ${commit}</p>` : row.html;
      const content = dutyMachineText({ ...row, link, html, title: `${row.title ?? ''} ${n}` });
      script += `M 100644 inline articles/${folder}/${oldId}_标题.md\ndata ${Buffer.byteLength(content)}\n${content}\n`;
    }
    await write(script);
  }
  child.stdin.end();
  await done;
  await run('git', ['reset', '-q', '--hard'], dir, env);
}

function run(command: string, args: string[], cwd: string, env: Record<string, string | undefined>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: 'inherit' });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')}: exit ${code}`))));
  });
}

/** TARGET is issue 14's figure: versions read per second by the whole import. */
const TARGET = 2_000;

/**
 * measure runs `work`, sampling the memory, and returns seconds and the peaks in MB: the resident
 * set (which never shrinks back) and the JavaScript heap in use (which tells what the run holds).
 */
async function measure(work: () => Promise<number>): Promise<{ count: number; seconds: number; peakMb: number; heapMb: number }> {
  let peak = process.memoryUsage().rss;
  let heap = process.memoryUsage().heapUsed;
  const sample = (): void => {
    const usage = process.memoryUsage();
    peak = Math.max(peak, usage.rss);
    heap = Math.max(heap, usage.heapUsed);
  };
  const timer = setInterval(sample, 50);
  const started = performance.now();
  try {
    const count = await work();
    sample();
    return { count, seconds: (performance.now() - started) / 1000, peakMb: peak / 1e6, heapMb: heap / 1e6 };
  } finally {
    clearInterval(timer);
  }
}

const base = join(tmpdir(), `newsmirror-bench-import-${process.pid}`);
const repo = join(base, 'old');
try {
  const built = performance.now();
  await writeHistory(repo);
  console.log(`history: ${COMMITS} commits, ~${VERSIONS} versions built in ${((performance.now() - built) / 1000).toFixed(1)} s`);
  const env = testGitEnv();
  const accept = (path: string): boolean => parseDutyMachinePath(path) !== undefined;

  const walk = await measure(async () => {
    const history = openGitHistory(repo, { env, accept });
    let versions = 0;
    try {
      for await (const commit of history.commits()) {
        for (const file of commit.files) if (readDutyMachineFile(new TextDecoder().decode(file.bytes)).ok) versions++;
      }
    } finally {
      await history.close();
    }
    return versions;
  });
  const walkRate = walk.count / walk.seconds;
  console.log(`walk + read:  ${walk.count} versions in ${walk.seconds.toFixed(1)} s = ${Math.round(walkRate)} versions/s, peak RSS ${walk.peakMb.toFixed(0)} MB, heap ${walk.heapMb.toFixed(0)} MB`);

  await mkdir(join(base, 'archive'));
  const store = openSqliteStore(join(base, 'store.db'));
  const search = openSqliteSearchIndex(join(base, 'store.db'));
  const http = createHttpClient();
  const sources: Source[] = Object.values(DUTYMACHINE_FOLDERS).map((id) => ({ id, name: id, url: `https://feeds.example.test/${id}.xml`, enabled: true, guidPolicy: 'auto', fulltext: 'feed', intervalMinutes: 60 }));
  const deps = { http, store, search, archive: createArchiveWriter(join(base, 'archive'), { syncFiles: process.env.BENCH_FSYNC !== '0' }), clock: { now: () => Date.now() }, logger: createStreamLogger(() => undefined), timeZone: 'Asia/Shanghai' };
  let report: Awaited<ReturnType<typeof importDutyMachine>> | undefined;
  const full = await measure(async () => {
    const history = openGitHistory(repo, { env, accept });
    try {
      report = await importDutyMachine(deps, history, { sources, folders: { ...DUTYMACHINE_FOLDERS } });
    } finally {
      await history.close();
    }
    return report.versionsRead;
  });
  const rate = full.count / full.seconds;
  console.log(`full import:  ${full.count} versions in ${full.seconds.toFixed(1)} s = ${Math.round(rate)} versions/s, peak RSS ${full.peakMb.toFixed(0)} MB, heap ${full.heapMb.toFixed(0)} MB`);
  console.log(`  ${(rate / TARGET).toFixed(2)} × the target (${TARGET} versions/s), ${(rate / walkRate).toFixed(2)} × the walk alone in this run`);
  console.log(`  ${report?.articles} articles (${report?.recovered} recovered), ${report?.newVersions} later versions, ${report?.unchanged} unchanged`);
  await http.close();
  await search.close();
  await store.close();
} finally {
  await rm(base, { recursive: true, force: true });
}
