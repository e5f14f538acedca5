import { spawn } from 'node:child_process';
import { NewsmirrorError } from '../../core/errors.js';
import type { Redactor } from './redact.js';

/** DEFAULT_GIT_TIMEOUT_MS bounds every local git command (add, commit, merge…). */
export const DEFAULT_GIT_TIMEOUT_MS = 120_000;
/**
 * DEFAULT_NETWORK_TIMEOUT_MS bounds a push or fetch: long enough for the first push of a large
 * archive over a slow link, short enough that a hung host (or an ssh prompt) cannot stall
 * publishing for good. Stalled HTTP transfers are cut sooner by NETWORK_CONFIG_ARGS.
 */
export const DEFAULT_NETWORK_TIMEOUT_MS = 600_000;

/** NETWORK_CONFIG_ARGS abort an HTTP transfer that moves under 1 kB/s for a minute. */
export const NETWORK_CONFIG_ARGS = ['-c', 'http.lowSpeedLimit=1000', '-c', 'http.lowSpeedTime=60'];

/**
 * GIT_CONFIG_ARGS are passed to every command so that the user's global configuration cannot make an
 * unattended run hang or fail: no commit signing (would prompt for a passphrase or need an agent),
 * no automatic gc or maintenance in the middle of a publish, no pager, archive bytes committed as
 * written (no autocrlf), and no hooks from a global core.hooksPath.
 */
export const GIT_CONFIG_ARGS = [
  ...['-c', 'commit.gpgSign=false', '-c', 'gc.auto=0', '-c', 'maintenance.auto=false', '-c', 'core.pager=cat'],
  ...['-c', 'core.autocrlf=false', '-c', 'core.hooksPath=/dev/null'],
];

/**
 * REPOSITORY_ENV are variables that point git at another repository. Inherited from a parent (a
 * git hook running `npm test`, a shell inside another work tree) they would make every command act
 * on that repository instead of the archive, so they are dropped from the inherited environment.
 */
const REPOSITORY_ENV = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
];

/** GitContext is how commands of one publish are run: where, with which environment, how long, redacted how. */
export interface GitContext {
  dir: string;
  env: Record<string, string>;
  timeoutMs: number;
  networkTimeoutMs: number;
  redact: Redactor;
}

/** GitOutput is a finished git command; `code` is the exit code (-1 when killed or not started). */
export interface GitOutput {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * buildGitEnv merges the caller's environment over the process environment (an `undefined` value
 * removes a variable; REPOSITORY_ENV is never inherited) and forces what unattended git needs: no terminal prompts (a missing
 * credential fails instead of waiting forever), no Git Credential Manager dialogs, and English
 * messages, which the adapter reads to tell a rejected push from an unreachable remote.
 */
export function buildGitEnv(
  base: Record<string, string | undefined>,
  overrides: Record<string, string | undefined> = {},
): Record<string, string> {
  const inherited: Record<string, string | undefined> = { ...base };
  for (const key of REPOSITORY_ENV) delete inherited[key];
  const merged: Record<string, string | undefined> = { ...inherited, ...overrides };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(merged)) {
    if (value !== undefined) env[key] = value;
  }
  env.GIT_TERMINAL_PROMPT = '0';
  env.GCM_INTERACTIVE = 'never';
  env.LC_ALL = 'C';
  env.LANGUAGE = 'C';
  return env;
}

/** RunOptions are per-command additions: text for stdin, extra environment, a network command's timeout. */
export interface RunOptions {
  input?: string;
  env?: Record<string, string>;
  /** Marks a push or fetch: the network timeout and NETWORK_CONFIG_ARGS apply. */
  network?: boolean;
}

/** timeoutOf is the time limit of one command. */
export function timeoutOf(context: GitContext, options: RunOptions = {}): number {
  return options.network ? context.networkTimeoutMs : context.timeoutMs;
}

/**
 * runGit runs `git <args>` in the context's directory with an argument array (never a shell) and
 * resolves with its exit code and raw output. It rejects only when git cannot be started.
 *
 * The output is NOT redacted: it is data (paths, hashes), and blanking a secret that happens to
 * occur in a file name would corrupt it. Whatever reaches a message goes through `context.redact`
 * (commandError, failureText).
 *
 * git runs in its own process group so that a timeout kills its helpers too (git-remote-https,
 * ssh), which would otherwise linger holding the connection.
 */
export function runGit(context: GitContext, args: readonly string[], options: RunOptions = {}): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const child = spawn('git', [...GIT_CONFIG_ARGS, ...(options.network ? NETWORK_CONFIG_ARGS : []), ...args], {
      cwd: context.dir,
      env: { ...context.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
      detached: true,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutOf(context, options));
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      // ENOENT and the like: git itself is missing. The raw error names the command line, so it
      // is not kept as the cause.
      reject(new NewsmirrorError('git', 'git', `cannot run git: ${error.code ?? 'spawn failed'}`, { hint: 'install git and put it on PATH' }));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        timedOut,
      });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is already gone: the command finished as the timer fired.
  }
}

/**
 * git runs a command that must succeed and returns its stdout; otherwise it throws a
 * NewsmirrorError('git', 'git') naming the command (redacted) and git's last words.
 */
export async function git(context: GitContext, args: readonly string[], options: RunOptions = {}): Promise<string> {
  const output = await runGit(context, args, options);
  if (output.code !== 0) throw commandError(context, args, output, options);
  return output.stdout;
}

/** commandError describes a failed command without any credential: arguments and output are redacted. */
export function commandError(context: GitContext, args: readonly string[], output: GitOutput, options: RunOptions = {}): NewsmirrorError {
  const what = context.redact(`git ${args.join(' ')}`);
  const why = output.timedOut ? `timed out after ${timeoutOf(context, options)} ms` : `exit ${output.code}`;
  const detail = failureText(context, output.stderr || output.stdout);
  return new NewsmirrorError('git', 'git', `${what}: ${why}${detail ? `: ${detail}` : ''}`);
}

/**
 * BOILERPLATE is git's advice after every failed ssh transport; it would push the real cause
 * (`ssh: connect to host … Connection refused`) out of the kept lines.
 */
const BOILERPLATE = /^(?:hint:|Please make sure you have the correct access rights|and the repository exists\.)/;

/** failureText keeps the meaningful tail of git's output on one line (hints, boilerplate and blank lines dropped), redacted. */
export function failureText(context: GitContext, text: string, count = 3): string {
  return context.redact(text)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !BOILERPLATE.test(line))
    .slice(-count)
    .join(' | ');
}
