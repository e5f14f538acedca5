/**
 * measure-fetch prints what the HTTP adapter costs against a local server: requests per second for
 * small gzip feeds through the limits, and the memory a decompression bomb costs under the default
 * 20 MB cap. Run: `npx tsx test/http/measure-fetch.ts`.
 */
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';

import { Agent, request } from 'undici';

import { createHttpClient } from '../../src/adapters/http/index.js';
import { startServer } from '../helpers/fixture-server.js';

const feed = zlib.gzipSync(Buffer.from(`<rss><channel>${'<item><title>新闻标题</title><description>正文段落。</description></item>'.repeat(600)}</channel></rss>`));
const bomb = zlib.gzipSync(Buffer.alloc(1024 * 1024 * 1024), { level: 1 });
const server = await startServer((req, res) => {
  if (req.url === '/bomb') res.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb);
  else res.writeHead(200, { 'content-encoding': 'gzip', etag: '"x"' }).end(feed);
});

const http = createHttpClient({ allowPrivateNetworks: true, env: {}, concurrency: 8, perHost: 8, retries: 0 });
const count = 2000;
for (let warm = 0; warm < 100; warm += 1) await http.get({ url: `${server.url}/warm/${warm}` });
const started = performance.now();
await Promise.all(Array.from({ length: count }, (_, index) => http.get({ url: `${server.url}/feed/${index}` })));
const seconds = (performance.now() - started) / 1000;
console.log(`${count} GETs of a ${feed.length}-byte gzip feed (${zlib.gunzipSync(feed).length} bytes decoded), concurrency 8: ${(count / seconds).toFixed(0)} req/s`);

// Baseline: bare undici.request with the same parallelism and a one-shot gunzip, no politeness.
const agent = new Agent({ connections: 8 });
const bare = async (url: string): Promise<Buffer> => {
  const response = await request(url, { dispatcher: agent, headers: { 'accept-encoding': 'gzip' } });
  return zlib.gunzipSync(Buffer.from(await response.body.arrayBuffer()));
};
const queue = Array.from({ length: count }, (_, index) => `${server.url}/bare/${index}`);
const bareStarted = performance.now();
await Promise.all(
  Array.from({ length: 8 }, async () => {
    for (let url = queue.pop(); url !== undefined; url = queue.pop()) await bare(url);
  }),
);
const bareSeconds = (performance.now() - bareStarted) / 1000;
console.log(`same with bare undici.request (8 workers): ${(count / bareSeconds).toFixed(0)} req/s; ratio ${(bareSeconds / seconds).toFixed(2)}`);
await agent.close();

global.gc?.();
const before = process.memoryUsage().rss;
let peak = before;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 5);
const bombStarted = performance.now();
const outcome = await http.get({ url: `${server.url}/bomb` }).then(
  () => 'read',
  (error: { code?: string }) => error.code,
);
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
console.log(
  `1 GiB gzip bomb (${bomb.length} bytes sent), 20 MB cap: ${outcome} after ${(performance.now() - bombStarted).toFixed(0)} ms, RSS +${((peak - before) / 1024 / 1024).toFixed(1)} MB`,
);
await http.close();
await server.close();
