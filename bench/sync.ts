/**
 * npm run bench:sync — 300 sources × 50 items (15,000 real corpus articles) from a local server into an
 * empty archive, then the same sync again with nothing new (304s), then again with a server that ignores
 * validators (200 with the same items), each with the built CLI in its own process. Prints articles/s,
 * the cold sync's CPU time, the idle syncs' durations and peak RSS against the targets of issue 3
 * (≥500 articles/s cold, idle < 5 s, peak < 300 MB) and issue 16 (cold peak < 200 MB).
 */
import { spawn } from 'node:child_process';
import { writeFile, rm, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadavg, tmpdir } from 'node:os';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { procTimes } from './proc.js';

const SOURCES = Number(process.env.BENCH_SOURCES ?? 300);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 50);

async function startFeedServer(ignoreEtag: boolean, port = 0): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./feed-server.ts', import.meta.url).pathname, String(SOURCES), String(ITEMS), String(port)], {
    env: { ...process.env, BENCH_IGNORE_ETAG: ignoreEtag ? '1' : '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())));
  return { url, stop: () => new Promise((resolve) => child.once('close', () => resolve()).kill()) };
}

const BIN = fileURLToPath(new URL('../bin/newsmirror.js', import.meta.url));

/**
 * timedSync runs the built CLI (what users run: `node bin/newsmirror.js`, no TypeScript loader) as a
 * child process and samples its peak resident memory (VmHWM) and its CPU time from /proc while it runs.
 */
async function timedSync(config: string): Promise<{ ms: number; code: number | null; out: string; peakRss: number; cpuMs: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'sync', '--config', config], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  let peakRss = 0;
  let cpuMs = 0;
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const sampler = setInterval(() => {
    try {
      const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
      peakRss = Math.max(peakRss, kb * 1024);
      const times = procTimes(child.pid ?? 0);
      cpuMs = Math.max(cpuMs, times.user + times.system);
    } catch {
      // The process has just exited; the last sample stands.
    }
  }, 10);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(sampler);
  return { ms: performance.now() - started, code, out, peakRss, cpuMs };
}

const dir = join(tmpdir(), `newsmirror-bench-${process.pid}`);
await mkdir(dir, { recursive: true });
try {
  let server = await startFeedServer(false);
  const writeConfig = async (url: string) => {
    const sources = Array.from({ length: SOURCES }, (_, s) => `  - { id: s${s}, name: "源 ${s}", url: "${url}/feeds/s${s}.xml", fulltext: feed }`).join('\n');
    await writeFile(join(dir, 'newsmirror.yaml'), `archive: ./archive\ndatabase: ./store.db\nnetwork: { allowPrivateNetworks: true, concurrency: 8, perHost: 8 }\nmedia: { enabled: false }\nsources:\n${sources}\n`);
  };
  await writeConfig(server.url);
  const config = join(dir, 'newsmirror.yaml');
  const cold = await timedSync(config);
  const idle304 = await timedSync(config);
  await server.stop();
  server = await startFeedServer(true, Number(new URL(server.url).port));
  const idle200 = await timedSync(config);
  await server.stop();
  const articles = SOURCES * ITEMS;
  const rate = articles / (cold.ms / 1000);
  console.log(`bench:sync ${SOURCES} sources × ${ITEMS} items = ${articles} articles (exit codes ${cold.code}/${idle304.code}/${idle200.code})`);
  console.log(`  cold sync:              ${(cold.ms / 1000).toFixed(2)} s = ${rate.toFixed(0)} articles/s   (target ≥ 500: ${(rate / 500).toFixed(2)}× target)`);
  // Wall time on a shared machine depends on its load; CPU time of the sync process much less so.
  console.log(`  cold sync CPU time:     ${(cold.cpuMs / 1000).toFixed(2)} s = ${(articles / (cold.cpuMs / 1000)).toFixed(0)} articles per CPU-second   (load average ${loadavg().map((x) => x.toFixed(1)).join(', ')})`);
  console.log(`  idle sync, 304s:        ${(idle304.ms / 1000).toFixed(2)} s   (target < 5 s)`);
  console.log(`  idle sync, 200 same:    ${(idle200.ms / 1000).toFixed(2)} s   (target < 5 s)`);
  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
  console.log(`  peak RSS (VmHWM of the sync process): cold ${mb(cold.peakRss)} MB, idle ${mb(idle304.peakRss)} / ${mb(idle200.peakRss)} MB   (target < 300 MB: ${(cold.peakRss / (300 * 2 ** 20)).toFixed(2)}× target; issue 16: < 200 MB, ${(cold.peakRss / (200 * 2 ** 20)).toFixed(2)}×)`);
  if (cold.code !== 0) console.log(cold.out.slice(0, 2000));
} finally {
  await rm(dir, { recursive: true, force: true });
}
