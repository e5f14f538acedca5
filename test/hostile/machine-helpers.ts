import { spawn, spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type FixtureServer } from '../helpers/fixture-server.js';

/** REPO is the checkout: the real CLI is `bin/newsmirror.js`, which runs `dist/` (`npm run build` first). */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** CLOCK freezes the CLI's clock so that runs can be compared. */
export const CLOCK = '1700000000000';

/** buildFeed renders an RSS 2.0 feed of `count` distinct Chinese articles of one source. */
export function buildFeed(source: string, count: number): string {
  const items: string[] = [];
  for (let i = 0; i < count; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    items.push(
      `<item><title>${source} 新闻 ${i}</title><link>https://news.example/${source}/${i}.html</link>` +
        `<guid>https://news.example/${source}/${i}.html</guid><pubDate>${new Date(`2023-10-${day}T0${i % 10}:00:00Z`).toUTCString()}</pubDate>` +
        `<description><![CDATA[<p>第 ${i} 篇：香港与北京的新闻正文，足够长的一段文字，用来测试。</p>]]></description></item>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${source}</title><link>https://news.example/</link>${items.join('')}</channel></rss>`;
}

/** startFeedServer serves `/feeds/<id>.xml` from the given feeds on 127.0.0.1. */
export function startFeedServer(feeds: Map<string, string>): Promise<FixtureServer> {
  return startServer((req, res) => {
    const id = /^\/feeds\/([a-z0-9]+)\.xml$/.exec(req.url ?? '')?.[1];
    const body = id === undefined ? undefined : feeds.get(id);
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body);
  });
}

/** writeSite writes a config with an archive and a store below `dir`, one source per feed id. */
export async function writeSite(dir: string, server: FixtureServer, ids: string[], paths: { archive?: string; database?: string } = {}): Promise<string> {
  await mkdir(dir, { recursive: true });
  const sources = ids.map((id) => `  - { id: ${id}, name: ${id}, url: "${server.url}/feeds/${id}.xml", fulltext: feed }`).join('\n');
  const config = join(dir, 'newsmirror.yaml');
  await writeFile(
    config,
    `archive: ${paths.archive ?? './archive'}\ndatabase: ${paths.database ?? './store.db'}\n` +
      `network: { allowPrivateNetworks: true, retries: 0, concurrency: 2 }\nmedia: { enabled: false }\nsources:\n${sources}\n`,
  );
  return config;
}

/** CliRun is what one run of the real CLI printed and how it ended. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** runRealCli runs `bin/newsmirror.js` (the built CLI) in a child process. */
export function runRealCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'bin/newsmirror.js'), ...args], {
      cwd: REPO,
      env: { ...process.env, NEWSMIRROR_CLOCK: CLOCK, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * mountTmpfs mounts a tmpfs on `dir` (read-only, or `size` bytes large) and returns how to unmount it,
 * or the reason it cannot: root ignores permission bits, so a read-only folder or a full disk has to be
 * a real mount, which needs root and a kernel that lets this process mount.
 */
export function mountTmpfs(dir: string, options: { readOnly?: boolean; size: string }): { unmount(): void } | { skip: string } {
  if (process.getuid?.() !== 0) return { skip: 'needs root to mount a tmpfs (a chmod-read-only folder is writable for root)' };
  const flags = [options.readOnly ? 'ro' : 'rw', `size=${options.size}`].join(',');
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', flags, 'tmpfs', dir], { encoding: 'utf8' });
  if (result.status !== 0) return { skip: `mount -t tmpfs failed: ${(result.stderr || result.error?.message || '').trim()}` };
  return {
    unmount: () => {
      spawnSync('umount', [dir]);
    },
  };
}

/** remountReadOnly turns a mounted tmpfs read-only in place (its files stay). */
export function remountReadOnly(dir: string): void {
  const result = spawnSync('mount', ['-o', 'remount,ro', dir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`mount -o remount,ro ${dir} failed: ${result.stderr}`);
}
