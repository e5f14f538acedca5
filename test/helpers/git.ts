import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * TEST_GIT_ENV isolates test git commands from the machine: no global or system config (a user's
 * signing or hooks setting must not change results), fixed identity, English messages.
 */
export const TEST_GIT_ENV: Record<string, string> = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test Clone',
  GIT_AUTHOR_EMAIL: 'clone@example.test',
  GIT_COMMITTER_NAME: 'Test Clone',
  GIT_COMMITTER_EMAIL: 'clone@example.test',
  GIT_TERMINAL_PROMPT: '0',
  LC_ALL: 'C',
};

/**
 * testGitEnv is process.env with TEST_GIT_ENV applied and the variables that would point git at
 * another repository removed (tests run from a git hook inherit GIT_DIR / GIT_INDEX_FILE).
 */
export function testGitEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    ...process.env,
    GIT_DIR: undefined,
    GIT_WORK_TREE: undefined,
    GIT_INDEX_FILE: undefined,
    GIT_OBJECT_DIRECTORY: undefined,
    GIT_COMMON_DIR: undefined,
    ...TEST_GIT_ENV,
    ...extra,
  };
}

/** gitSync runs git for test setup and inspection (argument array, isolated config) and returns trimmed stdout. */
export function gitSync(cwd: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    env: testGitEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** TempDirs hands out temporary folders and removes them all at cleanup. */
export interface TempDirs {
  make(prefix?: string): string;
  cleanup(): void;
}

/** createTempDirs makes a TempDirs; call `cleanup` in an `after` hook. */
export function createTempDirs(): TempDirs {
  const made: string[] = [];
  return {
    make(prefix = 'newsmirror-git-') {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    cleanup() {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** writeFiles writes a map of relative path → content below `root`, creating folders. */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

/** createBareRemote makes an empty bare repository (a stand-in for a hosted remote) and returns its path. */
export function createBareRemote(dirs: TempDirs): string {
  const dir = dirs.make('newsmirror-remote-');
  gitSync(dir, ['init', '--quiet', '--bare', '-b', 'main']);
  return dir;
}

/** cloneRepo clones `url` into a fresh temp folder (another machine pushing to the same remote). */
export function cloneRepo(dirs: TempDirs, url: string): string {
  const dir = join(dirs.make('newsmirror-clone-'), 'clone');
  gitSync(dirname(dir), ['clone', '--quiet', url, dir]);
  return dir;
}

/** commitFiles writes files in a work tree, commits them with the test identity and returns the new HEAD. */
export function commitFiles(repo: string, files: Record<string, string>, message = 'test commit'): string {
  writeFiles(repo, files);
  gitSync(repo, ['add', '--all']);
  gitSync(repo, ['commit', '--quiet', '-m', message]);
  return gitSync(repo, ['rev-parse', 'HEAD']);
}

/** remoteHead returns the commit a bare remote's branch points at, or undefined when it has none. */
export function remoteHead(remote: string, branch = 'main'): string | undefined {
  try {
    return gitSync(remote, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]);
  } catch {
    return undefined;
  }
}

/** filesAt lists the files of a commit-ish in a repository (bare or not), sorted. */
export function filesAt(repo: string, rev: string): string[] {
  return gitSync(repo, ['ls-tree', '-r', '--name-only', rev]).split('\n').filter(Boolean).sort();
}

/** closedPort returns a 127.0.0.1 port that was just free, so connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
