/**
 * Issue 11, "images never hold the text back": a source whose new articles carry their images on a
 * host that accepts connections and never answers (a tarpit). The real CLI (`bin/newsmirror.js`, so
 * `dist/`: `npm run build` first) syncs it against real servers on 127.0.0.1, a real SQLite file and
 * a real archive folder.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

import { createHttpClient } from '../../src/adapters/http/index.js';
import { createImageHosts, createImageMirror, createImageQueue, createMemoryMediaState } from '../../src/adapters/media/index.js';
import { buildRss, type FeedItem } from '../helpers/corpus.js';
import { startServer, type FixtureServer } from '../helpers/fixture-server.js';
import { makeTempDir } from '../helpers/tmp.js';
import { jpeg } from '../media/images.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const ARTICLES = 20;
const IMAGES_PER_ARTICLE = 5;
const T0 = Date.UTC(2026, 11, 7, 4, 0, 0);
const HOUR = 3_600_000;

/**
 * ImageHost is one real TCP server for the images: while `tarpit` is on it accepts every connection
 * and never answers; once off, the same address serves each image's bytes over HTTP.
 */
interface ImageHost {
  url: string;
  tarpit: boolean;
  /** Connections accepted while it was a tarpit. */
  tarpitConnections: number;
  close(): Promise<void>;
}

async function startImageHost(): Promise<ImageHost> {
  const sockets = new Set<Socket>();
  const web = http.createServer((req, res) => {
    const match = /^\/img\/(\d+)\.jpg$/.exec(req.url ?? '');
    if (match === null) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg(`image ${match[1]}`));
  });
  const host: ImageHost = { url: '', tarpit: true, tarpitConnections: 0, close: () => Promise.resolve() };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (host.tarpit) {
      host.tarpitConnections++;
      // Reads the request and never answers.
      socket.resume();
    } else {
      web.emit('connection', socket);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  host.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return host;
}

/** Far above the target of 60 s: a sync still running by then is killed, and the test fails on its exit code. */
const KILL_AFTER_MS = 300_000;

/** runBin runs the built CLI in a child process, so the test's servers keep answering meanwhile. */
function runBin(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'bin/newsmirror.js'), ...args], { cwd: REPO, env: { ...process.env, ...env } });
    const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function articleFiles(archive: string): Promise<string[]> {
  const entries = await readdir(join(archive, 'articles'), { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.md')).map((entry) => join(entry.parentPath, entry.name)).sort();
}

function sentence(n: number): string {
  return `第${n}篇报道：图片服务器不回应时，正文照样先写入存档。`;
}

describe('hostile image host: a tarpit never holds the text back', () => {
  let temp: { dir: string; cleanup(): Promise<void> };
  let images: ImageHost;
  let feeds: FixtureServer;
  let config: string;

  before(async () => {
    temp = await makeTempDir('newsmirror-tarpit-');
    images = await startImageHost();
    const items: FeedItem[] = Array.from({ length: ARTICLES }, (_, i) => ({
      title: `新闻 ${i + 1}`,
      link: `https://news.example/articles/${i + 1}`,
      pubDate: T0 - (i + 1) * 60_000,
      html:
        `<p>${sentence(i + 1)}</p>\n` +
        Array.from({ length: IMAGES_PER_ARTICLE }, (_, k) => `<p><img src="${images.url}/img/${i * IMAGES_PER_ARTICLE + k}.jpg" alt="图${k}"></p>`).join('\n'),
    }));
    const feed = buildRss({ title: '测试源', link: 'https://news.example/' }, items);
    feeds = await startServer((_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"v1"' }).end(feed));
    config = join(temp.dir, 'newsmirror.yaml');
    // Every network and media setting is the default, but for the private addresses of the test.
    await writeFile(
      config,
      `archive: ./archive\ndatabase: ./store.db\nnetwork: { allowPrivateNetworks: true }\nsources:\n  - { id: tarpit, name: 焦油坑, url: "${feeds.url}/feed.xml", fulltext: feed }\n`,
    );
  });
  after(async () => {
    await images.close();
    await feeds.close();
    await temp.cleanup();
  });

  it('TARPIT-01 writes all 20 article files, records the 100 images missing, then mirrors them once the host answers', async (t) => {
    const archive = join(temp.dir, 'archive');
    const started = Date.now();
    const first = await runBin(['sync', '--config', config], { NEWSMIRROR_CLOCK: String(T0) });
    const seconds = (Date.now() - started) / 1000;
    t.diagnostic(`tarpit sync wall time: ${seconds.toFixed(1)} s`);
    t.diagnostic(first.stdout.trim());

    // Missing images alone are a warning, not a failure. A sync held up by its images past
    // KILL_AFTER_MS (the target is 60 s) has no exit code.
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.match(first.stdout, /new 20, edited 0/);
    assert.match(first.stdout, /tarpit: images mirrored 0, missing 100/);
    assert.match(first.stdout, /tarpit: warning: media: 127\.0\.0\.1 stopped answering/);
    assert.ok(images.tarpitConnections > 0 && images.tarpitConnections < ARTICLES * IMAGES_PER_ARTICLE, `the breaker stopped after ${images.tarpitConnections} connection(s)`);

    const files = await articleFiles(archive);
    assert.equal(files.length, ARTICLES);
    const firstTexts = new Map<string, string>();
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      firstTexts.set(file, text);
      assert.match(text, /第\d+篇报道：图片服务器不回应时，正文照样先写入存档。/);
      // While an image is missing the body keeps its original URL.
      assert.equal(text.split(`src="${images.url}/img/`).length - 1, IMAGES_PER_ARTICLE, file);
    }
    for (let n = 1; n <= ARTICLES; n++) assert.ok([...firstTexts.values()].some((text) => text.includes(sentence(n))), `article ${n} is written`);

    const db = new Database(join(temp.dir, 'store.db'), { readonly: true });
    try {
      assert.equal((db.prepare("SELECT count(*) AS n FROM media_missing WHERE source_id = 'tarpit'").get() as { n: number }).n, 100);
      const items = db.prepare('SELECT path, next_attempt_at FROM media_items').all() as { path: string | null; next_attempt_at: number | null }[];
      assert.equal(items.length, 100);
      assert.ok(items.every((item) => item.path === null && item.next_attempt_at !== null), 'every image waits for a retry');
    } finally {
      db.close();
    }

    // The host is fixed; a later run (two hours on, past the first backoff step) retries and mirrors.
    images.tarpit = false;
    const second = await runBin(['sync', '--config', config], { NEWSMIRROR_CLOCK: String(T0 + 2 * HOUR) });
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.match(second.stdout, /new 0, edited 0/);
    assert.match(second.stdout, /tarpit: images mirrored 100, missing 0/);
    assert.doesNotMatch(second.stdout, /stopped answering/);

    assert.deepEqual(await articleFiles(archive), files, 'the same files, no new one');
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      assert.notEqual(text, firstTexts.get(file), `${file} is rewritten`);
      assert.match(text, /第\d+篇报道：图片服务器不回应时，正文照样先写入存档。/);
      assert.equal(text.match(/<img src="(?:\.\.\/)+media\/[0-9a-f]{2}\/[0-9a-f]{64}\.jpg" data-original-src="http:\/\/127\.0\.0\.1:\d+\/img\/\d+\.jpg"/g)?.length, IMAGES_PER_ARTICLE, file);
    }
    const mediaFiles = (await readdir(join(archive, 'media'), { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
    assert.equal(mediaFiles.length, ARTICLES * IMAGES_PER_ARTICLE);

    const after2 = new Database(join(temp.dir, 'store.db'), { readonly: true });
    try {
      assert.equal((after2.prepare('SELECT count(*) AS n FROM article_versions').get() as { n: number }).n, ARTICLES, 'no new version');
      assert.equal((after2.prepare('SELECT count(*) AS n FROM media_missing').get() as { n: number }).n, 0);
    } finally {
      after2.close();
    }
  });

  it('TARPIT-02 the queue: images due before any attempt, a breaker that waits one backoff step, a deadline that defers without an attempt', async () => {
    const host = await startImageHost();
    const http = createHttpClient({ allowPrivateNetworks: true, env: {}, retries: 0 });
    const state = createMemoryMediaState();
    const now = T0;
    const clock = { now: () => now };
    const root = join(temp.dir, 'queue-media');
    try {
      const hosts = createImageHosts({ perHost: 1, breakerFailures: 1 });
      const mirror = createImageMirror({ http, root, clock, state, hosts, timeoutMs: 300 });
      const queue = createImageQueue({ mirror, hosts, drainMs: 60_000 });
      const urls = [0, 1, 2].map((n) => `${host.url}/img/${n}.jpg`);
      const html = urls.map((url) => `<img src="${url}">`).join('');
      await queue.enqueue({ sourceId: 's', articleId: 'a', articlePath: 'articles/s/2026/12/07/0400-a.md', html });
      assert.deepEqual(await mirror.retryPending(now), ['a'], 'a run killed now would retry them');

      const finished: string[] = [];
      const drained = await queue.drain({ onArticle: async (input, result) => void finished.push(`${input.articleId}:${result.failed.length}`) });
      assert.deepEqual(finished, ['a:3']);
      assert.deepEqual(drained.openHosts, [{ host: '127.0.0.1', failures: 1, sourceIds: ['s'] }]);
      assert.deepEqual(drained.bySource, new Map([['s', { mirrored: 0, missing: 3 }]]));
      assert.equal(drained.deferred, 0);
      assert.equal(host.tarpitConnections, 1, 'one timeout opened the breaker');
      const items = [...(await state.getItems(urls)).values()];
      assert.deepEqual(items.map((item) => [item.attempts, item.lastError?.code, item.nextAttemptAt]).sort(), [
        [0, 'host-unavailable', now + HOUR],
        [0, 'host-unavailable', now + HOUR],
        [1, 'timeout', now + HOUR],
      ]);
      assert.deepEqual(hosts.openHosts(), [], 'the breaker closes with the run');

      const slow = createImageQueue({ mirror: createImageMirror({ http, root, clock, state, hosts, timeoutMs: 60_000 }), hosts, drainMs: 200 });
      const later = [3, 4].map((n) => `${host.url}/img/${n}.jpg`);
      await slow.enqueue({ sourceId: 's', articleId: 'b', articlePath: 'articles/s/2026/12/07/0400-b.md', html: later.map((url) => `<img src="${url}">`).join('') });
      const stopped = await slow.drain({ onArticle: () => Promise.resolve() });
      assert.equal(stopped.deferred, 2);
      assert.deepEqual(stopped.openHosts, []);
      const deferred = [...(await state.getItems(later)).values()];
      assert.deepEqual(deferred.map((item) => [item.attempts, item.lastError?.code, item.nextAttemptAt]), [
        [0, 'stopped', now],
        [0, 'stopped', now],
      ]);
      assert.deepEqual(await mirror.retryPending(now), ['b'], 'deferred images are due on the next run');
    } finally {
      await http.close();
      await host.close();
    }
  });
});
