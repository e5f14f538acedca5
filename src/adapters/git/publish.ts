import { NewsmirrorError, errorMessage } from '../../core/errors.js';
import { createGitContext, ensureRepoIn, summarizeIn, type ChangeSummary, type GitOptions } from './repo.js';
import { commandError, git, lastLines, runGit, type GitContext } from './run.js';

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
 *   (see ensureRepo).
 * - Every change is staged and committed once, with the given author as author and committer; with
 *   nothing new no commit is made.
 * - Every remote is pushed to even without a new commit, so a remote that failed last time (host
 *   down, account suspended) catches up at the next publish; a remote that is already current costs
 *   one round trip.
 * - Never a force-push. A push rejected because the remote moved on fetches that remote, merges it
 *   (a merge commit keeping both sides, never a rebase) and pushes again. A merge conflict or
 *   unrelated history is aborted and that remote is reported failed. Remotes pushed to before the
 *   merge receive the merge too.
 * - A failing remote is reported and the others still receive the push; this function only throws
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
  await git(context, ['add', '--all']);
  const changes = await summarizeIn(context);
  const total = changes.added.length + changes.modified.length + changes.deleted.length;

  let commit: string | undefined;
  if (total > 0) {
    const message = typeof options.message === 'string' ? options.message : options.message(changes);
    // The message goes through stdin: a summary of thousands of articles would pass the
    // per-argument size limit of execve.
    await git(context, ['commit', '--quiet', '--no-verify', '--file=-'], { input: message, env });
    commit = (await git(context, ['rev-parse', 'HEAD'])).trim();
    logger?.info('git: committed', {
      commit,
      added: changes.added.length,
      modified: changes.modified.length,
      deleted: changes.deleted.length,
    });
  } else {
    logger?.info('git: nothing to commit');
  }

  const hasHead = (await runGit(context, ['rev-parse', '--verify', '--quiet', 'HEAD'])).code === 0;
  const pushes: PushResult[] = [];
  const configured = await listRemotes(context);
  for (const remote of options.remotes) {
    if (!hasHead) {
      pushes.push({ remote: remote.name, ok: true, upToDate: true });
      continue;
    }
    const result = await publishToRemote(context, remote, branch, configured, env);
    pushes.push(result);
    if (result.merged) {
      // The merge moved HEAD: remotes that were current are now one merge behind.
      for (const earlier of pushes.slice(0, -1)) {
        if (!earlier.ok) continue;
        const again = await pushOnce(context, earlier.remote, branch);
        if (again.kind === 'ok') {
          earlier.upToDate = earlier.upToDate === true && again.upToDate;
        } else {
          earlier.ok = false;
          earlier.error = again.error;
          delete earlier.upToDate;
        }
      }
    }
  }
  for (const push of pushes) {
    if (push.ok) logger?.info('git: pushed', { remote: push.remote, merged: push.merged === true, up_to_date: push.upToDate === true });
    else logger?.warn('git: push failed', { remote: push.remote, error: push.error });
  }
  return { committed: commit !== undefined, commit, changes, pushes };
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

async function listRemotes(context: GitContext): Promise<Set<string>> {
  const output = await git(context, ['remote']);
  return new Set(output.split('\n').map((line) => line.trim()).filter((line) => line !== ''));
}

/** publishToRemote configures one remote and pushes to it, merging when it moved on; never throws. */
async function publishToRemote(
  context: GitContext,
  remote: GitRemote,
  branch: string,
  configured: Set<string>,
  env: Record<string, string>,
): Promise<PushResult> {
  const name = remote.name;
  try {
    if (!REMOTE_NAME.test(name) || name.endsWith('.lock')) {
      return { remote: context.redact(name), ok: false, error: `invalid remote name ${JSON.stringify(context.redact(name))}` };
    }
    if (remote.url.startsWith('-') || remote.url.trim() === '') {
      return { remote: name, ok: false, error: 'invalid remote url' };
    }
    if (configured.has(name)) {
      await git(context, ['remote', 'set-url', name, remote.url]);
    } else {
      await git(context, ['remote', 'add', name, remote.url]);
      configured.add(name);
    }

    let merged = false;
    for (let attempt = 1; ; attempt += 1) {
      const push = await pushOnce(context, name, branch);
      if (push.kind === 'ok') return merged ? { remote: name, ok: true, merged, upToDate: false } : { remote: name, ok: true, upToDate: push.upToDate };
      if (push.kind === 'failed') return { remote: name, ok: false, error: push.error, ...(merged ? { merged } : {}) };
      if (attempt >= MAX_PUSH_ATTEMPTS) {
        return { remote: name, ok: false, error: `remote kept moving: still rejected after ${attempt} attempts`, ...(merged ? { merged } : {}) };
      }
      const mergeError = await mergeRemote(context, name, branch, env);
      if (mergeError !== undefined) return { remote: name, ok: false, error: mergeError };
      merged = true;
    }
  } catch (error) {
    return { remote: name, ok: false, error: context.redact(errorMessage(error)) };
  }
}

type PushOutcome = { kind: 'ok'; upToDate: boolean } | { kind: 'rejected'; error: string } | { kind: 'failed'; error: string };

/** pushOnce pushes the branch to the remote by name, fast-forward only. */
async function pushOnce(context: GitContext, name: string, branch: string): Promise<PushOutcome> {
  const ref = `refs/heads/${branch}`;
  const output = await runGit(context, ['push', '--porcelain', '--no-verify', name, `${ref}:${ref}`]);
  // --porcelain prints one line per ref: `<flag>\t<from>:<to>\t<summary>`; `=` up to date, `!` rejected.
  const line = output.stdout.split('\n').find((entry) => entry.includes(`\t${ref}:${ref}\t`));
  if (output.code === 0) return { kind: 'ok', upToDate: line?.startsWith('=') ?? false };
  if (line?.startsWith('!') && /\[rejected\].*\((?:fetch first|non-fast-forward)\)/.test(line)) {
    return { kind: 'rejected', error: lastLines(line) };
  }
  if (output.timedOut) return { kind: 'failed', error: `push timed out after ${context.timeoutMs} ms` };
  return { kind: 'failed', error: lastLines([output.stderr, line ?? ''].join('\n')) || `push failed (exit ${output.code})` };
}

/**
 * mergeRemote fetches the remote's branch and merges it into HEAD with a merge commit. Returns an
 * error text (the merge aborted) or undefined on success.
 */
async function mergeRemote(context: GitContext, name: string, branch: string, env: Record<string, string>): Promise<string | undefined> {
  const tracking = `refs/remotes/${name}/${branch}`;
  // The `+` only lets our own remote-tracking ref follow the remote; nothing is forced on the remote.
  const fetchArgs = ['fetch', '--quiet', '--no-tags', name, `+refs/heads/${branch}:${tracking}`];
  const fetched = await runGit(context, fetchArgs);
  if (fetched.code !== 0) return `fetch after rejected push failed: ${commandError(context, fetchArgs, fetched).message}`;

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
    const shown = conflicted.slice(0, 5).join(', ');
    return `merge with ${name}/${branch} conflicts in ${conflicted.length} file(s): ${shown}${conflicted.length > 5 ? ', …' : ''}; merge aborted`;
  }
  return `merge with ${name}/${branch} failed: ${lastLines(text)}`;
}
