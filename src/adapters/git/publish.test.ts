import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { Logger } from '../../core/ports.js';
import { isNewsmirrorError } from '../../core/errors.js';
import {
  TEST_GIT_ENV,
  cloneRepo,
  closedPort,
  commitFiles,
  createBareRemote,
  createTempDirs,
  filesAt,
  gitSync,
  remoteHead,
  testGitEnv,
  writeFiles,
} from '../../../test/helpers/git.js';
import { createGitContext } from './repo.js';
import { buildGitEnv, git } from './run.js';
import { createRedactor, ensureRepo, hasChanges, parseStatusZ, publishArchive, summarizeChanges, type PublishOptions } from './index.js';

const dirs = createTempDirs();
after(() => dirs.cleanup());

/** Isolate the adapter's git from the machine's global config, as TEST_GIT_ENV does for setup. */
const ENV = { GIT_CONFIG_GLOBAL: TEST_GIT_ENV.GIT_CONFIG_GLOBAL, GIT_CONFIG_NOSYSTEM: '1' };
const AUTHOR = { name: 'Newsmirror Bot', email: 'bot@newsmirror.test' };

function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  return { logger: { info: log('info'), warn: log('warn'), error: log('error') }, lines };
}

function options(dir: string, remotes: PublishOptions['remotes'], extra: Partial<PublishOptions> = {}): PublishOptions {
  return { dir, remotes, author: AUTHOR, message: 'sync: test', env: ENV, ...extra };
}

/** newArchive returns a fresh archive folder (not yet a repository) holding some article files. */
function newArchive(files: Record<string, string> = { 'articles/bbc/2026/11/27/0830-aaaa.md': '<!--1-->\n' }): string {
  const dir = join(dirs.make('newsmirror-archive-'), 'archive');
  writeFiles(dir, files);
  return dir;
}

describe('publishArchive', () => {
  it('GP-01 initialises a plain folder, commits once with the given author and pushes', async () => {
    const archive = newArchive();
    const remote = createBareRemote(dirs);
    const result = await publishArchive(options(archive, [{ name: 'origin', url: remote }]));

    assert.equal(result.committed, true);
    assert.match(result.commit ?? '', /^[0-9a-f]{40}$/);
    assert.deepEqual(result.pushes, [{ remote: 'origin', ok: true, upToDate: false }]);
    assert.equal(remoteHead(remote), result.commit);
    assert.deepEqual(filesAt(remote, 'main'), ['articles/bbc/2026/11/27/0830-aaaa.md']);
    assert.equal(gitSync(archive, ['log', '-1', '--format=%an <%ae> / %cn <%ce> / %s']), 'Newsmirror Bot <bot@newsmirror.test> / Newsmirror Bot <bot@newsmirror.test> / sync: test');
    assert.equal(gitSync(archive, ['rev-list', '--count', 'HEAD']), '1');
    assert.equal(gitSync(archive, ['config', 'gc.auto']), '0');
    assert.equal(gitSync(archive, ['config', 'maintenance.auto']), 'false');
  });

  it('GP-02 a publish with nothing new makes no commit and leaves the remote as it was', async () => {
    const archive = newArchive();
    const remote = createBareRemote(dirs);
    const first = await publishArchive(options(archive, [{ name: 'origin', url: remote }]));
    const { logger, lines } = captureLogger();
    const second = await publishArchive(options(archive, [{ name: 'origin', url: remote }], { logger }));

    assert.equal(second.committed, false);
    assert.equal(second.commit, undefined);
    assert.deepEqual(second.changes, { added: [], modified: [], deleted: [] });
    assert.deepEqual(second.pushes, [{ remote: 'origin', ok: true, upToDate: true }]);
    assert.equal(gitSync(archive, ['rev-list', '--count', 'HEAD']), '1');
    assert.equal(remoteHead(remote), first.commit);
    assert.ok(lines.some((line) => line.includes('nothing to commit')));
  });

  it('GP-03 an unreachable remote is reported, the other still gets the commit, and it catches up later', async () => {
    const archive = newArchive();
    const good = createBareRemote(dirs);
    const missing = join(dirs.make(), 'not-yet-created.git');
    const remotes = [
      { name: 'down', url: missing },
      { name: 'up', url: good },
    ];
    const result = await publishArchive(options(archive, remotes));

    assert.equal(result.committed, true);
    assert.equal(result.pushes[0]?.remote, 'down');
    assert.equal(result.pushes[0]?.ok, false);
    assert.match(result.pushes[0]?.error ?? '', /does not appear to be a git repository|Could not read from remote/);
    assert.deepEqual(result.pushes[1], { remote: 'up', ok: true, upToDate: false });
    assert.equal(remoteHead(good), result.commit);

    // The host comes back: the next publish has nothing new but still brings it up to date.
    mkdirSync(missing);
    gitSync(missing, ['init', '--quiet', '--bare', '-b', 'main']);
    const retry = await publishArchive(options(archive, remotes));
    assert.equal(retry.committed, false);
    assert.deepEqual(retry.pushes.map((push) => [push.remote, push.ok, push.upToDate]), [
      ['down', true, false],
      ['up', true, true],
    ]);
    assert.equal(remoteHead(missing), result.commit);
  });

  it('GP-04 a remote that moved on is fetched and merged (no force), then pushed', async () => {
    const archive = newArchive();
    const remote = createBareRemote(dirs);
    await publishArchive(options(archive, [{ name: 'origin', url: remote }]));

    // Another machine pushes a different article in the meantime.
    const other = cloneRepo(dirs, remote);
    const theirs = commitFiles(other, { 'articles/voa/2026/11/27/0900-bbbb.md': 'theirs\n' });
    gitSync(other, ['push', '--quiet', 'origin', 'main']);

    writeFiles(archive, { 'articles/bbc/2026/11/27/0930-cccc.md': 'ours\n' });
    const result = await publishArchive(options(archive, [{ name: 'origin', url: remote }]));

    assert.equal(result.committed, true);
    assert.deepEqual(result.pushes, [{ remote: 'origin', ok: true, merged: true, upToDate: false }]);
    const head = remoteHead(remote) ?? '';
    // Both commits are in the remote's history: nothing was overwritten.
    assert.equal(spawnSync('git', ['merge-base', '--is-ancestor', theirs, head], { cwd: remote, env: testGitEnv() }).status, 0);
    assert.equal(spawnSync('git', ['merge-base', '--is-ancestor', result.commit ?? '', head], { cwd: remote, env: testGitEnv() }).status, 0);
    assert.deepEqual(filesAt(remote, 'main'), [
      'articles/bbc/2026/11/27/0830-aaaa.md',
      'articles/bbc/2026/11/27/0930-cccc.md',
      'articles/voa/2026/11/27/0900-bbbb.md',
    ]);
    assert.equal(gitSync(remote, ['log', '-1', '--format=%P', 'main']).split(' ').length, 2, 'a merge commit keeps both parents');
    assert.ok(existsSync(join(archive, 'articles/voa/2026/11/27/0900-bbbb.md')), 'the archive now has their file too');
  });

  it('GP-05 a merge conflict is aborted and that remote reported failed; the others still get the push', async () => {
    const archive = newArchive();
    const contested = createBareRemote(dirs);
    const healthy = createBareRemote(dirs);
    const remotes = [
      { name: 'contested', url: contested },
      { name: 'healthy', url: healthy },
    ];
    await publishArchive(options(archive, remotes));

    const other = cloneRepo(dirs, contested);
    const theirs = commitFiles(other, { 'lists/bbc.md': 'their list\n' });
    gitSync(other, ['push', '--quiet', 'origin', 'main']);

    writeFiles(archive, { 'lists/bbc.md': 'our list\n' });
    const result = await publishArchive(options(archive, remotes));

    assert.equal(result.pushes[0]?.ok, false);
    assert.match(result.pushes[0]?.error ?? '', /conflicts in 1 file\(s\): lists\/bbc\.md; merge aborted/);
    assert.equal(remoteHead(contested), theirs, 'the contested remote is untouched');
    assert.equal(result.pushes[1]?.ok, true);
    assert.equal(remoteHead(healthy), result.commit);
    assert.equal(existsSync(join(archive, '.git', 'MERGE_HEAD')), false);
    assert.equal(gitSync(archive, ['status', '--porcelain']), '', 'the work tree is clean after the abort');
  });

  it('GP-06 a remote pushed to before another one needed a merge also receives the merge', async () => {
    const archive = newArchive();
    const first = createBareRemote(dirs);
    const second = createBareRemote(dirs);
    const remotes = [
      { name: 'first', url: first },
      { name: 'second', url: second },
    ];
    await publishArchive(options(archive, remotes));
    const other = cloneRepo(dirs, second);
    commitFiles(other, { 'articles/dw/x.md': 'x\n' });
    gitSync(other, ['push', '--quiet', 'origin', 'main']);

    writeFiles(archive, { 'articles/bbc/y.md': 'y\n' });
    const result = await publishArchive(options(archive, remotes));
    assert.deepEqual(result.pushes.map((push) => [push.remote, push.ok, push.merged]), [
      ['first', true, undefined],
      ['second', true, true],
    ]);
    assert.equal(remoteHead(first), remoteHead(second));
    assert.equal(remoteHead(first), gitSync(archive, ['rev-parse', 'HEAD']));
  });

  it('GP-07 a remote with an unrelated history is not merged and is reported', async () => {
    const archive = newArchive();
    const remote = createBareRemote(dirs);
    const stranger = join(dirs.make(), 'stranger');
    mkdirSync(stranger);
    gitSync(stranger, ['init', '--quiet', '-b', 'main']);
    const theirs = commitFiles(stranger, { 'README.md': 'created by the host\n' });
    gitSync(stranger, ['push', '--quiet', remote, 'main']);

    // The archive already has its own history, so the remote's cannot be adopted.
    await publishArchive(options(archive, []));
    const result = await publishArchive(options(archive, [{ name: 'origin', url: remote }]));
    assert.equal(result.pushes[0]?.ok, false);
    assert.match(result.pushes[0]?.error ?? '', /unrelated history/);
    assert.equal(remoteHead(remote), theirs);
  });

  it('GP-08 credentials in URLs and GIT_SSH_COMMAND never reach results, errors or logs', async (t) => {
    // A path containing the URL's user name is data, not a secret, and must come back intact.
    const archive = newArchive({ 'articles/oauth2-user-guide.md': 'x\n' });
    const good = createBareRemote(dirs);
    const port = await closedPort();
    const server = await startAuthServer();
    t.after(() => server.close());
    const address = server.address();
    const authPort = typeof address === 'object' && address ? address.port : 0;
    const sshCommand = 'ssh -i /keys/SECRETKEYPATH/id_ed25519 -o BatchMode=yes -o ConnectTimeout=5';
    const remotes = [
      { name: 'closed', url: `http://user:SECRETTOKEN@127.0.0.1:${port}/archive.git` },
      { name: 'denied', url: `http://oauth2:SECRETTOKEN@127.0.0.1:${authPort}/archive.git` },
      { name: 'ssh', url: `ssh://git@127.0.0.1:${port}/archive.git` },
      { name: 'up', url: good },
    ];
    const { logger, lines } = captureLogger();
    const result = await publishArchive(options(archive, remotes, { logger, env: { ...ENV, GIT_SSH_COMMAND: sshCommand } }));

    assert.deepEqual(result.pushes.map((push) => [push.remote, push.ok]), [
      ['closed', false],
      ['denied', false],
      ['ssh', false],
      ['up', true],
    ]);
    assert.deepEqual(result.changes.added, ['articles/oauth2-user-guide.md']);
    // Each failure keeps its real cause, with the credential blanked.
    assert.match(result.pushes[0]?.error ?? '', /Failed to connect|Couldn't connect/);
    assert.match(result.pushes[1]?.error ?? '', /Authentication failed/);
    assert.match(result.pushes[2]?.error ?? '', /Connection refused/);
    assert.match(result.pushes[2]?.error ?? '', /Identity file \*\*\* not accessible/);
    const everything = [inspect(result, { depth: 10 }), JSON.stringify(result), ...lines].join('\n');
    assert.doesNotMatch(everything, /SECRETTOKEN|SECRETKEYPATH/);
    assert.ok(lines.length >= 5, 'the pushes were logged');

    // The probe is meaningful: raw ssh does print the key path, so it had to be removed.
    const raw = spawnSync('git', ['push', 'ssh', 'main'], { cwd: archive, env: testGitEnv({ GIT_SSH_COMMAND: sshCommand }), encoding: 'utf8' });
    assert.match(raw.stderr, /SECRETKEYPATH/);
  });

  it('GP-09 a thrown error carries no credential either', async () => {
    const archive = newArchive();
    await publishArchive(options(archive, []));
    // A repository on another branch with history makes publish throw from the local side.
    gitSync(archive, ['checkout', '--quiet', '-b', 'other']);
    const error = await publishArchive(
      options(archive, [{ name: 'x', url: 'https://user:SECRETTOKEN@example.invalid/x.git' }], {
        env: { ...ENV, GIT_SSH_COMMAND: 'ssh -i /keys/SECRETKEYPATH' },
      }),
    ).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    assert.ok(isNewsmirrorError(error));
    assert.equal(error.code, 'git');
    assert.match(error.message, /expected refs\/heads\/main/);
    assert.doesNotMatch(inspect(error, { depth: 10 }), /SECRETTOKEN|SECRETKEYPATH/);
  });

  it('GP-10 the message can be built from the changes being committed', async () => {
    const archive = newArchive({ 'articles/a.md': 'a\n', 'articles/b.md': 'b\n' });
    await publishArchive(options(archive, []));
    writeFiles(archive, { 'articles/a.md': 'a, edited\n', 'articles/c.md': 'c\n' });
    const result = await publishArchive(
      options(archive, [], {
        message: (changes) => `sync: ${changes.added.length} new, ${changes.modified.length} edited\n\n${[...changes.added, ...changes.modified].join('\n')}`,
      }),
    );
    assert.deepEqual(result.changes, { added: ['articles/c.md'], modified: ['articles/a.md'], deleted: [] });
    assert.equal(gitSync(archive, ['log', '-1', '--format=%B']), 'sync: 1 new, 1 edited\n\narticles/c.md\narticles/a.md');
  });

  it('GP-16 local-only files named in exclude are never committed', async () => {
    const archive = newArchive({ 'articles/a.md': 'a\n', '.newsmirror.lock': '123\n', 'tmp/x.tmp': 'partial' });
    const result = await publishArchive(options(archive, [], { exclude: ['/.newsmirror.lock', '*.tmp'] }));
    assert.deepEqual(result.changes.added, ['articles/a.md']);
    assert.deepEqual(filesAt(archive, 'HEAD'), ['articles/a.md']);
  });

  it('GP-11 stale lock files (index, config, branch ref) from a killed run are removed and the publish goes on', async () => {
    const archive = newArchive();
    await publishArchive(options(archive, []));
    writeFiles(archive, { 'articles/new.md': 'new\n' });
    const hourAgo = new Date(Date.now() - 3_600_000);
    const locks = ['index.lock', 'config.lock', 'refs/heads/main.lock'].map((name) => join(archive, '.git', name));
    for (const lock of locks) {
      writeFileSync(lock, '');
      utimesSync(lock, hourAgo, hourAgo);
    }
    const { logger, lines } = captureLogger();

    const result = await publishArchive(options(archive, [], { logger }));
    assert.equal(result.committed, true);
    for (const lock of locks) assert.equal(existsSync(lock), false);
    assert.ok(lines.some((line) => line.includes('removed stale lock file') && line.includes('.git/index.lock')));
    assert.ok(lines.some((line) => line.includes('.git/refs/heads/main.lock')));
  });

  it('GP-12 a fresh lock, or one held by a live git process, is reported as locked and left alone', async (t) => {
    const archive = newArchive();
    await publishArchive(options(archive, []));
    const lock = join(archive, '.git', 'index.lock');
    writeFileSync(lock, '');

    const fresh = await ensureRepo(archive, 'main', { env: ENV, staleLockMs: 10 * 60_000 }).catch((error: unknown) => error);
    assert.ok(isNewsmirrorError(fresh));
    assert.equal(fresh.code, 'locked');
    assert.ok(existsSync(lock));

    // An old lock while a git process works in the repository is still not broken.
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(lock, hourAgo, hourAgo);
    const holder = spawn('git', ['cat-file', '--batch'], { cwd: archive, env: testGitEnv(), stdio: ['pipe', 'ignore', 'ignore'] });
    t.after(() => holder.kill());
    await waitForProcessCwd(holder.pid ?? 0);
    const live = await ensureRepo(archive, 'main', { env: ENV }).catch((error: unknown) => error);
    assert.ok(isNewsmirrorError(live));
    assert.equal(live.code, 'locked');
    assert.match(live.message, new RegExp(`git process ${holder.pid}`));
    assert.ok(existsSync(lock));
  });

  it('GP-13 an interrupted merge left by a killed run is aborted before committing', async () => {
    const archive = newArchive({ 'lists/x.md': 'base\n' });
    await publishArchive(options(archive, []));
    gitSync(archive, ['checkout', '--quiet', '-b', 'side']);
    commitFiles(archive, { 'lists/x.md': 'side\n' });
    gitSync(archive, ['checkout', '--quiet', 'main']);
    commitFiles(archive, { 'lists/x.md': 'main\n' });
    spawnSync('git', ['merge', 'side'], { cwd: archive, env: testGitEnv() });
    assert.ok(existsSync(join(archive, '.git', 'MERGE_HEAD')), 'setup left a conflicted merge');

    const state = await ensureRepo(archive, 'main', { env: ENV });
    assert.equal(state.abortedMerge, true);
    assert.equal(existsSync(join(archive, '.git', 'MERGE_HEAD')), false);
    assert.equal(gitSync(archive, ['status', '--porcelain']), '');
  });

  it('GP-14 a new archive folder takes over the history its remote already has, so pushes fast-forward', async () => {
    const remote = createBareRemote(dirs);
    const seed = cloneRepo(dirs, remote);
    const old = commitFiles(seed, { 'articles/old.md': 'from last year\n', 'README.md': 'old readme\n' });
    gitSync(seed, ['push', '--quiet', 'origin', 'main']);

    const archive = newArchive({ 'articles/new.md': 'new\n', 'README.md': 'new readme\n' });
    const result = await publishArchive(options(archive, [{ name: 'origin', url: remote }]));

    assert.deepEqual(result.pushes, [{ remote: 'origin', ok: true, upToDate: false }]);
    assert.deepEqual(result.changes, { added: ['articles/new.md'], modified: ['README.md'], deleted: [] });
    assert.equal(gitSync(remote, ['rev-parse', 'main~1']), old, 'our commit sits on top of the remote history');
    assert.deepEqual(filesAt(remote, 'main'), ['README.md', 'articles/new.md', 'articles/old.md']);
    assert.equal(gitSync(remote, ['show', 'main:README.md']), 'new readme', 'the archive\'s own file wins');
    assert.ok(existsSync(join(archive, 'articles/old.md')), 'files only the remote had are restored');
  });

  it('GP-15 a remote that hangs is cut off by the per-command timeout and the others still get the push', async (t) => {
    const sockets = new Set<Socket>();
    const silent = createNetServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      for (const socket of sockets) socket.destroy();
      silent.close();
    });
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const archive = newArchive();
    const good = createBareRemote(dirs);
    const result = await publishArchive(
      options(
        archive,
        [
          { name: 'hung', url: `http://127.0.0.1:${port}/archive.git` },
          { name: 'up', url: good },
        ],
        { networkTimeoutMs: 1500 },
      ),
    );
    assert.deepEqual(result.pushes[0], { remote: 'hung', ok: false, error: 'push timed out after 1500 ms' });
    assert.equal(result.pushes[1]?.ok, true);
    assert.equal(remoteHead(good), result.commit);
  });
});

describe('git helpers', () => {
  it('GH-01 ensureRepo makes a folder inside another repository its own repository', async () => {
    const outer = dirs.make();
    gitSync(outer, ['init', '--quiet', '-b', 'main']);
    const inner = join(outer, 'archive');
    const state = await ensureRepo(inner, 'main', { env: ENV });
    assert.equal(state.created, true);
    assert.equal(gitSync(inner, ['rev-parse', '--show-toplevel']), realpathSync(inner));
    assert.ok(existsSync(join(inner, '.git')));
    const again = await ensureRepo(inner, 'main', { env: ENV });
    assert.equal(again.created, false);
  });

  it('GH-02 summarizeChanges and hasChanges see new, edited and deleted files, each untracked file listed', async () => {
    const archive = newArchive({ 'a.md': 'a\n', 'b.md': 'b\n' });
    await publishArchive(options(archive, []));
    assert.equal(await hasChanges(archive, { env: ENV }), false);
    writeFiles(archive, { 'a.md': 'a2\n', 'deep/new/c.md': 'c\n', 'd 中文.md': 'd\n' });
    gitSync(archive, ['rm', '--quiet', 'b.md']);
    assert.equal(await hasChanges(archive, { env: ENV }), true);
    assert.deepEqual(await summarizeChanges(archive, { env: ENV }), {
      added: ['d 中文.md', 'deep/new/c.md'],
      modified: ['a.md'],
      deleted: ['b.md'],
    });
  });

  it('GH-03 parseStatusZ reads index and work-tree codes', () => {
    const output = ['?? new.md', 'A  staged.md', 'AM staged-then-edited.md', 'AD added-then-removed.md', ' M edited.md', 'M  staged-edit.md', ' D gone.md', 'D  removed.md', 'UU conflict.md', '!! ignored.md', ''].join('\0');
    assert.deepEqual(parseStatusZ(output), {
      added: ['new.md', 'staged-then-edited.md', 'staged.md'],
      modified: ['conflict.md', 'edited.md', 'staged-edit.md'],
      deleted: ['gone.md', 'removed.md'],
    });
  });

  it('GH-04 a failed git command names the command with its credentials removed', async () => {
    const notARepo = dirs.make();
    const context = createGitContext(notARepo, { env: ENV }, ['https://user:SECRETTOKEN@host.example/x.git']);
    const error = await git(context, ['remote', 'add', 'x', 'https://user:SECRETTOKEN@host.example/x.git']).catch((thrown: unknown) => thrown);
    assert.ok(isNewsmirrorError(error));
    assert.match(error.message, /git remote add x https:\/\/\*\*\*@host\.example\/x\.git: exit 128: fatal: not a git repository/);
    assert.doesNotMatch(inspect(error, { depth: 10 }), /SECRETTOKEN/);
  });

  it('GH-06 variables inherited from a git hook cannot redirect git to another repository', () => {
    const env = buildGitEnv(
      { PATH: '/usr/bin', GIT_DIR: '/elsewhere/.git', GIT_INDEX_FILE: '/elsewhere/.git/index', GIT_WORK_TREE: '/elsewhere', GIT_TERMINAL_PROMPT: '1' },
      { GIT_SSH_COMMAND: 'ssh -i key', HOME: undefined },
    );
    assert.deepEqual(env, {
      PATH: '/usr/bin',
      GIT_SSH_COMMAND: 'ssh -i key',
      GIT_TERMINAL_PROMPT: '0',
      GCM_INTERACTIVE: 'never',
      LC_ALL: 'C',
      LANGUAGE: 'C',
    });
  });

  it('GH-05 the redactor removes URL user info, decoded tokens and ssh key paths', () => {
    const redact = createRedactor(['https://bot:SECRET%2FTOKEN@git.example/x.git', 'git@github.com:a/b.git'], {
      GIT_SSH_COMMAND: 'ssh -i "/keys/me/SECRET key" -o IdentityFile=/keys/OTHERSECRET -oUserKnownHostsFile=/keys/HOSTSECRET',
    });
    const text = [
      "fatal: unable to access 'https://bot:SECRET%2FTOKEN@git.example/x.git/': 403",
      'remote: token SECRET/TOKEN rejected',
      'Warning: Identity file /keys/me/SECRET key not accessible',
      'no such identity: /keys/OTHERSECRET; hosts /keys/HOSTSECRET',
      'git@github.com: Permission denied',
    ].join('\n');
    const clean = redact(text);
    assert.doesNotMatch(clean, /SECRET/);
    assert.match(clean, /git@github\.com: Permission denied/, 'ordinary ssh user names are kept');
  });
});

/** startAuthServer answers every request 401, like a host that revoked the token. */
async function startAuthServer(): Promise<Server> {
  const server = createServer((_request, response) => {
    response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
    response.end('denied');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** waitForProcessCwd waits until /proc shows the spawned git process (it is there within milliseconds). */
async function waitForProcessCwd(pid: number): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (existsSync(`/proc/${pid}/cwd`)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

before(() => {
  assert.equal(spawnSync('git', ['--version']).status, 0, 'git must be installed for these tests');
});
