/**
 * npm run bench:media — mirrors 2,000 images across 50 articles from a local image server run in a
 * child process (this same file with `--serve`, so serving costs are not counted), over 5 hosts
 * (127.0.0.1 … 127.0.0.5) with the HttpClient's per-host limit on. Prints images/s and MB/s for a
 * cold mirror into an empty media folder, then for a second pass where every image is already stored,
 * with the peak number of requests each host had in flight (at most the per-host limit).
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createHttpClient } from '../src/adapters/http/index.js';
import { createImageMirror, openSqliteMediaState } from '../src/adapters/media/index.js';
import type { ImageMirrorResult } from '../src/core/ports.js';

const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 50);
const IMAGES_PER_ARTICLE = Number(process.env.BENCH_IMAGES_PER_ARTICLE ?? 40);
const HOSTS = 5;
const PER_HOST = 4;
const ARTICLE_CONCURRENCY = 10;

/** imageBytes is a JPEG header whose comment makes every image distinct, padded to 10–110 KB. */
function imageBytes(index: number): Buffer {
  const comment = Buffer.from(`bench image ${index}`);
  const head = Buffer.from([0xff, 0xd8, 0xff, 0xfe, (comment.length + 2) >> 8, (comment.length + 2) & 0xff]);
  const size = 10_000 + ((index * 7919) % 100_000);
  const body = Buffer.alloc(size - head.length - comment.length - 2, index & 0xff);
  return Buffer.concat([head, comment, body, Buffer.from([0xff, 0xd9])]);
}

async function serve(): Promise<void> {
  const active = new Map<string, number>();
  const peak = new Map<string, number>();
  const urls: string[] = [];
  for (let host = 1; host <= HOSTS; host++) {
    const address = `127.0.0.${host}`;
    const server = createServer((req, res) => {
      if (req.url === '/__stats') return void res.end(JSON.stringify(Object.fromEntries(peak)));
      const match = /^\/img\/(\d+)\.jpg$/.exec(req.url ?? '');
      if (match === null) return void res.writeHead(404).end();
      const now = (active.get(address) ?? 0) + 1;
      active.set(address, now);
      peak.set(address, Math.max(peak.get(address) ?? 0, now));
      res.on('close', () => active.set(address, (active.get(address) ?? 1) - 1));
      // Headers now, body on the next turn: requests that are really in flight together overlap here.
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      setImmediate(() => res.end(imageBytes(Number(match[1]))));
    });
    await new Promise<void>((resolve) => server.listen(0, address, resolve));
    const bound = server.address();
    if (bound !== null && typeof bound === 'object') urls.push(`http://${address}:${bound.port}`);
  }
  process.stdout.write(`${JSON.stringify(urls)}\n`);
}

async function startServerProcess(): Promise<{ urls: string[]; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())));
  return { urls: JSON.parse(line) as string[], stop: () => child.kill() };
}

async function runLimited<T>(count: number, limit: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await task(index);
      }
    }),
  );
  return results;
}

async function bench(): Promise<void> {
  const server = await startServerProcess();
  const dir = join(tmpdir(), `newsmirror-bench-media-${process.pid}`);
  await mkdir(dir, { recursive: true });
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const http = createHttpClient({ allowPrivateNetworks: true, perHost: PER_HOST, concurrency: HOSTS * PER_HOST, retries: 0 });
  const state = openSqliteMediaState(join(dir, 'newsmirror.db'));
  try {
    const mirror = createImageMirror({ http, root: join(dir, 'archive'), clock: { now: () => Date.now() }, state });
    const bodies = Array.from({ length: ARTICLES }, (_, article) =>
      Array.from({ length: IMAGES_PER_ARTICLE }, (_, i) => {
        const index = article * IMAGES_PER_ARTICLE + i;
        return `<p>段落 ${i}</p>\n<figure><img src="${server.urls[index % HOSTS]}/img/${index}.jpg" alt="${index}"></figure>`;
      }).join('\n'),
    );
    const pass = async (label: string, html: (article: number) => string): Promise<ImageMirrorResult[]> => {
      const started = performance.now();
      const results = await runLimited(ARTICLES, ARTICLE_CONCURRENCY, (article) =>
        mirror.mirrorArticleImages({
          sourceId: `s${article % 5}`,
          articleId: `a${article}`,
          articlePath: `articles/s${article % 5}/2023/10/20/1815-a${article}.md`,
          html: html(article),
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const images = results.reduce((sum, result) => sum + result.mirrored, 0);
      const failed = results.reduce((sum, result) => sum + result.failed.length, 0);
      const bytes = results.reduce((sum, result) => sum + result.bytes, 0);
      console.log(
        `  ${label}: ${images} images (${failed} failed), ${(bytes / 2 ** 20).toFixed(1)} MB downloaded in ${seconds.toFixed(2)} s = ` +
          `${(images / seconds).toFixed(0)} images/s, ${(bytes / 2 ** 20 / seconds).toFixed(1)} MB/s`,
      );
      return results;
    };
    console.log(
      `bench:media ${ARTICLES} articles × ${IMAGES_PER_ARTICLE} images = ${ARTICLES * IMAGES_PER_ARTICLE} images (10–110 KB) over ${HOSTS} hosts, ` +
        `perHost ${PER_HOST}, client concurrency ${HOSTS * PER_HOST}, ${ARTICLE_CONCURRENCY} articles at a time; server in a child process`,
    );
    const cold = await pass('cold, empty media folder ', (article) => bodies[article] ?? '');
    await pass('again, all already stored', (article) => cold[article]?.html ?? '');
    const peaks = (await (await fetch(`${server.urls[0]}/__stats`)).json()) as Record<string, number>;
    console.log(`  peak requests in flight per host, seen by the server: ${Object.entries(peaks).map(([host, count]) => `${host} ${count}`).join(', ')} (limit ${PER_HOST})`);
    console.log(`  peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB`);
  } finally {
    clearInterval(sampler);
    await state.close();
    await http.close();
    server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--serve')) await serve();
else await bench();
