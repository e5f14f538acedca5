/**
 * `newsmirror run` with `site.branch` set, as a real child process against real bare remotes: a round
 * that stores new articles publishes the archive to main and the static site to the site branch, as
 * `publish` does; a later round with nothing new adds no commit to either.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { buildRss, loadCorpusRows, rowToItem, SHARED_CORPUS } from '../helpers/corpus.js';
import { startServer } from '../helpers/fixture-server.js';
import { createBareRemote, createTempDirs, filesAt, gitSync, remoteHead, testGitEnv } from '../helpers/git.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

async function waitFor(condition: () => boolean, what: string, detail: () => string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('newsmirror run with site.branch', () => {
  const dirs = createTempDirs();
  let server: Awaited<ReturnType<typeof startServer>>;
  let feed = '';

  before(async () => {
    if (SHARED_CORPUS.skip !== false) return;
    const rows = loadCorpusRows(SHARED_CORPUS).filter((row) => row.flags.length === 0 && row.pubDate !== null && row.source === '法广');
    feed = buildRss({ title: '法广', link: 'https://example.com/' }, rows.slice(0, 6).map(rowToItem));
    server = await startServer((req, res) => {
      if (req.url !== '/feeds/rfi.xml') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(feed);
    });
  });
  after(async () => {
    if (SHARED_CORPUS.skip !== false) return;
    await server.close();
    dirs.cleanup();
  });

  it('SITE-RUN-01 a round with new articles pushes the archive to main and the site to gh-pages of every remote', { skip: SHARED_CORPUS.skip }, async () => {
    const root = dirs.make('newsmirror-siterun-');
    const remotes = [createBareRemote(dirs), createBareRemote(dirs)];
    const config = join(root, 'newsmirror.yaml');
    await writeFile(
      config,
      [
        'archive: ./archive',
        'database: ./store.db',
        'network: { allowPrivateNetworks: true, retries: 0 }',
        'media: { enabled: false }',
        'server: { enabled: false }',
        'schedule: { minIntervalMinutes: 0.005, maxIntervalMinutes: 0.01, tickSeconds: 0.1 }',
        `remotes: [{ name: first, url: "${remotes[0]}" }, { name: second, url: "${remotes[1]}" }]`,
        'author: { name: newsmirror test, email: test@example.invalid }',
        'site: { branch: gh-pages, dir: ./public }',
        'sources:',
        `  - { id: rfi, name: 法广 RFI, url: "${server.url}/feeds/rfi.xml", fulltext: feed, intervalMinutes: 0.05 }`,
      ].join('\n'),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'run', '--config', config], { cwd: REPO, env: testGitEnv() });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await waitFor(() => remotes.every((remote) => remoteHead(remote, 'gh-pages') !== undefined), 'the site on both remotes', () => output);
      // Later rounds find nothing new: no publish, so the site branch stays at one commit.
      await waitFor(() => (output.match(/^run: round of/gm) ?? []).length >= 3, 'three rounds', () => output);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exit, 0, output);
    assert.match(output, /publish site: 6 article\(s\)/);
    for (const remote of remotes) {
      const site = remoteHead(remote, 'gh-pages') as string;
      assert.equal(gitSync(remote, ['rev-list', '--count', site]), '1', 'one commit of the site');
      const files = filesAt(remote, site);
      assert.ok(files.includes('index.html') && files.includes('search.html') && files.includes('search/manifest.js'), files.slice(0, 20).join(' '));
      assert.equal(files.filter((path) => /^articles\/.+\.html$/.test(path)).length, 6);
      const archive = remoteHead(remote, 'main') as string;
      assert.ok(filesAt(remote, archive).includes('STATUS.md'), 'the archive is on main');
      assert.ok(!filesAt(remote, archive).some((path) => path.startsWith('search/')), 'the site is not in the archive');
    }
  });
});
