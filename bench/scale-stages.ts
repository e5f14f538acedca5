/**
 * npm run bench:scale-stages (node --no-concurrent-recompilation --import tsx bench/scale-stages.ts) — where a cold `worker --once`
 * of bench:scale's four spends its CPU,
 * without a server or a database: the pure stages of a sync (feed parse, identity, cleaning, the rest
 * of the plan) over the feeds one process of the four syncs (every fourth of bench:scale's 600 sources,
 * 1,500 articles), in a fresh process, then over the same feeds again with the code warm. Prints the
 * CPU milliseconds per article of each stage, cold and warm: the difference is V8 warming the code
 * up: interpreting it, then compiling and optimizing it. The flag makes V8 optimize on the main
 * thread, so that each function's compilation is counted in the stage that made it hot; without it
 * (`npx tsx bench/scale-stages.ts`, as the CLI runs) the compiler works on background threads and
 * its CPU lands on whichever stage runs meanwhile: the last line then gives the main thread's share
 * of the cold pass. BENCH_SOURCES and BENCH_ITEMS as in bench:scale.
 */
import { loadavg } from 'node:os';
import { FIXTURE_CORPUS, SHARED_CORPUS, buildRss, loadCorpusRows, rowToItem } from '../test/helpers/corpus.js';
import { parseFeed } from '../src/core/parse/index.js';
import { planIdentity } from '../src/core/identity/index.js';
import { cleanArticle } from '../src/core/clean/index.js';
import { planChanges } from '../src/core/pipeline/plan.js';
import { procTimes } from './proc.js';

const SOURCES = Number(process.env.BENCH_SOURCES ?? 600);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 10);
const PROCESSES = 4;

// The same feeds as bench/scale.ts's first window.
const corpus = SHARED_CORPUS.skip === false ? SHARED_CORPUS : FIXTURE_CORPUS;
const rows = loadCorpusRows(corpus).filter((row) => row.flags.length === 0 && typeof row.link === 'string' && row.link.startsWith('http'));
const feeds: { id: string; url: string; bytes: Buffer }[] = [];
for (let s = 0; s < SOURCES; s += PROCESSES) {
  const items = Array.from({ length: ITEMS }, (_, i) => {
    const row = rows[(s * ITEMS + i) % rows.length]!;
    return { ...rowToItem(row), link: `${row.link}${row.link.includes('?') ? '&' : '?'}scale=${s}-${i}` };
  });
  feeds.push({ id: `s${s}`, url: `http://127.0.0.1/feeds/s${s}.xml`, bytes: Buffer.from(buildRss({ title: `s${s}`, link: 'https://example.com/' }, items)) });
}

const STAGES = ['parse', 'identity', 'clean', 'plan'] as const;
type Spent = Record<(typeof STAGES)[number], number>;

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

// The main thread's task has the process's id.
function mainThreadMs(): number {
  const times = procTimes('self', process.pid);
  return times.user + times.system;
}

/** syncAll runs the pure stages of a sync of every feed, as a worker does for new articles, and returns each stage's CPU. */
function syncAll(now: number): { spent: Spent; articles: number } {
  const spent: Spent = { parse: 0, identity: 0, clean: 0, plan: 0 };
  let articles = 0;
  for (const feed of feeds) {
    let at = cpuMs();
    const lap = (stage: keyof Spent): void => {
      const next = cpuMs();
      spent[stage] += next - at;
      at = next;
    };
    const doc = parseFeed(feed.bytes, { url: feed.url, contentType: 'application/rss+xml; charset=utf-8' });
    lap('parse');
    const identity = planIdentity(feed.id, doc.entries, 'auto', undefined, { baseUrl: feed.url });
    lap('identity');
    const plan = planChanges({
      source: { id: feed.id, url: feed.url },
      entries: identity.entries,
      known: new Map(),
      folderCounts: new Map(),
      pages: new Map(),
      now,
      timeZone: 'Asia/Shanghai',
      fetchedFrom: feed.url,
      // The cleaning, timed apart from the rest of the plan (titles, paths, raw items).
      cleaned: (html, url) => {
        lap('plan');
        const cleaned = cleanArticle(html, { url, sourceId: feed.id }).html;
        lap('clean');
        return cleaned;
      },
    });
    lap('plan');
    articles += plan.added.length;
  }
  return { spent, articles };
}

const mainBefore = mainThreadMs();
const before = cpuMs();
const cold = syncAll(Date.now());
const coldTotal = cpuMs() - before;
const coldMain = mainThreadMs() - mainBefore;
const warm = syncAll(Date.now());
const perArticle = (ms: number, articles: number): string => (ms / articles).toFixed(3).padStart(7);
process.stdout.write(`bench:scale-stages: ${feeds.length} feeds × ${ITEMS} items (${corpus.name} corpus), one of ${PROCESSES} workers' share; CPU ms per article (load ${loadavg().map((n) => n.toFixed(2)).join(' ')})\n`);
process.stdout.write(`  stage       cold    warm\n`);
for (const stage of STAGES) process.stdout.write(`  ${stage.padEnd(9)} ${perArticle(cold.spent[stage], cold.articles)} ${perArticle(warm.spent[stage], warm.articles)}\n`);
const sum = (spent: Spent): number => STAGES.reduce((total, stage) => total + spent[stage], 0);
process.stdout.write(`  all       ${perArticle(sum(cold.spent), cold.articles)} ${perArticle(sum(warm.spent), warm.articles)}\n`);
process.stdout.write(`  cold pass: main thread ${perArticle(coldMain, cold.articles).trim()} of ${perArticle(coldTotal, cold.articles).trim()} ms per article (the rest is V8's compiler and GC threads)\n`);
