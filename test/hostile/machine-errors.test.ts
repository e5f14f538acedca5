/**
 * Errors of the machine are not bugs (issue 11): a read-only folder, a full disk, a damaged or missing
 * store and a closed output pipe each get an exit code of 1, 2 or 3, a one-line message naming the path
 * and the cause, and a hint; nothing is lost. Real mounts (tmpfs), real SQLite files and the built CLI.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import type { FixtureServer } from '../helpers/fixture-server.js';
import { makeTempDir } from '../helpers/tmp.js';
import { snapshotTree } from '../helpers/tree.js';
import { buildFeed, CLOCK, mountTmpfs, REPO, remountReadOnly, runRealCli, startFeedServer, writeSite, type CliRun } from './machine-helpers.js';

const SOURCES = ['alpha', 'beta'];
const ITEMS = 40;

/** articleFiles lists the article files below an archive. */
async function articleFiles(archive: string): Promise<string[]> {
  const tree = await snapshotTree(archive).catch(() => new Map<string, unknown>());
  return [...tree.keys()].filter((path) => path.startsWith('articles/') && path.endsWith('.md')).sort();
}

function pendingCount(database: string): number {
  const db = new Database(database, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM articles WHERE file_pending = 1').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function articleCount(database: string): number {
  const db = new Database(database, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM articles').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** assertMachineMessage checks the one-line message and hint of an environment failure: no stack, no 70. */
function assertMachineMessage(run: CliRun, pattern: RegExp): void {
  const text = `${run.stdout}\n${run.stderr}`;
  assert.match(text, pattern);
  assert.match(text, /\nhint(?: \([a-z-]+\))?: /);
  assert.doesNotMatch(text, /internal error|\n\s+at .*\.js:\d+/, 'no stack trace');
}

/** mounted mounts a tmpfs for one test (skipping it with the reason when that is impossible) and unmounts it after. */
function mounted(t: TestContext, dir: string, options: { readOnly?: boolean; size: string }): boolean {
  const mount = mountTmpfs(dir, options);
  if ('skip' in mount) {
    console.log(`# skipped: ${mount.skip}`);
    t.skip(mount.skip);
    return false;
  }
  t.after(() => mount.unmount());
  return true;
}

describe('errors of the machine', () => {
  let temp: { dir: string; cleanup(): Promise<void> };
  let server: FixtureServer;
  const feeds = new Map(SOURCES.map((id) => [id, buildFeed(id, ITEMS)]));

  before(async () => {
    temp = await makeTempDir('newsmirror-hostile-');
    server = await startFeedServer(feeds);
  });
  after(async () => {
    await server.close();
    await temp.cleanup();
  });

  it('ENV-01 a read-only archive folder: exit 3, the folder and "read-only" named, a hint, no stack', async (t) => {
    const site = join(temp.dir, 'env01');
    await mkdir(join(site, 'archive'), { recursive: true });
    if (!mounted(t, join(site, 'archive'), { readOnly: true, size: '1m' })) return;
    const run = await runRealCli(['sync', '--config', await writeSite(site, server, SOURCES)]);
    assert.equal(run.code, 3, run.stderr);
    assertMachineMessage(run, new RegExp(`${join(site, 'archive')}: read-only file system`));
  });

  it('ENV-02 a read-only articles/ folder: each source fails with the cause, the report is printed, and the next run writes every file', async (t) => {
    const site = join(temp.dir, 'env02');
    const articles = join(site, 'archive', 'articles');
    await mkdir(articles, { recursive: true });
    if (!mounted(t, articles, { size: '4m' })) return;
    remountReadOnly(articles);
    const config = await writeSite(site, server, SOURCES);
    const run = await runRealCli(['sync', '--config', config]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /\[archive\/read-only\] archive: cannot create folder articles\/alpha\/[\d/]+: read-only file system/);
    assert.doesNotMatch(`${run.stdout}${run.stderr}`, /ENOENT|internal error/);
    assert.match(run.stdout, /\nhint \(read-only\): remount it read-write/);
    const stored = articleCount(join(site, 'store.db'));
    assert.equal(stored, SOURCES.length * ITEMS, 'the store kept every article');
    assert.match(run.stdout, new RegExp(`files not written ${pendingCount(join(site, 'store.db'))}:`));

    const { spawnSync } = await import('node:child_process');
    assert.equal(spawnSync('mount', ['-o', 'remount,rw', articles]).status, 0);
    const again = await runRealCli(['sync', '--config', config]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal((await articleFiles(join(site, 'archive'))).length, SOURCES.length * ITEMS, 'nothing lost');
    assert.equal(pendingCount(join(site, 'store.db')), 0);
  });

  it('ENV-03 a full disk: exit 1 with the final report, "no space" and the path named, only written files counted, nothing lost once there is room', async (t) => {
    const site = join(temp.dir, 'env03');
    await mkdir(site, { recursive: true });
    if (!mounted(t, site, { size: '512k' })) return;
    const big = new Map([...SOURCES.map((id): [string, string] => [id, buildFeed(id, 600)])]);
    const bigServer = await startFeedServer(big);
    t.after(() => bigServer.close());
    const config = await writeSite(site, bigServer, SOURCES);
    const run = await runRealCli(['sync', '--config', config]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /^sync [0-9a-f-]+: 2 source\(s\)/, 'the final report is printed');
    assertMachineMessage(run, /no space left on the device/);
    assert.match(run.stdout, /\[(?:store|archive)\/no-space\] (?:store: SQLite database \S+store\.db|archive: cannot write \S+)/);
    const stored = articleCount(join(site, 'store.db'));
    const written = (await articleFiles(join(site, 'archive'))).length;
    const pending = pendingCount(join(site, 'store.db'));
    const newCount = Number(/ new (\d+),/.exec(run.stdout)?.[1]);
    assert.equal(newCount, stored, 'new counts what the store took');
    if (pending > 0) assert.match(run.stdout, new RegExp(`files not written ${pending}:`), 'the summary says which files are not written');
    assert.ok(written <= stored - pending || pending === 0, `written ${written}, stored ${stored}, pending ${pending}`);

    const { spawnSync } = await import('node:child_process');
    assert.equal(spawnSync('mount', ['-o', 'remount,size=64m', site]).status, 0);
    const again = await runRealCli(['sync', '--config', config]);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.equal((await articleFiles(join(site, 'archive'))).length, SOURCES.length * 600, 'nothing lost');
  });

  it('ENV-10 `run` on a disk that fills up keeps running, and writes every file once there is room', async (t) => {
    const site = join(temp.dir, 'env10');
    await mkdir(site, { recursive: true });
    if (!mounted(t, site, { size: '512k' })) return;
    const big = new Map([...SOURCES.map((id): [string, string] => [id, buildFeed(id, 600)])]);
    const bigServer = await startFeedServer(big);
    t.after(() => bigServer.close());
    const config = join(site, 'newsmirror.yaml');
    await writeFile(
      config,
      [
        'archive: ./archive',
        'database: ./store.db',
        'network: { allowPrivateNetworks: true, retries: 0 }',
        'media: { enabled: false }',
        'server: { enabled: false }',
        'schedule: { minIntervalMinutes: 0.005, maxIntervalMinutes: 0.01, tickSeconds: 0.1 }',
        'sources:',
        ...SOURCES.map((id) => `  - { id: ${id}, name: ${id}, url: "${bigServer.url}/feeds/${id}.xml", fulltext: feed, intervalMinutes: 0.05 }`),
      ].join('\n'),
    );
    const child = spawn(process.execPath, [join(REPO, 'bin/newsmirror.js'), 'run', '--config', config], { cwd: REPO, env: { ...process.env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
    t.after(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const waitFor = async (condition: () => boolean | Promise<boolean>, what: string): Promise<void> => {
      for (let i = 0; i < 1200 && !(await condition()); i++) {
        if (child.exitCode !== null) assert.fail(`run exited with ${child.exitCode} while waiting for ${what}:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(await condition(), `${what}:\n${output}`);
    };
    await waitFor(() => /no space left on the device/.test(output), 'a round on the full disk');
    const rounds = (output.match(/no space left/g) ?? []).length;
    await waitFor(() => (output.match(/no space left/g) ?? []).length > rounds, 'a second round on the full disk');
    assert.doesNotMatch(output, /internal error/);

    const { spawnSync } = await import('node:child_process');
    assert.equal(spawnSync('mount', ['-o', 'remount,size=64m', site]).status, 0);
    await waitFor(async () => (await articleFiles(join(site, 'archive'))).length === SOURCES.length * 600, 'every file written');
    child.kill('SIGTERM');
    assert.equal(await exit, 0, output);
  });

  it('ENV-11 `init` into a read-only folder: exit 3 naming the file; into a missing folder: exit 2', async (t) => {
    const site = join(temp.dir, 'env11');
    await mkdir(site, { recursive: true });
    const missing = await runRealCli(['init', '--config', join(site, 'no', 'such', 'newsmirror.yaml')]);
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /cannot write \S+newsmirror\.yaml: ENOENT/);
    if (!mounted(t, site, { readOnly: true, size: '1m' })) return;
    const run = await runRealCli(['init', '--config', join(site, 'newsmirror.yaml')]);
    assert.equal(run.code, 3, run.stderr);
    assertMachineMessage(run, new RegExp(`cannot write ${join(site, 'newsmirror.yaml')}: read-only file system`));
  });

  it('ENV-04 a store folder on a read-only mount: exit 3, the database file and "read-only" named', async (t) => {
    const site = join(temp.dir, 'env04');
    await mkdir(join(site, 'db'), { recursive: true });
    if (!mounted(t, join(site, 'db'), { readOnly: true, size: '1m' })) return;
    const run = await runRealCli(['sync', '--config', await writeSite(site, server, SOURCES, { database: './db/store.db' })]);
    assert.equal(run.code, 3, run.stderr);
    assertMachineMessage(run, new RegExp(`${join(site, 'db', 'store.db')}: read-only file system`));
  });

  it('ENV-05 a YAML alias bomb in the config: exit 2, a config error, quickly', async () => {
    const site = join(temp.dir, 'env05');
    await mkdir(site, { recursive: true });
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const name = String.fromCharCode(97 + i);
      const previous = String.fromCharCode(96 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    await writeFile(join(site, 'newsmirror.yaml'), `${levels.join('\n')}\n`);
    const run = await runRealCli(['sync', '--config', join(site, 'newsmirror.yaml')]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /newsmirror\.yaml is invalid:\n {2}\(document\): Excessive alias count/);
    assert.doesNotMatch(run.stderr, /internal error/);
  });

  it('ENV-06 a damaged store: sync exits 3 naming the file and hinting at rebuild; rebuild keeps it aside and recreates the store', async () => {
    const site = join(temp.dir, 'env06');
    const config = await writeSite(site, server, SOURCES);
    assert.equal((await runRealCli(['sync', '--config', config])).code, 0);
    const before = await snapshotTree(join(site, 'archive'));
    const database = join(site, 'store.db');
    const garbage = Buffer.alloc(64 * 1024, 0x5a);
    await writeFile(database, garbage);
    await rm(`${database}-wal`, { force: true });
    await rm(`${database}-shm`, { force: true });

    const sync = await runRealCli(['sync', '--config', config]);
    assert.equal(sync.code, 3, sync.stderr);
    assertMachineMessage(sync, new RegExp(`${database}: the database file is damaged`));
    assert.match(sync.stderr, /hint: run `newsmirror rebuild`/);

    const rebuild = await runRealCli(['rebuild', '--config', config]);
    assert.equal(rebuild.code, 0, rebuild.stderr);
    assert.match(rebuild.stdout, /the database was damaged; kept as \S+store\.db\.corrupt-/);
    assert.match(rebuild.stdout, new RegExp(`${SOURCES.length * ITEMS} article\\(s\\) restored`));
    const kept = (await readdir(site)).filter((name) => name.startsWith('store.db.corrupt-'));
    assert.equal(kept.length, 1);
    assert.deepEqual(await readFile(join(site, kept[0]!)), garbage, 'the damaged file is kept as it was');

    const after = await runRealCli(['sync', '--config', config]);
    assert.equal(after.code, 0, after.stderr);
    const files = await snapshotTree(join(site, 'archive'));
    for (const path of await articleFiles(join(site, 'archive'))) assert.deepEqual(files.get(path), before.get(path), `${path} unchanged`);
  });

  for (const [id, breakStore] of [
    ['ENV-07 a missing store', async (file: string) => rm(file)],
    ['ENV-08 an empty store file', async (file: string) => writeFile(file, '')],
  ] as const) {
    it(`${id} beside an archive with articles is rebuilt from the archive first, and no file is rewritten`, async () => {
      const site = join(temp.dir, id.slice(0, 6));
      const config = await writeSite(site, server, SOURCES);
      assert.equal((await runRealCli(['sync', '--config', config])).code, 0);
      const archive = join(site, 'archive');
      const before = await snapshotTree(archive);
      const database = join(site, 'store.db');
      await rm(`${database}-wal`, { force: true });
      await rm(`${database}-shm`, { force: true });
      await breakStore(database);

      // A later clock: a sync that took the articles for new would write new first-seen times.
      const run = await runRealCli(['sync', '--config', config], { NEWSMIRROR_CLOCK: String(Number(CLOCK) + 86_400_000) });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, /holds no articles but \S+ holds 80 article file\(s\): rebuilding the store from the archive first/);
      assert.match(run.stdout, / new 0, edited 0, unchanged 80,/);
      const files = await snapshotTree(archive);
      for (const path of await articleFiles(archive)) assert.deepEqual(files.get(path), before.get(path), `${path} unchanged`);
      assert.equal(articleCount(database), SOURCES.length * ITEMS);
    });
  }

  it('ENV-09 closed stdout and stderr (`sync | head -1`) never stop the work', async () => {
    const site = join(temp.dir, 'env09');
    const many = new Map(SOURCES.map((id): [string, string] => [id, buildFeed(id, 500)]));
    const manyServer = await startFeedServer(many);
    try {
      const config = await writeSite(site, manyServer, SOURCES);
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(process.execPath, [join(REPO, 'bin/newsmirror.js'), 'sync', '--verbose', '--config', config], {
          cwd: REPO,
          env: { ...process.env, NEWSMIRROR_CLOCK: CLOCK },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        // Like `head -1`: read the first chunk of each stream, then close the reading end.
        child.stdout.once('data', () => child.stdout.destroy());
        child.stderr.once('data', () => child.stderr.destroy());
        child.stdout.destroy();
        child.on('error', reject);
        child.on('close', resolve);
      });
      assert.equal(code, 0);
      assert.equal((await articleFiles(join(site, 'archive'))).length, SOURCES.length * 500, 'every file was written');
      assert.equal(pendingCount(join(site, 'store.db')), 0);
      const report = new Database(join(site, 'store.db'), { readonly: true });
      try {
        const row = report.prepare('SELECT count(*) AS n FROM run_reports').get() as { n: number };
        assert.equal(row.n, 1, 'the run finished and saved its report');
      } finally {
        report.close();
      }
      assert.ok((await stat(join(site, 'archive', 'README.md'))).size > 0);
    } finally {
      await manyServer.close();
    }
  });
});
