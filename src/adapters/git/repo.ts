import { mkdir, readdir, readFile, readlink, realpath, stat, unlink } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { NewsmirrorError } from '../../core/errors.js';
import type { Logger } from '../../core/ports.js';
import { createRedactor } from './redact.js';
import { DEFAULT_GIT_TIMEOUT_MS, DEFAULT_NETWORK_TIMEOUT_MS, buildGitEnv, git, runGit, type GitContext } from './run.js';

/** GitOptions are shared by every git adapter entry point. */
export interface GitOptions {
  /** Environment for git on top of process.env (e.g. GIT_SSH_COMMAND); `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Bound on each local git command (default DEFAULT_GIT_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Bound on each push or fetch (default DEFAULT_NETWORK_TIMEOUT_MS). */
  networkTimeoutMs?: number;
  logger?: Logger;
  /**
   * Age after which a leftover lock file (`.git/index.lock` …) with no git process working in the
   * repository is removed. Default: 10 s where running processes can be inspected (/proc), 10 min
   * elsewhere, where age is the only evidence.
   */
  staleLockMs?: number;
  /** Clock for lock ages; tests inject it. */
  now?: () => number;
}

/** ChangeSummary lists archive-relative paths that differ from the last commit, each list sorted. */
export interface ChangeSummary {
  added: string[];
  modified: string[];
  deleted: string[];
}

/** EnsureRepoResult says what ensureRepo had to do. */
export interface EnsureRepoResult {
  /** True when the folder was not a repository and `git init` made it one. */
  created: boolean;
  /** Leftover lock files removed (repository-relative), e.g. `.git/index.lock` from a killed run. */
  removedLocks: string[];
  /** True when an interrupted merge was aborted. */
  abortedMerge: boolean;
}

/** createGitContext builds the command context of one operation on `dir`. */
export function createGitContext(dir: string, options: GitOptions = {}, remoteUrls: readonly string[] = []): GitContext {
  const env = buildGitEnv(process.env, options.env);
  return {
    dir,
    env,
    timeoutMs: options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS,
    networkTimeoutMs: options.networkTimeoutMs ?? DEFAULT_NETWORK_TIMEOUT_MS,
    redact: createRedactor(remoteUrls, env),
  };
}

/**
 * ensureRepo makes `dir` a git repository on `branch` ready for an unattended commit: it creates
 * the folder and runs `git init -b <branch>` when `dir` is not itself a repository (a folder inside
 * another repository gets its own), switches an unborn HEAD to `branch`, turns off automatic gc
 * and maintenance, removes stale lock files left by a killed run, and aborts an interrupted merge.
 *
 * Throws NewsmirrorError `git` when the repository has commits on another branch or a detached
 * HEAD (switching would hide the archive), and `locked` when a lock is held by a live git process.
 */
export async function ensureRepo(dir: string, branch = 'main', options: GitOptions = {}): Promise<EnsureRepoResult> {
  return ensureRepoIn(createGitContext(dir, options), branch, options);
}

/** ensureRepoIn is ensureRepo with an existing context (publishArchive shares one). */
export async function ensureRepoIn(context: GitContext, branch: string, options: GitOptions): Promise<EnsureRepoResult> {
  assertBranchName(branch);
  const { dir } = context;
  await mkdir(dir, { recursive: true });
  let created = false;
  if (!(await exists(join(dir, '.git')))) {
    await git(context, ['init', '-q', '-b', branch]);
    created = true;
    options.logger?.info('git: initialised archive repository', { branch });
  }
  // Locks first: a config.lock left by a killed run would make the config writes below fail.
  const removedLocks = await clearStaleLocks(context, options);
  await git(context, ['config', 'gc.auto', '0']);
  await git(context, ['config', 'maintenance.auto', 'false']);
  const abortedMerge = await abortInterruptedMerge(context, options.logger);

  const head = await runGit(context, ['symbolic-ref', '--quiet', 'HEAD']);
  const current = head.code === 0 ? head.stdout.trim() : undefined;
  if (current !== `refs/heads/${branch}`) {
    const hasCommit = (await runGit(context, ['rev-parse', '--verify', '--quiet', 'HEAD'])).code === 0;
    if (hasCommit || current === undefined) {
      throw new NewsmirrorError('git', 'git', `archive repository is on ${current ?? 'a detached HEAD'}, expected refs/heads/${branch}`, {
        hint: `check out ${branch} in the archive folder, or set the publish branch`,
      });
    }
    await git(context, ['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
  }
  return { created, removedLocks, abortedMerge };
}

/** assertBranchName refuses names git would read as an option or reject as a ref. */
export function assertBranchName(branch: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(branch) || branch.includes('..') || branch.endsWith('.lock') || branch.endsWith('/')) {
    throw new NewsmirrorError('usage', 'git', `invalid branch name ${JSON.stringify(branch)}`);
  }
}

/**
 * clearStaleLocks removes lock files a killed git left behind. A lock is stale when it is older
 * than `staleLockMs` and no git process works in the repository; a live lock is reported as
 * NewsmirrorError `locked` rather than broken, because breaking it would corrupt the index.
 */
async function clearStaleLocks(context: GitContext, options: GitOptions): Promise<string[]> {
  const gitDir = join(context.dir, '.git');
  const locks = await findLocks(gitDir);
  if (locks.length === 0) return [];
  const liveness = await gitProcessesIn(context.dir);
  const staleAfter = options.staleLockMs ?? (liveness === undefined ? 10 * 60_000 : 10_000);
  const now = options.now ? options.now() : Date.now();
  const removed: string[] = [];
  for (const lock of locks) {
    const info = await stat(lock).catch(() => undefined);
    if (!info) continue;
    const age = now - info.mtimeMs;
    const name = relative(context.dir, lock).split(sep).join('/');
    if (age < staleAfter || (liveness !== undefined && liveness.length > 0)) {
      const holder = liveness && liveness.length > 0 ? `git process ${liveness.join(', ')} is working in it` : `it is only ${Math.round(age / 1000)} s old`;
      throw new NewsmirrorError('locked', 'git', `${name} exists and ${holder}`, {
        hint: 'another git command is running in the archive; retry when it has finished',
      });
    }
    await unlink(lock).catch(() => undefined);
    removed.push(name);
    options.logger?.warn('git: removed stale lock file', { path: name, age_ms: Math.round(age) });
  }
  return removed;
}

/** findLocks lists `*.lock` files directly in .git and anywhere under .git/refs. */
async function findLocks(gitDir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string, recurse: boolean): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isFile() && entry.name.endsWith('.lock')) found.push(path);
      else if (recurse && entry.isDirectory()) await walk(path, true);
    }
  };
  await walk(gitDir, false);
  await walk(join(gitDir, 'refs'), true);
  return found.sort();
}

/**
 * gitProcessesIn returns the pids of git processes whose working directory is `dir` or below it,
 * read from /proc; `undefined` where /proc cannot be read (macOS, Windows), so the caller knows it
 * only has the lock's age to go by.
 */
async function gitProcessesIn(dir: string): Promise<number[] | undefined> {
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const root = await realpath(dir).catch(() => dir);
  const live: number[] = [];
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    if (!comm.startsWith('git')) continue;
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => undefined);
    if (cwd !== undefined && (cwd === root || cwd.startsWith(root + sep))) live.push(Number(pid));
  }
  return live;
}

/** abortInterruptedMerge aborts a merge a killed publish left half done, so the next commit is not a stray merge. */
async function abortInterruptedMerge(context: GitContext, logger: Logger | undefined): Promise<boolean> {
  if (!(await exists(join(context.dir, '.git', 'MERGE_HEAD')))) return false;
  await git(context, ['merge', '--abort']);
  logger?.warn('git: aborted an interrupted merge');
  return true;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

/** hasChanges tells whether the working tree of the repository at `dir` differs from its last commit (untracked files count). */
export async function hasChanges(dir: string, options: GitOptions = {}): Promise<boolean> {
  const status = await git(createGitContext(dir, options), ['status', '--porcelain=v1', '-z', '--untracked-files=normal']);
  return status.length > 0;
}

/**
 * summarizeChanges lists what the next commit of `dir` would hold: new, modified and deleted files
 * (each untracked file listed, never a folder), so the caller can write the commit message from the
 * new and edited article paths. Renames count as a deletion plus an addition.
 */
export async function summarizeChanges(dir: string, options: GitOptions = {}): Promise<ChangeSummary> {
  return summarizeIn(createGitContext(dir, options));
}

/** summarizeIn is summarizeChanges with an existing context. */
export async function summarizeIn(context: GitContext): Promise<ChangeSummary> {
  const status = await git(context, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames']);
  return parseStatusZ(status);
}

/**
 * parseStatusZ reads `git status --porcelain=v1 -z --no-renames` output. Each record is
 * `XY path\0`; X is the index side, Y the working tree side.
 */
export function parseStatusZ(output: string): ChangeSummary {
  const summary: ChangeSummary = { added: [], modified: [], deleted: [] };
  for (const record of output.split('\0')) {
    if (record.length < 4) continue;
    const x = record[0];
    const y = record[1];
    const path = record.slice(3);
    if (x === '!') continue;
    if (x === '?' || (x === 'A' && y !== 'D')) summary.added.push(path);
    else if (x === 'A') continue;
    else if (x === 'D' || y === 'D') summary.deleted.push(path);
    else summary.modified.push(path);
  }
  summary.added.sort();
  summary.modified.sort();
  summary.deleted.sort();
  return summary;
}
