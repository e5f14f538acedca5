import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { buildRss, loadCorpusRows, rowToItem, SHARED_CORPUS } from '../helpers/corpus.js';
import { startServer } from '../helpers/fixture-server.js';
import { makeTempDir } from '../helpers/tmp.js';
import { snapshotTree } from '../helpers/tree.js';
import { createBareRemote, createTempDirs, filesAt, remoteHead, testGitEnv } from '../helpers/git.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** startRun starts `newsmirror run` as a real child process and collects its output. */
function startRun(config: string): { child: ChildProcessWithoutNullStreams; output: () => string; rounds: () => number; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'run', '--config', config], { cwd: REPO, env: testGitEnv() });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => output, rounds: () => (output.match(/^run: round of/gm) ?? []).length, exit };
}

async function waitFor(condition: () => boolean, what: string, detail?: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${detail ? `:\n${detail()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('newsmirror run', () => {
  let temp: { dir: string; cleanup(): Promise<void> };
  const gitDirs = createTempDirs();
  let server: Awaited<ReturnType<typeof startServer>>;
  const windows: string[][] = [];
  let searchTerm = '';
  const requests = new Map<string, number>();

  before(async () => {
    if (SHARED_CORPUS.skip !== false) return;
    temp = await makeTempDir();
    const rows = loadCorpusRows(SHARED_CORPUS).filter((row) => row.flags.length === 0 && row.pubDate !== null);
    // Two sources whose feeds move forward one overlapping window per request, as a live feed does.
    for (const [s, folder] of ['法广', '美国之音'].entries()) {
      const items = rows.filter((row) => row.source === folder).slice(0, 48);
      searchTerm ||= /\p{Script=Han}{3}/u.exec(items[0]?.title ?? '')?.[0] ?? '';
      windows[s] = [0, 1, 2, 3, 4].map((w) => buildRss({ title: folder, link: 'https://example.com/' }, items.slice(w * 8, w * 8 + 16).map(rowToItem)));
    }
    server = await startServer((req, res) => {
      const s = Number(/^\/feeds\/s(\d)\.xml$/.exec(req.url ?? '')?.[1]);
      const feed = windows[s];
      if (!feed) return void res.writeHead(404).end();
      const n = requests.get(req.url ?? '') ?? 0;
      requests.set(req.url ?? '', n + 1);
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(feed[Math.min(n, feed.length - 1)]);
    });
  });
  after(async () => {
    if (SHARED_CORPUS.skip !== false) return;
    await server.close();
    await temp.cleanup();
    gitDirs.cleanup();
  });

  it('RUN-01 syncs on short intervals, publishes to the remote, stops cleanly on SIGTERM mid-round and resumes without loss or duplicates', { skip: SHARED_CORPUS.skip }, async () => {
    const remote = createBareRemote(gitDirs);
    const config = join(temp.dir, 'newsmirror.yaml');
    await writeFile(
      config,
      [
        'archive: ./archive',
        'database: ./store.db',
        'network: { allowPrivateNetworks: true, retries: 0 }',
        'media: { enabled: false }',
        'server: { host: 127.0.0.1, port: 0 }',
        'schedule: { minIntervalMinutes: 0.005, maxIntervalMinutes: 0.01, tickSeconds: 0.1 }',
        `remotes: [{ name: origin, url: "${remote}" }]`,
        'author: { name: newsmirror test, email: test@example.invalid }',
        'sources:',
        `  - { id: rfi, name: 法广 RFI, url: "${server.url}/feeds/s0.xml", fulltext: feed, intervalMinutes: 0.05 }`,
        `  - { id: voa, name: 美国之音, url: "${server.url}/feeds/s1.xml", fulltext: feed, intervalMinutes: 0.05 }`,
      ].join('\n'),
    );

    const first = startRun(config);
    await waitFor(() => first.rounds() >= 2, 'two rounds', first.output);
    first.child.kill('SIGTERM');
    assert.equal(await first.exit, 0, first.output());
    assert.match(first.output(), /run: stopped cleanly/);

    const second = startRun(config);
    await waitFor(() => [...requests.values()].every((n) => n >= 6), 'every window served', second.output);
    await waitFor(() => /published/.test(second.output()) || remoteHead(remote) !== undefined, 'a publish');
    // The reader runs in the same process and finds what the rounds indexed.
    const url = /run: web reader at (\S+)/.exec(second.output())?.[1];
    assert.ok(url, second.output());
    // The feeds answer 200, but only with items from 2020: the feedx failure mode that must be flagged.
    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 503);
    const report = (await health.json()) as { sources: { id: string; status: string }[] };
    assert.deepEqual(report.sources.map((source) => [source.id, source.status]), [['rfi', 'stale'], ['voa', 'stale']]);
    const search = (await (await fetch(`${url}/api/search?q=${encodeURIComponent(searchTerm)}`)).json()) as { total: number; results: { source: string }[] };
    assert.ok(search.total >= 1, `search finds ${searchTerm}`);
    second.child.kill('SIGTERM');
    assert.equal(await second.exit, 0, second.output());

    const db = new Database(join(temp.dir, 'store.db'), { readonly: true });
    const counts = db.prepare('SELECT source_id AS source, count(*) AS n, count(DISTINCT key) AS keys FROM articles GROUP BY source_id ORDER BY source_id').all();
    db.close();
    assert.deepEqual(counts, [
      { source: 'rfi', n: 48, keys: 48 },
      { source: 'voa', n: 48, keys: 48 },
    ]);
    const tree = await snapshotTree(join(temp.dir, 'archive'));
    assert.equal([...tree.keys()].filter((path) => path.startsWith('articles/')).length, 96);
    assert.ok(tree.has('STATUS.md') && tree.has('README.md'));
    const status = await readFile(join(temp.dir, 'archive', 'STATUS.md'), 'utf8');
    assert.match(status, /^\| 法广 RFI \(`rfi`\) \| stale \|/m);

    const head = remoteHead(remote);
    assert.ok(head, 'the remote received the archive');
    const published = filesAt(remote, head);
    assert.ok(published.filter((path) => path.startsWith('articles/')).length > 0);
    assert.ok(!published.some((path) => path.includes('.newsmirror.lock') || path.includes('.tmp-')), 'local-only files are never committed');
  });
});
