/**
 * npm run bench:import — builds a synthetic duty-machine history (default 20,000 commits holding
 * 100,000 article file versions: new articles, rewritten ones, old ids reused for other articles)
 * with `git fast-import`, then measures, over it:
 *   1. the walk alone: git log + one cat-file --batch + the reader of the old formats;
 *   2. the whole import into a SQLite store and an archive folder (cleaning, identity, store, files,
 *      lists, search index), as `newsmirror import-dutymachine --no-media` runs it.
 * Each runs in its own child process, so its peak resident set (VmHWM) is its own; the import's
 * child runs with the V8 flag the command sets (D25), its cleaning and file writing on threads, one
 * durability point per flush (BENCH_FSYNC=each: an fsync per file, =0: none; BENCH_CLEAN_THREAD=0,
 * BENCH_ARCHIVE_THREAD=0: on the main thread). Prints versions read per second (also per processor
 * second, child processes included, and per second of the main thread: the machine is shared), the
 * processor ms per version on the main thread, the other threads and the child processes (git,
 * `sync -f`), the peak, the load average around each, and the import's rate as a ratio of the
 * target and of the walk's. Target: ≥ 2,000 versions/s and a peak that does not grow with the
 * history (compare BENCH_COMMITS=4000 BENCH_VERSIONS=20000 with the default). BENCH_HISTORY=DIR
 * keeps the built history there for the next run. Each thread's user and system time is printed
 * too, taken when the walk ends (a closed thread's is gone from /proc).
 * The import's archive and store stay in $TMPDIR/newsmirror-bench-import-outputs/<pid> after the
 * run. The next run deletes them once it has measured, and ext4 places each run's output away from
 * the last one's, so the timing does not pay for that deletion (see OUTPUTS).
 * Bodies are the fixture corpus's real articles, so no shared corpus is needed.
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createArchiveWriter } from '../src/adapters/archive/index.js';
import { openGitHistory, openImportTally } from '../src/adapters/git/index.js';
import { openArchiveThread, openCleanThread, openSearchThread } from '../src/adapters/threads/index.js';
import { createHttpClient } from '../src/adapters/http/index.js';
import { createStreamLogger } from '../src/adapters/log/index.js';
import { openSqliteSearchIndex } from '../src/adapters/search/index.js';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { DUTYMACHINE_FOLDERS, DUTYMACHINE_TREES, isJekyllPostPath, parseDutyMachinePath, readDutyMachineFile } from '../src/core/import/index.js';
import type { Source } from '../src/core/model/index.js';
import { importDutyMachine } from '../src/core/pipeline/index.js';
import { CLI_V8_FLAGS } from '../src/cli/v8-flags.js';
import { FIXTURE_CORPUS, loadCorpusRows } from '../test/helpers/corpus.js';
import { dutyMachineText } from '../test/helpers/dutymachine.js';
import { testGitEnv } from '../test/helpers/git.js';
import { procTimes, type ProcTimes } from './proc.js';

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

/** PhaseResult is what a measured child process prints: its count, wall and processor seconds, peak RSS. */
interface PhaseResult {
  count: number;
  seconds: number;
  cpuSeconds: number;
  /** Processor seconds of the main thread alone (the walk, plan and store; the threads' work is not in it). */
  mainCpuSeconds: number;
  /** Processor seconds of the child processes that ended (git, `sync -f`): not in cpuSeconds, but on the same cores. */
  childCpuSeconds: number;
  /** VmHWM: the resident set's high-water mark over the child's whole life, in MB. */
  peakMb: number;
  /**
   * Each thread's user and system seconds when the walk ended, before the threads were closed (a
   * closed thread leaves /proc/self/task): the main thread first, then the others, busiest first.
   */
  threads?: ThreadTimes[];
  /** Where the main thread's wall time went besides its processor time, in seconds (see mainThreadWaits). */
  mainWaits?: MainThreadWaits;
  articles?: number;
  recovered?: number;
  newVersions?: number;
}

function loadAverage(): string {
  return loadavg().map((value) => value.toFixed(1)).join(' ');
}

async function highWaterMb(): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  const kb = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
  return kb === undefined ? Number.NaN : Number(kb) / 1000;
}

/** runPhase is one measured child: its peak RSS is its own, not the history builder's or the other phase's. */
async function runPhase(phase: 'walk' | 'import', repo: string, base: string): Promise<PhaseResult> {
  const script = fileURLToPath(import.meta.url);
  // The import runs with the V8 flags bin/newsmirror.js sets (D25, D33), so its peak is the command's.
  const flags = phase === 'import' ? CLI_V8_FLAGS : [];
  const child = spawn(process.execPath, [...flags, ...process.execArgv, script], {
    env: { ...process.env, BENCH_IMPORT_PHASE: phase, BENCH_IMPORT_REPO: repo, BENCH_IMPORT_BASE: base },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`bench phase ${phase}: exit ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1) as string) as PhaseResult;
}

/** ThreadTimes is one thread's processor seconds, user and system apart. */
interface ThreadTimes {
  user: number;
  system: number;
}

// Every thread's user and system seconds (clock ticks of 1/100 s), the main thread first.
async function threadTimes(): Promise<ThreadTimes[]> {
  const tasks = await readdir('/proc/self/task').catch(() => [] as string[]);
  const times: (ThreadTimes & { main: boolean })[] = [];
  for (const task of tasks) {
    let thread: ProcTimes;
    try {
      thread = procTimes('self', task);
    } catch {
      // The thread ended since the folder was listed.
      continue;
    }
    times.push({ main: Number(task) === process.pid, user: thread.user / 1000, system: thread.system / 1000 });
  }
  times.sort((a, b) => Number(b.main) - Number(a.main) || b.user + b.system - (a.user + a.system));
  return times.filter((time) => time.main || time.user + time.system > 0).map(({ user, system }) => ({ user, system }));
}

// The threads' times with the main thread's time before the import (loading the modules) taken off.
function sinceStartup(times: ThreadTimes[], startup: ThreadTimes | undefined): ThreadTimes[] {
  const [main, ...others] = times;
  if (main === undefined || startup === undefined) return times;
  return [{ user: main.user - startup.user, system: main.system - startup.system }, ...others];
}

// The main thread's user + system time in seconds (its task has the process's id).
async function mainThreadCpu(): Promise<number> {
  const main = procTimes('self', process.pid);
  return (main.user + main.system) / 1000;
}

/**
 * MainThreadWaits splits the main thread's wall time that is not processor time: waiting for a core
 * while runnable (the kernel's run delay: the other threads, git and other processes had both), idle
 * in the event loop (awaiting git's output, a thread's answer, a flush's writes), and the rest,
 * blocked in a system call (SQLite's reads, writes and syncs, which run on the main thread).
 */
interface MainThreadWaits {
  runQueue: number;
  idle: number;
  blocked: number;
}

// The main thread's processor and run-queue time in seconds (/proc's schedstat, in nanoseconds).
async function mainThreadSchedule(): Promise<{ cpu: number; runQueue: number }> {
  const fields = (await readFile(`/proc/self/task/${process.pid}/schedstat`, 'utf8').catch(() => '0 0')).split(' ');
  return { cpu: Number(fields[0]) / 1e9, runQueue: Number(fields[1]) / 1e9 };
}

// The user + system time of the child processes waited for (cutime + cstime), in seconds.
async function childrenCpu(): Promise<number> {
  return procTimes('self').children / 1000;
}

async function timed(work: () => Promise<Omit<PhaseResult, 'seconds' | 'cpuSeconds' | 'mainCpuSeconds' | 'childCpuSeconds' | 'peakMb'>>): Promise<PhaseResult> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const mainCpu = await mainThreadCpu();
  const childCpu = await childrenCpu();
  const schedule = await mainThreadSchedule();
  const loop = performance.eventLoopUtilization();
  const result = await work();
  const used = process.cpuUsage(cpu);
  const idle = performance.eventLoopUtilization(loop).idle / 1000;
  const scheduled = await mainThreadSchedule();
  const wall = (performance.now() - started) / 1000;
  const runQueue = scheduled.runQueue - schedule.runQueue;
  return {
    ...result,
    mainWaits: { runQueue, idle, blocked: Math.max(0, wall - (scheduled.cpu - schedule.cpu) - runQueue - idle) },
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    mainCpuSeconds: (await mainThreadCpu()) - mainCpu,
    childCpuSeconds: (await childrenCpu()) - childCpu,
    peakMb: await highWaterMb(),
  };
}

/** COMMAND_HISTORY reads the history as the command does (openDutyMachineHistory), with the tests' git settings. */
const COMMAND_HISTORY = { env: testGitEnv(), folders: DUTYMACHINE_TREES, accept: (path: string) => parseDutyMachinePath(path) !== undefined || isJekyllPostPath(path) };

/** walkPhase: git log + one cat-file --batch + the reader of the old formats. */
async function walkPhase(repo: string): Promise<PhaseResult> {
  return timed(async () => {
    const history = openGitHistory(repo, COMMAND_HISTORY);
    const decoder = new TextDecoder();
    let count = 0;
    try {
      for await (const commit of history.commits()) {
        for (const file of commit.files) if (readDutyMachineFile(decoder.decode(file.bytes)).ok) count++;
      }
    } finally {
      await history.close();
    }
    return { count };
  });
}

/** importPhase: the whole import into a SQLite store and an archive folder, as `import-dutymachine --no-media` runs it. */
async function importPhase(repo: string, base: string): Promise<PhaseResult> {
  await mkdir(join(base, 'archive'));
  const store = openSqliteStore(join(base, 'store.db'));
  // As the command indexes: on a thread of its own, beside the walk (BENCH_SEARCH_THREAD=0: on the walk's thread, at each flush).
  const searchThread = process.env.BENCH_SEARCH_THREAD === '0' ? undefined : openSearchThread(join(base, 'store.db'));
  const search = searchThread ?? openSqliteSearchIndex(join(base, 'store.db'));
  const http = createHttpClient();
  const sources: Source[] = Object.values(DUTYMACHINE_FOLDERS).map((id) => ({ id, name: id, url: `https://feeds.example.test/${id}.xml`, enabled: true, guidPolicy: 'auto', fulltext: 'feed', intervalMinutes: 60 }));
  // As the command writes: on a thread, one sync per flush (BENCH_FSYNC=each: a sync per file, =0: none).
  const fsync = process.env.BENCH_FSYNC ?? 'flush';
  const archiveOptions = { syncFiles: fsync !== '0' };
  const threaded = process.env.BENCH_ARCHIVE_THREAD === '0' ? undefined : openArchiveThread(join(base, 'archive'), { ...archiveOptions, deferSync: fsync === 'flush' });
  const deps = {
    http, store, search,
    archive: threaded ?? createArchiveWriter(join(base, 'archive'), archiveOptions),
    clock: { now: () => Date.now() }, logger: createStreamLogger(() => undefined), timeZone: 'Asia/Shanghai',
  };
  // Closing is timed too, as the command closes everything before it ends (a bulk load's search
  // index merges itself into one segment then).
  return timed(async () => {
    const startup = (await threadTimes())[0];
    const history = openGitHistory(repo, COMMAND_HISTORY);
    const tally = openImportTally();
    const cleaner = process.env.BENCH_CLEAN_THREAD === '0' ? undefined : openCleanThread();
    try {
      const settle = threaded && fsync === 'flush' ? () => threaded.sync() : undefined;
      const report = await importDutyMachine(deps, history, { sources, folders: { ...DUTYMACHINE_FOLDERS }, tally, cleaner, settle, indexBeside: searchThread });
      return { count: report.versionsRead, articles: report.articles, recovered: report.recovered, newVersions: report.newVersions, threads: sinceStartup(await threadTimes(), startup) };
    } finally {
      await cleaner?.close();
      await tally.close();
      await history.close();
      await threaded?.close();
      await http.close();
      await search.close();
      await store.close();
    }
  });
}

function line(label: string, result: PhaseResult, load: string): string {
  const rate = result.count / result.seconds;
  const cpuMs = (seconds: number): string => ((seconds * 1000) / result.count).toFixed(2);
  const threads = (result.threads ?? []).slice(0, 5).map((time) => `${cpuMs(time.user)}+${cpuMs(time.system)}`);
  return (
    `${label} ${result.count} versions in ${result.seconds.toFixed(1)} s = ${Math.round(rate)} versions/s (${Math.round(result.count / (result.cpuSeconds + result.childCpuSeconds))} per processor second, ` +
    `${Math.round(result.count / result.mainCpuSeconds)} per second of the main thread), peak RSS (VmHWM) ${result.peakMb.toFixed(0)} MB; load average before ${load}, after ${loadAverage()}\n` +
    `  processor ms per version: ${cpuMs(result.cpuSeconds + result.childCpuSeconds)} in all = main thread ${cpuMs(result.mainCpuSeconds)} + other threads ${cpuMs(result.cpuSeconds - result.mainCpuSeconds)} + child processes (git, sync -f) ${cpuMs(result.childCpuSeconds)}` +
    (threads.length === 0 ? '' : `\n  by thread at the walk's end, user+system ms per version: main ${threads[0]}, then the busiest others ${threads.slice(1).join(', ')}`) +
    (result.mainWaits === undefined
      ? ''
      : `\n  the main thread's wall time besides its processor time, ms per version: waiting for a core ${cpuMs(result.mainWaits.runQueue)}, idle in the event loop ${cpuMs(result.mainWaits.idle)}, blocked in system calls ${cpuMs(result.mainWaits.blocked)}`)
  );
}

/**
 * OUTPUTS holds each run's archive and store, in a folder named by the run's pid. This machine's ext4
 * has no journal, and without one ext4 skips, one by one, every free inode of a group that was
 * deleted in the last minute, or the last six while its inode table block is dirty, which a new file
 * beside it makes it (ialloc.c: find_inode_bit, recently_deleted). A new folder goes to its parent's
 * group, so a run's archive went where the last run's, just deleted, had been: its writer thread took
 * 0.26–0.41 ms of system time per version against 0.06, still 75 s after the deletion and a `sync`
 * (D32). So OUTPUTS is marked the top of a folder hierarchy (`chattr +T`): ext4's Orlov allocator
 * then puts each run's folder in a group of its own choosing (one with the fewest folders, from a hash
 * of its name), not beside the last run's; and a run deletes the earlier runs' outputs only once it
 * has measured, so a run right after another follows no deletion of its own. That is not enough for
 * a third run: the groups a deleted output held are then the ones with the fewest folders, where
 * the allocator puts the new output (three of nine back-to-back runs in session 9 paid for it).
 * So a run that starts within RECENTLY_DELETED_SECONDS of the last deletion waits for the rest, and
 * says so. Where the mark cannot be set (another file system, no chattr), the run says so too.
 */
const OUTPUTS = join(tmpdir(), 'newsmirror-bench-import-outputs');

/** RECENTLY_DELETED_SECONDS is how long ext4 skips a deleted inode whose table block is dirty (RECENTCY_MIN + RECENTCY_DIRTY). */
const RECENTLY_DELETED_SECONDS = 360;

/** DELETED_AT is the file in OUTPUTS that holds when a run last deleted earlier outputs (epoch ms). */
const DELETED_AT = join(OUTPUTS, '.deleted-at');

/**
 * prepareOutputs makes OUTPUTS and marks it a top folder (see OUTPUTS), and returns what earlier runs
 * left in it, which the run deletes only once it has measured: a run right after another then follows
 * no deletion at all.
 */
async function prepareOutputs(): Promise<string[]> {
  await mkdir(OUTPUTS, { recursive: true });
  await new Promise<void>((resolve) => {
    const child = spawn('chattr', ['+T', OUTPUTS], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let told = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A chattr that cannot start emits 'error' and then 'close': the line is said once.
    const refused = (reason: string): void => {
      if (!told) console.log(`could not mark ${OUTPUTS} a top folder (chattr +T: ${reason}); on ext4 without a journal, a run soon after a large deletion pays for it`);
      told = true;
      resolve();
    };
    child.on('error', (error: NodeJS.ErrnoException) => refused(error.code ?? error.message));
    child.on('close', (code) => (code === 0 ? resolve() : refused(stderr.trim() || `exit ${code}`)));
  });
  const deletedAt = Number(await readFile(DELETED_AT, 'utf8').catch(() => '0'));
  const wait = deletedAt + RECENTLY_DELETED_SECONDS * 1000 - Date.now();
  if (wait > 0) {
    console.log(`an earlier run deleted its predecessor's output ${Math.round((Date.now() - deletedAt) / 1000)} s ago: waiting ${Math.ceil(wait / 1000)} s, until ext4 no longer skips those inodes (see OUTPUTS in bench/import.ts)`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return (await readdir(OUTPUTS)).filter((name) => !name.startsWith('.')).map((name) => join(OUTPUTS, name));
}

/** compare builds (or reuses) the history, then runs the walk and the import, each in its own child. */
async function compare(): Promise<void> {
  const base = join(tmpdir(), `newsmirror-bench-import-${process.pid}`);
  const output = join(OUTPUTS, String(process.pid));
  // BENCH_HISTORY keeps the built history in that folder and reuses it on the next run (one per size).
  const kept = process.env.BENCH_HISTORY;
  const repo = kept ?? join(base, 'old');
  let earlier: string[] = [];
  try {
    await mkdir(base, { recursive: true });
    if (kept !== undefined && (await stat(join(kept, '.git')).then(() => true, () => false))) {
      console.log(`history: reused from BENCH_HISTORY`);
    } else {
      const built = performance.now();
      await writeHistory(repo);
      console.log(`history: ${COMMITS} commits, ~${VERSIONS} versions built in ${((performance.now() - built) / 1000).toFixed(1)} s`);
    }
    // BENCH_BUILD_ONLY=1 with BENCH_HISTORY builds (or checks) the kept history and measures nothing.
    if (process.env.BENCH_BUILD_ONLY === '1') return;
    earlier = await prepareOutputs();
    await mkdir(output, { recursive: true });
    let load = loadAverage();
    const walk = await runPhase('walk', repo, output);
    console.log(line('walk + read:', walk, load));
    load = loadAverage();
    const full = await runPhase('import', repo, output);
    console.log(line('full import:', full, load));
    const rate = full.count / full.seconds;
    console.log(`  ${(rate / TARGET).toFixed(2)} × the target (${TARGET} versions/s), ${(rate / (walk.count / walk.seconds)).toFixed(2)} × the walk alone in this run`);
    // The main thread walks, plans and stores in order: its processor time bounds the wall time from below.
    console.log(`  main thread: ${(full.count / full.mainCpuSeconds / TARGET).toFixed(2)} × the target per second of its processor time (the rate when the threads have the other core)`);
    console.log(`  ${full.articles} articles (${full.recovered} recovered), ${full.newVersions} later versions`);
    console.log(`  this run's archive and store stay in ${output} until the next run has measured (remove the folder to free the space now)`);
  } finally {
    await rm(base, { recursive: true, force: true });
    if (earlier.length > 0) {
      for (const folder of earlier) await rm(folder, { recursive: true, force: true });
      await writeFile(DELETED_AT, String(Date.now()));
      console.log(`deleted the output of ${earlier.length} earlier run(s), after measuring`);
    }
  }
}

const phase = process.env.BENCH_IMPORT_PHASE;
if (phase === 'walk' || phase === 'import') {
  const repo = process.env.BENCH_IMPORT_REPO as string;
  const result = phase === 'walk' ? await walkPhase(repo) : await importPhase(repo, process.env.BENCH_IMPORT_BASE as string);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  await compare();
}
