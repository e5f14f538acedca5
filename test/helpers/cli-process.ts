/**
 * The built CLI (`bin/newsmirror.js`, so `dist/`: run `npm run build` first) as a real process, for
 * the end-to-end tests of roles that run side by side and are killed mid-run.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { testGitEnv } from './git.js';

const REPO = join(import.meta.dirname, '..', '..');

/** CliProcess is a running CLI process and the lines it printed so far. */
export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  stderr: string;
  exited: Promise<number | null>;
}

/** startCli starts `newsmirror ARGS…` with the test git environment and `env` added. */
export function startCli(args: string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, [join(REPO, 'bin/newsmirror.js'), ...args], { cwd: REPO, env: testGitEnv(env) });
  const proc: CliProcess = { child, lines: [], stderr: '', exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    proc.lines.push(...parts);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (proc.stderr += chunk));
  return proc;
}

/** waitFor polls until `ready` holds (progress of a process), failing when the process exits first. */
export async function waitFor(proc: CliProcess, ready: () => boolean, what: string): Promise<void> {
  let exited = false;
  void proc.exited.then(() => (exited = true));
  while (!ready()) {
    if (exited) assert.fail(`${what}: the process exited first\n${proc.lines.join('\n')}\n${proc.stderr}`);
    await sleep(20);
  }
}

/** finished waits for the process to exit and fails unless it exited 0. */
export async function finished(proc: CliProcess, what: string): Promise<void> {
  const code = await proc.exited;
  assert.equal(code, 0, `${what} exited ${code}\n${proc.lines.join('\n')}\n${proc.stderr}`);
}
