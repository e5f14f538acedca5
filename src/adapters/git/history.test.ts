import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildHistory } from '../../../test/helpers/dutymachine.js';
import { createTempDirs, testGitEnv } from '../../../test/helpers/git.js';
import type { HistoryCommit } from '../../core/import/index.js';
import { openGitHistory } from './history.js';

const temp = createTempDirs();
after(() => temp.cleanup());

const T0 = Date.UTC(2020, 5, 28, 12);
const HOUR = 3_600_000;

async function walk(dir: string, accept?: (path: string) => boolean): Promise<HistoryCommit[]> {
  const history = openGitHistory(dir, accept ? { accept, env: testGitEnv() } : { env: testGitEnv() });
  const commits: HistoryCommit[] = [];
  try {
    for await (const commit of history.commits()) commits.push(commit);
  } finally {
    await history.close();
  }
  return commits;
}

/**
 * mergeBranch writes `side` on a branch `side` (an hour after T0) and `main` on master (two hours
 * after), then merges the branch into master (three hours after).
 */
function mergeBranch(dir: string, side: Record<string, string>, main: Record<string, string>): void {
  const git = (args: string[], time: number): void => {
    const date = `${time / 1000} +0000`;
    execFileSync('git', args, { cwd: dir, env: testGitEnv({ GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }), stdio: 'pipe' });
  };
  const write = (files: Record<string, string>): void => {
    for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
    git(['add', '-A'], T0);
  };
  git(['checkout', '-q', '-b', 'side'], T0);
  write(side);
  git(['commit', '-qm', 'side'], T0 + HOUR);
  git(['checkout', '-q', 'master'], T0);
  write(main);
  git(['commit', '-qm', 'main'], T0 + 2 * HOUR);
  git(['merge', '-q', '--no-edit', 'side'], T0 + 3 * HOUR);
}

function texts(commit: HistoryCommit): Record<string, string> {
  return Object.fromEntries(commit.files.map((file) => [file.path, Buffer.from(file.bytes).toString('utf8')]));
}

describe('openGitHistory', () => {
  it('GH01 yields every version of every file under the folder, oldest first, deletions included', async () => {
    const dir = temp.make();
    const odd = 'articles/德国之声/1_标题\n\n.md';
    buildHistory(dir, [
      { time: T0, files: { 'articles/法广/1_a.md': 'one\r\n', 'lists/法广.md': 'list', 'README.md': 'x' } },
      { time: T0 + HOUR, files: { 'articles/法广/1_a.md': 'two', [odd]: 'odd', 'articles/法广/img.png': 'png' } },
      { time: T0 + 2 * HOUR, files: { 'lists/法广.md': 'list 2' } },
      { time: T0 + 3 * HOUR, files: { 'articles/法广/1_a.md': null } },
    ]);
    const commits = await walk(dir, (path) => path.endsWith('.md'));
    assert.equal(commits.length, 3, 'the commit touching only lists/ is not walked');
    assert.deepEqual(commits.map((commit) => commit.time), [T0, T0 + HOUR, T0 + 3 * HOUR]);
    assert.deepEqual(texts(commits[0]!), { 'articles/法广/1_a.md': 'one\r\n' });
    assert.deepEqual(texts(commits[1]!), { 'articles/法广/1_a.md': 'two', [odd]: 'odd' });
    assert.deepEqual(commits[2]!.files, []);
    assert.deepEqual(commits[2]!.deleted, ['articles/法广/1_a.md']);
    assert.match(commits[0]!.commit, /^[0-9a-f]{40}$/);
  });

  it('GH02 walks the side of a merged branch too, in commit time order', async () => {
    const dir = temp.make();
    buildHistory(dir, [{ time: T0, files: { 'articles/BBC/1.md': 'base' } }]);
    mergeBranch(dir, { 'articles/BBC/1.md': 'side' }, { 'articles/BBC/2.md': 'main' });
    const commits = await walk(dir);
    const versions = commits.flatMap((commit) => Object.entries(texts(commit)));
    assert.deepEqual(versions, [['articles/BBC/1.md', 'base'], ['articles/BBC/1.md', 'side'], ['articles/BBC/2.md', 'main']]);
    assert.deepEqual(commits.map((commit) => [commit.time, commit.files.length]), [[T0, 1], [T0 + HOUR, 1], [T0 + 2 * HOUR, 1], [T0 + 3 * HOUR, 0]], 'the merge is walked, with no files of its own');
  });

  it('GH06 a merge that changes nothing under the folders against either parent is not walked, as git log with the folders would drop it', async () => {
    const dir = temp.make();
    buildHistory(dir, [{ time: T0, files: { 'articles/BBC/1.md': 'base', 'README.md': 'x' } }]);
    mergeBranch(dir, { 'README.md': 'side' }, { 'lists.md': 'main' });
    const folders = execFileSync('git', ['log', '--full-history', '--format=%ct', 'HEAD', '--', 'articles/'], { cwd: dir, env: testGitEnv(), encoding: 'utf8' });
    const commits = await walk(dir);
    assert.deepEqual(commits.map((commit) => [commit.time, commit.files.length]), [[T0, 1]], 'neither side nor the merge is walked');
    assert.deepEqual(commits.map((commit) => commit.time / 1000).reverse(), folders.trim().split('\n').map(Number), 'the commits git log walks for the folder');
  });

  it('GH03 headBlobs names the blobs HEAD still holds', async () => {
    const dir = temp.make();
    buildHistory(dir, [
      { time: T0, files: { 'articles/BBC/1.md': 'gone later', 'articles/BBC/2.md': 'kept' } },
      { time: T0 + HOUR, files: { 'articles/BBC/1.md': null } },
    ]);
    const history = openGitHistory(dir, { env: testGitEnv() });
    const head = await history.headBlobs();
    const commits: HistoryCommit[] = [];
    for await (const commit of history.commits()) commits.push(commit);
    await history.close();
    const kept = commits[0]!.files.find((file) => file.path === 'articles/BBC/2.md')!;
    const gone = commits[0]!.files.find((file) => file.path === 'articles/BBC/1.md')!;
    assert.ok(head.has(kept.blob));
    assert.ok(!head.has(gone.blob));
    assert.equal(head.size, 1);
  });

  it('GH04 a folder that is not a repository is a git error that says what to give', async () => {
    const dir = temp.make();
    await assert.rejects(walk(dir), (error: Error & { code?: string; hint?: string }) => error.code === 'git' && /local clone/.test(error.hint ?? ''));
  });

  it('GH05 reads a commit with more files than one cat-file request, byte for byte', async () => {
    const dir = temp.make();
    const files: Record<string, string> = {};
    for (let i = 0; i < 150; i++) files[`articles/法广/${i}.md`] = `文章 ${i}\n`.repeat(i * 40);
    buildHistory(dir, [{ time: T0, files }]);
    const [commit] = await walk(dir);
    assert.deepEqual(texts(commit!), files);
  });
});
