/**
 * npm run bench:recheck — the load re-checks put on publishers and on this machine, for 100,000
 * archived articles (BENCH_ARTICLES).
 *
 * 1. Requests per hour the schedule makes (1 h, 6 h, 24 h, 3 d, 7 d, 30 d after first sight) when
 *    100,000 articles arrive every 30 days (the schedule's window; older articles cost nothing), counted
 *    hour by hour over one day. Peer: a NewsDiffs-style re-fetch of every article once a day.
 * 2. One pass against a local server (in this process): a SQLite store of the 100,000 articles, the
 *    due list read, then BENCH_PASS pages (default 5,000; 5 % answering 404) fetched, judged and
 *    written through recheckArticles with the default concurrency. Peer: the peak hour's requests, i.e.
 *    the share of an hour one pass of that size takes.
 */
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createHttpClient } from '../src/adapters/http/index.js';
import { openSqliteRecheckStore, openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { createArchiveWriter } from '../src/adapters/archive/index.js';
import { articleId } from '../src/core/identity/index.js';
import type { Article } from '../src/core/model/index.js';
import type { ArticleChange, Logger } from '../src/core/ports.js';
import { DEFAULT_RECHECK_SCHEDULE, parseDuration, recheckArticles, type RecheckPolicy } from '../src/core/recheck/index.js';
import { random } from './synthetic.js';

const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 100_000);
const PASS = Number(process.env.BENCH_PASS ?? 5_000);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2024, 5, 1);
const policy: RecheckPolicy = { stepsMs: DEFAULT_RECHECK_SCHEDULE.map((step) => parseDuration(step) ?? 0), confirmMs: 6 * HOUR, retryMs: HOUR };
const load = (): string => `load ${loadavg().map((value) => value.toFixed(1)).join(' ')}`;
const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

function scheduleLoad(): { mean: number; peak: number } {
  // Arrivals go on at the same rate past NOW, so the day measured sees the steady state of every step.
  const rand = random(13);
  const perHour = new Array<number>(24).fill(0);
  const arrivals = Math.round(ARTICLES * (32 / 30));
  for (let i = 0; i < arrivals; i++) {
    const seen = NOW - 31 * DAY + rand() * 32 * DAY;
    for (const step of policy.stepsMs) {
      const hour = Math.floor((seen + step - NOW) / HOUR);
      if (hour >= 0 && hour < 24) perHour[hour] = (perHour[hour] ?? 0) + 1;
    }
  }
  return { mean: perHour.reduce((sum, n) => sum + n, 0) / 24, peak: Math.max(...perHour) };
}

const PARAGRAPH = '据报道，有关部门于本周公布了最新的统计数据，引起了国内外观察人士的广泛关注和讨论。多位受访的学者表示，这些问题由来已久，需要从制度层面加以解决。';

function articleOf(n: number): { article: Article; change: ArticleChange } {
  const key = `http://127.0.0.1/a/${n}`;
  const id = articleId('bench', key);
  const seen = NOW - 2 * HOUR - n;
  const body = Array.from({ length: 6 }, (_, index) => `<p>第${n}篇第${index + 1}段。${PARAGRAPH}</p>`).join('\n');
  const article: Article = {
    id,
    sourceId: 'bench',
    key,
    url: key,
    canonicalUrl: key,
    title: `第${n}号报道`,
    bodyHtml: body,
    published: seen,
    dateMissing: false,
    firstSeen: seen,
    contentHash: `h${n}`,
    version: 1,
    path: `articles/bench/2024/05/31/${String(n % 10_000).padStart(4, '0')}-${id}.md`,
    method: 'generic',
    authors: [],
    categories: [],
    lastSeen: seen,
  };
  return { article, change: { kind: 'new', article, raw: { articleId: id, version: 1, entryJson: '{}', fetchedFrom: 'bench' } } };
}

async function passTime(): Promise<{ listMs: number; passMs: number; checked: number; gone: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'newsmirror-bench-recheck-'));
  const server = createServer((req, res) => {
    const n = Number(/\/a\/(\d+)$/.exec(req.url ?? '')?.[1] ?? -1);
    if (n % 20 === 0) {
      res.writeHead(404).end('gone');
      return;
    }
    const { article } = articleOf(n);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<html><head><title>${article.title}</title></head><body><article><h1>${article.title}</h1>${article.bodyHtml}</article></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const store = openSqliteStore(join(dir, 'store.db'));
  const recheck = openSqliteRecheckStore(join(dir, 'store.db'));
  const http = createHttpClient({ allowPrivateNetworks: true, retries: 0, perHost: 4, concurrency: 8 });
  try {
    for (let start = 0; start < ARTICLES; start += 5_000) {
      const changes = Array.from({ length: Math.min(5_000, ARTICLES - start) }, (_, index) => {
        const { change } = articleOf(start + index);
        change.article.url = change.article.url.replace('127.0.0.1', `127.0.0.1:${port}`);
        return change;
      });
      await store.applyChanges(changes);
    }
    await store.markFilesWritten(await store.listPendingFiles());
    const listStart = performance.now();
    const due = await recheck.listDue({ now: NOW, firstCheckAfterMs: HOUR, lastCheckAfterMs: 30 * DAY, limit: PASS });
    const listMs = performance.now() - listStart;
    const deps = { http, store, recheck, archive: createArchiveWriter(join(dir, 'archive')), clock: { now: () => NOW }, logger: quiet, timeZone: 'Asia/Shanghai' };
    const passStart = performance.now();
    const report = await recheckArticles(deps, { sources: [{ id: 'bench', name: 'bench', url: `http://127.0.0.1:${port}/feed.xml`, enabled: true, guidPolicy: 'auto', fulltext: 'feed', intervalMinutes: 60 }], policyOf: () => policy, limit: PASS, concurrency: 4 });
    const passMs = performance.now() - passStart;
    if (due.length !== report.checked) throw new Error(`due ${due.length}, checked ${report.checked}: ${JSON.stringify(report.failed.slice(0, 3))}`);
    return { listMs, passMs, checked: report.checked, gone: report.outcomes.gone };
  } finally {
    await http.close();
    await recheck.close();
    await store.close();
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
}


const schedule = scheduleLoad();
const daily = ARTICLES / 24;
console.log(`schedule (${ARTICLES} articles arriving every 30 days): ${schedule.mean.toFixed(0)} requests/h on average, ${schedule.peak} in the busiest hour (${load()})`);
console.log(`  peer, every article re-fetched daily: ${daily.toFixed(0)} requests/h → the schedule makes ${(schedule.mean / daily).toFixed(3)}× its requests`);
const pass = await passTime();
console.log(
  `one pass: due list of ${ARTICLES} articles read in ${pass.listMs.toFixed(0)} ms; ${pass.checked} pages (${pass.gone} gone) checked in ${(pass.passMs / 1000).toFixed(1)} s, ${((pass.checked / pass.passMs) * 1000).toFixed(0)} pages/s (${load()})`,
);
const peakHourMs = (schedule.peak / pass.checked) * pass.passMs;
console.log(`  peer, the busiest hour's ${schedule.peak} requests: ${(peakHourMs / 1000).toFixed(1)} s of work → ${(peakHourMs / HOUR).toFixed(4)}× the hour`);
