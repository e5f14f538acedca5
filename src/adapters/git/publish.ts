import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NewsmirrorError } from '../../core/errors.js';
import type { Logger } from '../../core/ports.js';
import { createGitContext, ensureRepoIn, summarizeIn, type ChangeSummary, type GitOptions } from './repo.js';
import { commandError, failureText, git, runGit, type GitContext } from './run.js';

/** GitRemote is a push target, configured in the archive repository under its name. */
export interface GitRemote {
  name: string;
  /** May carry credentials (https://user:TOKEN@host/…); they never appear in results or logs. */
  url: string;
}

/** PublishOptions describe one publish of the archive folder. */
export interface PublishOptions extends GitOptions {
  dir: string;
  remotes: GitRemote[];
  author: { name: string; email: string };
  /** The commit message, or a function that writes it from the changes being committed. */
  message: string | ((changes: ChangeSummary) => string);
  /** Branch committed to and pushed (default `main`). */
  branch?: string;
  /**
   * Gitignore patterns for local-only files in the archive folder (a run lock, temporary files),
   * written to `.git/info/exclude`, which this option then owns entirely. Never committed.
   */
  exclude?: string[];
}

/** PushResult is the outcome for one remote; `error` is redacted. */
export interface PushResult {
  /** The remote's name (never its URL). */
  remote: string;
  ok: boolean;
  error?: string;
  /** True when the remote had moved on and its history was merged before pushing again. */
  merged?: boolean;
  /** True when the remote already had everything (nothing was sent). */
  upToDate?: boolean;
}

/** PublishResult is what one publish did: the commit (if any) and a result per remote, in order. */
export interface PublishResult {
  committed: boolean;
  /** Full hash of the new commit, when one was made. */
  commit?: string;
  changes: ChangeSummary;
  pushes: PushResult[];
}

/** MAX_PUSH_ATTEMPTS bounds fetch-merge-push rounds against a remote that keeps moving. */
const MAX_PUSH_ATTEMPTS = 3;

/** REMOTE_NAME is what git accepts as a remote name and cannot be mistaken for an option. */
const REMOTE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * publishArchive commits the archive folder and pushes it to every remote.
 *
 * - The folder is made a repository when it is not one; stale locks from a killed run are removed
 *   (see ensureRepo). A repository without commits first takes the history of the first remote
 *   that has one, so a mirror redeployed with an empty folder continues its remotes' history.
 * - Remotes are configured in the repository by name (`git remote add` / `set-url`).
 * - Every change is staged and committed once, with the given author as author and committer; with
 *   nothing new no commit is made.
 * - Every remote is pushed to even without a new commit, so a remote that failed last time (host
 *   down, account suspended) catches up at the next publish; a remote that is already current costs
 *   one round trip.
 * - Never a force-push. A push rejected because the remote moved on fetches that remote, merges it
 *   (a merge commit keeping both sides, never a rebase) and pushes again. A merge conflict or
 *   unrelated history is aborted and that remote is reported failed. Remotes pushed to before the
 *   merge receive the merge too.
 * - All remotes are pushed to at once, so a hung host costs one timeout. A failing remote is
 *   reported and the others still receive the push; this function only throws
 *   for a failure of the local repository (NewsmirrorError `git`, or `locked`).
 *
 * Credentials in remote URLs and GIT_SSH_COMMAND are removed from every error, log line and result.
 *
 * @example
 * const result = await publishArchive({ dir: 'archive', remotes: [{ name: 'origin', url }], author, message: 'sync: 3 new' });
 */
export async function publishArchive(options: PublishOptions): Promise<PublishResult> {
  const branch = options.branch ?? 'main';
  const logger = options.logger;
  const context = createGitContext(options.dir, options, options.remotes.map((remote) => remote.url));
  const env = authorEnv(options.author);

  await ensureRepoIn(context, branch, options);
  if (options.exclude !== undefined) await writeExclude(options.dir, options.exclude);
  const remotes = await configureRemotes(context, options.remotes);
  if (!(await hasCommit(context))) {
    await adoptRemoteHistory(context, remotes.filter((remote) => remote.error === undefined).map((remote) => remote.name), branch, logger);
  }

  await git(context, ['add', '--all']);
  const changes = await summarizeIn(context);
  const total = changes.added.length + changes.modified.length + changes.deleted.length;
  let commit: string | undefined;
  if (total > 0) {
    const written = typeof options.message === 'string' ? options.message : options.message(changes);
    // git refuses an empty message, and a publish must not fail over wording.
    const message = written.trim() === '' ? `archive: ${total} file(s) changed` : written;
    // The message goes through stdin: a summary of thousands of articles would pass the
    // per-argument size limit of execve.
    await git(context, ['commit', '--quiet', '--no-verify', '--file=-'], { input: message, env });
    commit = await headCommit(context);
    logger?.info('git: committed', {
      commit,
      added: changes.added.length,
      modified: changes.modified.length,
      deleted: changes.deleted.length,
    });
  } else {
    logger?.info('git: nothing to commit');
  }

  const pushes = await pushEverywhere(context, remotes, branch, env);
  for (const push of pushes) {
    if (push.ok) logger?.info('git: pushed', { remote: push.remote, merged: push.merged === true, up_to_date: push.upToDate === true });
    else logger?.warn('git: push failed', { remote: push.remote, error: push.error });
  }
  return { committed: commit !== undefined, commit, changes, pushes };
}

/** ConfiguredRemote is a remote after configuration: its name, or why it cannot be used. */
interface ConfiguredRemote {
  name: string;
  error?: string;
}

/**
 * configureRemotes adds or updates each remote in the repository's config by name, one at a time
 * (each write takes .git/config.lock). Remotes configured by hand and not listed are left alone.
 */
async function configureRemotes(context: GitContext, remotes: readonly GitRemote[]): Promise<ConfiguredRemote[]> {
  const existing = new Set(
    (await git(context, ['remote']))
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== ''),
  );
  const configured: ConfiguredRemote[] = [];
  for (const remote of remotes) {
    const name = remote.name;
    if (!REMOTE_NAME.test(name) || name.endsWith('.lock')) {
      configured.push({ name: context.redact(name), error: `invalid remote name ${JSON.stringify(context.redact(name))}` });
    } else if (remote.url.trim() === '' || remote.url.startsWith('-')) {
      configured.push({ name, error: 'invalid remote url' });
    } else if (configured.some((other) => other.name === name)) {
      configured.push({ name, error: 'remote listed twice' });
    } else {
      const args = existing.has(name) ? ['remote', 'set-url', name, remote.url] : ['remote', 'add', name, remote.url];
      const output = await runGit(context, args);
      configured.push(output.code === 0 ? { name } : { name, error: commandError(context, args, output).message });
      existing.add(name);
    }
  }
  return configured;
}

/**
 * adoptRemoteHistory gives a repository without commits the history of the first remote that has
 * one. A mirror redeployed on a new machine starts from an empty archive folder while its remotes
 * hold years of history; committing first would make a history unrelated to every remote, and no
 * push could ever be merged again. The archive's own files win over the remote's; files only the
 * remote has are restored into the folder.
 */
async function adoptRemoteHistory(context: GitContext, names: readonly string[], branch: string, logger: Logger | undefined): Promise<void> {
  for (const name of names) {
    const tracking = `refs/remotes/${name}/${branch}`;
    const fetched = await runGit(context, ['fetch', '--quiet', '--no-tags', name, `+refs/heads/${branch}:${tracking}`], { network: true });
    if (fetched.code !== 0) continue;
    // --mixed moves the branch and the index onto the remote's commit and leaves the folder alone;
    // then only the files the folder lacks are written from the index.
    await git(context, ['reset', '--quiet', '--mixed', tracking]);
    const missing = await git(context, ['ls-files', '--deleted', '-z']);
    if (missing !== '') await git(context, ['checkout-index', '--quiet', '-z', '--stdin'], { input: missing });
    logger?.info('git: adopted the history of a remote', { remote: name });
    return;
  }
}

/**
 * pushEverywhere pushes HEAD's branch to every usable remote: first to all of them at once (a hung
 * host then costs one timeout, not one per remote), then, one at a time, fetch-merge-push for
 * those that had moved on, and finally again to remotes that were pushed before a merge moved HEAD.
 */
async function pushEverywhere(context: GitContext, remotes: readonly ConfiguredRemote[], branch: string, env: Record<string, string>): Promise<PushResult[]> {
  const hasHead = await hasCommit(context);
  const results: PushResult[] = remotes.map((remote) =>
    remote.error !== undefined ? { remote: remote.name, ok: false, error: remote.error } : { remote: remote.name, ok: true, upToDate: true },
  );
  if (!hasHead) return results;

  const usable = results.filter((result) => result.ok);
  const pushedAt = new Map<PushResult, string>();
  let head = await headCommit(context);
  const outcomes = await Promise.all(usable.map((result) => pushOnce(context, result.remote, branch)));
  const rejected: PushResult[] = [];
  usable.forEach((result, index) => {
    const outcome = outcomes[index];
    if (outcome?.kind === 'rejected') rejected.push(result);
    else if (outcome !== undefined) record(result, outcome, head, pushedAt);
  });

  for (const result of rejected) {
    delete result.upToDate;
    Object.assign(result, await mergeAndPush(context, result.remote, branch, env));
    head = await headCommit(context);
    if (result.ok) pushedAt.set(result, head);
  }

  // A merge moved HEAD: remotes pushed earlier are one merge behind.
  const behind = results.filter((result) => result.ok && pushedAt.get(result) !== head);
  const again = await Promise.all(behind.map((result) => pushOnce(context, result.remote, branch)));
  behind.forEach((result, index) => {
    const outcome = again[index];
    if (outcome !== undefined) record(result, outcome, head, pushedAt, result.upToDate === true);
  });
  return results;
}

/** record writes a push outcome into a result; `wasUpToDate` keeps "nothing sent" true only if no push sent anything. */
function record(result: PushResult, outcome: PushOutcome, head: string, pushedAt: Map<PushResult, string>, wasUpToDate = true): void {
  if (outcome.kind === 'ok') {
    result.ok = true;
    result.upToDate = wasUpToDate && outcome.upToDate;
    delete result.error;
    pushedAt.set(result, head);
  } else {
    result.ok = false;
    result.error = outcome.kind === 'rejected' ? `rejected: ${outcome.error}` : outcome.error;
    delete result.upToDate;
  }
}

/** mergeAndPush handles a remote that rejected the push: fetch, merge, push, a few times at most. */
async function mergeAndPush(context: GitContext, name: string, branch: string, env: Record<string, string>): Promise<PushResult> {
  for (let attempt = 1; attempt < MAX_PUSH_ATTEMPTS; attempt += 1) {
    const mergeError = await mergeRemote(context, name, branch, env);
    if (mergeError !== undefined) return { remote: name, ok: false, error: mergeError };
    const push = await pushOnce(context, name, branch);
    if (push.kind === 'ok') return { remote: name, ok: true, merged: true, upToDate: false };
    if (push.kind === 'failed') return { remote: name, ok: false, error: push.error, merged: true };
  }
  return { remote: name, ok: false, error: `remote kept moving: still rejected after ${MAX_PUSH_ATTEMPTS} attempts` };
}

async function writeExclude(dir: string, patterns: readonly string[]): Promise<void> {
  const lines = patterns.map((pattern) => pattern.replace(/[\r\n]/g, '')).filter((pattern) => pattern !== '');
  await mkdir(join(dir, '.git', 'info'), { recursive: true });
  await writeFile(join(dir, '.git', 'info', 'exclude'), `# written by newsmirror publishArchive (exclude option)\n${lines.map((line) => `${line}\n`).join('')}`);
}

async function hasCommit(context: GitContext): Promise<boolean> {
  return (await runGit(context, ['rev-parse', '--verify', '--quiet', 'HEAD'])).code === 0;
}

async function headCommit(context: GitContext): Promise<string> {
  return (await git(context, ['rev-parse', 'HEAD'])).trim();
}

/** authorEnv sets author and committer through the environment, never through global config. */
function authorEnv(author: { name: string; email: string }): Record<string, string> {
  if (author.name.trim() === '' || author.email.trim() === '') {
    throw new NewsmirrorError('config-invalid', 'git', 'commit author needs a name and an email');
  }
  return {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
  };
}

type PushOutcome = { kind: 'ok'; upToDate: boolean } | { kind: 'rejected'; error: string } | { kind: 'failed'; error: string };

/** pushOnce pushes the branch to the remote by name, fast-forward only. */
async function pushOnce(context: GitContext, name: string, branch: string): Promise<PushOutcome> {
  const ref = `refs/heads/${branch}`;
  const output = await runGit(context, ['push', '--porcelain', '--no-verify', name, `${ref}:${ref}`], { network: true });
  // --porcelain prints one line per ref: `<flag>\t<from>:<to>\t<summary>`; `=` up to date, `!` rejected.
  const line = output.stdout.split('\n').find((entry) => entry.includes(`\t${ref}:${ref}\t`));
  if (output.code === 0) return { kind: 'ok', upToDate: line?.startsWith('=') ?? false };
  if (line?.startsWith('!') && /\[rejected\].*\((?:fetch first|non-fast-forward)\)/.test(line)) {
    return { kind: 'rejected', error: failureText(context, line) };
  }
  if (output.timedOut) return { kind: 'failed', error: `push timed out after ${context.networkTimeoutMs} ms` };
  return { kind: 'failed', error: failureText(context, [output.stderr, line ?? ''].join('\n')) || `push failed (exit ${output.code})` };
}

/**
 * mergeRemote fetches the remote's branch and merges it into HEAD with a merge commit. Returns an
 * error text (the merge aborted) or undefined on success.
 */
async function mergeRemote(context: GitContext, name: string, branch: string, env: Record<string, string>): Promise<string | undefined> {
  const tracking = `refs/remotes/${name}/${branch}`;
  // The `+` only lets our own remote-tracking ref follow the remote; nothing is forced on the remote.
  const fetchArgs = ['fetch', '--quiet', '--no-tags', name, `+refs/heads/${branch}:${tracking}`];
  const fetched = await runGit(context, fetchArgs, { network: true });
  if (fetched.code !== 0) return `fetch after rejected push failed: ${commandError(context, fetchArgs, fetched, { network: true }).message}`;

  const merge = await runGit(context, ['merge', '--no-edit', '--no-ff', '-m', `Merge ${name}/${branch}`, tracking], { env });
  if (merge.code === 0) return undefined;
  const text = `${merge.stdout}\n${merge.stderr}`;
  const conflicted = (await runGit(context, ['diff', '--name-only', '--diff-filter=U'])).stdout
    .split('\n')
    .filter((line) => line !== '');
  await runGit(context, ['merge', '--abort']);
  if (/refusing to merge unrelated histories/.test(text)) {
    return `remote ${name}/${branch} has an unrelated history; it was not merged (create the remote empty, or reconcile by hand)`;
  }
  if (conflicted.length > 0) {
    const shown = context.redact(conflicted.slice(0, 5).join(', '));
    return `merge with ${name}/${branch} conflicts in ${conflicted.length} file(s): ${shown}${conflicted.length > 5 ? ', …' : ''}; merge aborted`;
  }
  return `merge with ${name}/${branch} failed: ${failureText(context, text)}`;
}
