/**
 * Liveness is not freshness (issue 11): a news site that went quiet makes /health answer 503 (for
 * monitors), while /healthz stays 200 as long as the process and the store answer, so an orchestrator
 * never restarts a healthy server; /metrics exposes the same facts to Prometheus. In-process with
 * `app.request()` over a store the real CLI filled, and through the real `serve`.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readConfig } from '../../src/config/index.js';
import { openReaderContext, type ReaderContext } from '../../src/main/context.js';
import { createReaderApp } from '../../src/main/web.js';
import { startServer, type FixtureServer } from '../helpers/fixture-server.js';
import { makeTempDir } from '../helpers/tmp.js';
import { buildFeed, CLOCK, REPO, runRealCli } from './machine-helpers.js';

const SILENT = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
// Ten days after the sync: the quiet source's newest item (October 2023) is long stale by then.
const LATER = Number(CLOCK) + 10 * 24 * 3600 * 1000;

/** parseExposition reads Prometheus text lines into `name{labels}` → value, checking every line's shape. */
function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const match = /^([a-z_]+)(\{[^}]*\})? (-?[0-9.e+-]+|NaN)$/.exec(line);
    assert.ok(match, `a valid exposition line: ${JSON.stringify(line)}`);
    samples.set(`${match[1]}${match[2] ?? ''}`, Number(match[3]));
  }
  return samples;
}

describe('liveness, freshness and metrics', () => {
  let temp: { dir: string; cleanup(): Promise<void> };
  let feeds: FixtureServer;
  let config: string;

  before(async () => {
    temp = await makeTempDir('newsmirror-liveness-');
    const quiet = buildFeed('quiet', 12);
    feeds = await startServer((req, res) => {
      if (req.url === '/feeds/quiet.xml') res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(quiet);
      else res.writeHead(503).end('down for maintenance');
    });
    await mkdir(temp.dir, { recursive: true });
    config = join(temp.dir, 'newsmirror.yaml');
    await writeFile(
      config,
      `archive: ./archive\ndatabase: ./store.db\nnetwork: { allowPrivateNetworks: true, retries: 0 }\nmedia: { enabled: true }\nsources:\n` +
        `  - { id: quiet, name: Quiet, url: "${feeds.url}/feeds/quiet.xml", fulltext: feed }\n` +
        `  - { id: broken, name: Broken, url: "${feeds.url}/feeds/broken.xml", fulltext: feed }\n`,
    );
    const sync = await runRealCli(['sync', '--config', config]);
    assert.equal(sync.code, 1, 'the broken source fails');
  });
  after(async () => {
    await feeds.close();
    await temp.cleanup();
  });

  async function openApp(now: number): Promise<{ app: ReturnType<typeof createReaderApp>; context: ReaderContext }> {
    const context = await openReaderContext(await readConfig(config), { logger: SILENT, clock: { now: () => now } });
    return { app: createReaderApp(context), context };
  }

  it('LIVE-01 a stale and a failing source: /health says 503, /healthz still 200 {ok:true}', async () => {
    const { app, context } = await openApp(LATER);
    try {
      const health = await app.request('/health');
      assert.equal(health.status, 503);
      const verdict = (await health.json()) as { sources: { id: string; status: string }[] };
      assert.deepEqual(
        verdict.sources.map((source) => [source.id, source.status]),
        [
          ['quiet', 'stale'],
          ['broken', 'failing'],
        ],
      );
      const live = await app.request('/healthz');
      assert.equal(live.status, 200);
      assert.deepEqual(await live.json(), { ok: true });
      assert.equal(live.headers.get('cache-control'), 'no-store');
    } finally {
      await context.close();
    }
  });

  it('LIVE-02 /healthz answers 503 once the store does not answer', async () => {
    const { app, context } = await openApp(LATER);
    await context.close();
    const live = await app.request('/healthz');
    assert.equal(live.status, 503);
    const body = (await live.json()) as { ok: boolean; error: string };
    assert.equal(body.ok, false);
    assert.ok(body.error.length > 0);
  });

  it('LIVE-03 /metrics: per source state, articles, last success age, fetch errors by code, images missing; last run durations and errors', async () => {
    const { app, context } = await openApp(LATER);
    try {
      const response = await app.request('/metrics');
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      const samples = parseExposition(await response.text());
      assert.equal(samples.get('newsmirror_source_state{source="quiet",state="stale"}'), 1);
      assert.equal(samples.get('newsmirror_source_state{source="quiet",state="ok"}'), 0);
      assert.equal(samples.get('newsmirror_source_state{source="broken",state="failing"}'), 1);
      assert.equal(samples.get('newsmirror_source_articles{source="quiet"}'), 12);
      assert.equal(samples.get('newsmirror_source_articles{source="broken"}'), 0);
      assert.equal(samples.get('newsmirror_source_last_success_age_seconds{source="quiet"}'), 10 * 24 * 3600);
      assert.equal(samples.has('newsmirror_source_last_success_age_seconds{source="broken"}'), false, 'no age before a first success');
      assert.equal(samples.get('newsmirror_source_fetch_errors{source="broken",code="http-status"}'), 1);
      assert.equal(samples.get('newsmirror_source_fetch_errors{source="quiet",code="none"}'), 0);
      assert.equal(samples.get('newsmirror_images_missing{source="quiet"}'), 0);
      assert.equal(samples.get('newsmirror_last_run_errors{source="broken",stage="fetch",code="http-status"}'), 1);
      assert.equal(samples.get('newsmirror_last_run_duration_seconds'), 0, 'the sync ran on a frozen clock');
      assert.equal(samples.get('newsmirror_last_run_finished_timestamp_seconds'), Number(CLOCK) / 1000);
      assert.ok(samples.has('newsmirror_last_run_source_duration_seconds{source="quiet"}'));
    } finally {
      await context.close();
    }
  });

  it('LIVE-04 through the real `serve`: /healthz 200, /health 503, /metrics in the Prometheus format', async (t) => {
    const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [join(REPO, 'bin/newsmirror.js'), 'serve', '--config', config, '--port', '0'], {
      cwd: REPO,
      env: { ...process.env, NEWSMIRROR_CLOCK: String(LATER) },
    });
    t.after(() => {
      if (child.exitCode === null) child.kill('SIGTERM');
    });
    const base = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const url = /serving (http:\/\/\S+?)\/ /.exec(out)?.[1];
        if (url) resolve(url);
      });
      child.on('error', reject);
      child.on('close', (code) => reject(new Error(`serve exited with ${code}`)));
    });
    const live = await fetch(`${base}/healthz`);
    assert.equal(live.status, 200);
    assert.deepEqual(await live.json(), { ok: true });
    assert.equal((await fetch(`${base}/health`)).status, 503);
    const metrics = await fetch(`${base}/metrics`);
    assert.equal(metrics.status, 200);
    const samples = parseExposition(await metrics.text());
    assert.equal(samples.get('newsmirror_source_state{source="quiet",state="stale"}'), 1);
    const closed = new Promise((resolve) => child.once('close', resolve));
    child.kill('SIGTERM');
    await closed;
  });
});
