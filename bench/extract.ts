// npm run bench:extract — article extraction quality and speed on real pages with gold text.
//
// Runs newsmirror's extractArticle and, as the named peer, Mozilla Readability on linkedom over the
// extract-eval datasets (../shared/corpus/extract), in the same process and run, and scores both
// with extract-eval's own metric functions (CJK-aware 4-shingle F1, scrapinghub formula).
//   tsx bench/extract.ts [--datasets gne-zh,zh-cwced] [--limit N] [--no-peer] [--per-page out.tsv]
import { readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseDocument } from 'htmlparser2';
import { extractArticle } from '../src/core/extract/index.js';
import { blockText } from '../src/core/html/index.js';
import { SHARED_CORPUS, corpusPath } from '../test/helpers/corpus.js';

// The shared folder holds the corpus and, beside it, the evaluation tool.
const DATA = corpusPath(SHARED_CORPUS, 'extract');
const TOOL = resolve(SHARED_CORPUS.dir, '../tools/extract-eval/eval.mjs');
/** Datasets of Chinese news pages (the "Chinese news" target). */
const CHINESE_NEWS = ['gne-zh'];
/** Reference points from the extract-eval README; targets from issue 16 ("Ingest at the limit"). */
const REFERENCE = { f1: 0.945, ms: 22, targetPooled: 0.96, targetChinese: 0.97, targetMs: 10 };

type Tokenize = (text: string) => string[];
interface Metrics {
  f1: number;
  precision: number;
  recall: number;
}
interface EvalModule {
  evaluatePages(pages: { truth: string; pred: string }[], tokenize: Tokenize, nBootstrap?: number): Metrics;
  tokenizeCJK: Tokenize;
  tokenizeSH: Tokenize;
}
interface Page {
  dataset: string;
  id: string;
  url: string;
  html: string;
  truth: string;
}
interface Extractor {
  name: string;
  extract(html: string, url: string): string;
}
interface Run {
  name: string;
  preds: string[];
  ms: number[];
  /** CPU time per page: on a loaded machine wall time counts the waits for a core, CPU time does not. */
  cpuMs: number[];
}

function args(): { datasets?: string[]; limit: number; peer: boolean; perPage?: string } {
  const a = process.argv.slice(2);
  const value = (k: string): string | undefined => {
    const i = a.indexOf(k);
    return i >= 0 ? a[i + 1] : undefined;
  };
  return {
    datasets: value('--datasets')?.split(',').filter(Boolean),
    limit: Number(value('--limit') ?? 0),
    peer: !a.includes('--no-peer'),
    perPage: value('--per-page'),
  };
}

function loadPages(datasets: string[] | undefined, limit: number): Page[] {
  const names = readdirSync(DATA)
    .filter((d) => existsSync(join(DATA, d, 'ground-truth.json')))
    .filter((d) => !datasets || datasets.includes(d))
    .sort();
  const pages: Page[] = [];
  for (const dataset of names) {
    const gt = JSON.parse(readFileSync(join(DATA, dataset, 'ground-truth.json'), 'utf8')) as Record<string, { articleBody?: string; url?: string }>;
    let ids = Object.keys(gt);
    if (limit > 0) ids = ids.slice(0, limit);
    for (const id of ids) {
      const gz = join(DATA, dataset, 'html', `${id}.html.gz`);
      const html = existsSync(gz) ? gunzipSync(readFileSync(gz)).toString('utf8') : readFileSync(join(DATA, dataset, 'html', `${id}.html`), 'utf8');
      const item = gt[id] ?? {};
      pages.push({ dataset, id, url: item.url ?? `http://fakehost/${dataset}/${id}.html`, html, truth: item.articleBody ?? '' });
    }
  }
  return pages;
}

async function readabilityPeer(): Promise<Extractor> {
  const { parseHTML } = await import('linkedom');
  const { Readability } = await import('@mozilla/readability');
  return {
    name: 'Readability.js on linkedom',
    extract(html: string): string {
      const { document } = parseHTML(html);
      const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]).parse();
      return article?.content ? blockText(parseDocument(article.content)) : '';
    },
  };
}

function run(extractor: Extractor, pages: Page[]): Run {
  const first = pages[0];
  if (first) extractor.extract(first.html, first.url); // warm-up, as extract-eval does
  const preds: string[] = [];
  const ms: number[] = [];
  const cpuMs: number[] = [];
  for (const p of pages) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let pred = '';
    try {
      pred = extractor.extract(p.html, p.url);
    } catch (e) {
      console.error(`  ! ${extractor.name} ${p.dataset}/${p.id}: ${String(e).slice(0, 160)}`);
    }
    ms.push(performance.now() - t0);
    const cpu = process.cpuUsage(c0);
    cpuMs.push((cpu.user + cpu.system) / 1000);
    preds.push(pred);
  }
  return { name: extractor.name, preds, ms, cpuMs };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.max(0, Math.ceil(0.5 * s.length) - 1)] as number) : NaN;
}

async function main(): Promise<void> {
  const opts = args();
  const metric = (await import(pathToFileURL(TOOL).href)) as EvalModule;
  const pages = loadPages(opts.datasets, opts.limit);
  const ours: Extractor = { name: 'newsmirror extractArticle', extract: (html, url) => extractArticle(html, url).text };
  const runs = [run(ours, pages)];
  if (opts.peer) runs.push(run(await readabilityPeer(), pages));

  const score = (r: Run, filter: (p: Page) => boolean): Metrics =>
    metric.evaluatePages(
      pages.flatMap((p, i) => (filter(p) ? [{ truth: p.truth, pred: r.preds[i] ?? '' }] : [])),
      metric.tokenizeCJK,
      0,
    );
  const datasets = [...new Set(pages.map((p) => p.dataset))];
  const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : ' n/a ');
  console.log(`# ${pages.length} pages from ${DATA}; metric: extract-eval cjk-aware shingle F1 (${TOOL})`);
  // The machine is shared: the load average tells how much the ms/page column can be trusted.
  console.log(`# load average ${loadavg().map((x) => x.toFixed(2)).join(', ')} (1, 5, 15 min)`);
  console.log(['extractor'.padEnd(28), ...datasets.map((d) => d.padStart(18)), 'pooled'.padStart(8), 'P'.padStart(6), 'R'.padStart(6), 'zh-news'.padStart(8), 'ms med'.padStart(7), 'cpu med'.padStart(8)].join(' '));
  for (const r of runs) {
    const cells = datasets.map((d) => f(score(r, (p) => p.dataset === d).f1).padStart(18));
    const pooled = score(r, () => true);
    const zh = score(r, (p) => CHINESE_NEWS.includes(p.dataset)).f1;
    console.log(
      [r.name.padEnd(28), ...cells, f(pooled.f1).padStart(8), f(pooled.precision).padStart(6), f(pooled.recall).padStart(6), f(zh).padStart(8), median(r.ms).toFixed(1).padStart(7), median(r.cpuMs).toFixed(1).padStart(8)].join(' '),
    );
  }
  const [mine, peer] = runs as [Run, Run | undefined];
  const minePooled = score(mine, () => true).f1;
  const mineZh = score(mine, (p) => CHINESE_NEWS.includes(p.dataset)).f1;
  const mineMs = median(mine.ms);
  console.log(
    `reference: Readability.js on linkedom ≈${REFERENCE.f1} pooled at ≈${REFERENCE.ms} ms/page; targets ≥${REFERENCE.targetPooled} pooled, ≥${REFERENCE.targetChinese} Chinese news, ≤${REFERENCE.targetMs} ms/page`,
  );
  if (peer) {
    const peerPooled = score(peer, () => true).f1;
    console.log(
      `ratio vs peer (same run): F1 ${(minePooled / peerPooled).toFixed(3)}x, speed ${(median(peer.ms) / mineMs).toFixed(2)}x faster (CPU time ${(median(peer.cpuMs) / median(mine.cpuMs)).toFixed(2)}x)`,
    );
  }
  console.log(`ratio vs reference: F1 ${(minePooled / REFERENCE.f1).toFixed(3)}x, speed ${(REFERENCE.ms / mineMs).toFixed(2)}x faster`);
  console.log(
    `extract: F1 ${f(minePooled)} pooled, ${f(mineZh)} Chinese news (${CHINESE_NEWS.join(',')}), ${mineMs.toFixed(1)} ms/page median (${median(mine.cpuMs).toFixed(1)} ms CPU) — ` +
      (minePooled >= REFERENCE.targetPooled && mineZh >= REFERENCE.targetChinese && mineMs <= REFERENCE.targetMs ? 'targets met' : 'TARGETS NOT MET'),
  );
  if (opts.perPage) {
    const cells = (p: Page, r: Run, i: number): string[] => {
      const m = metric.evaluatePages([{ truth: p.truth, pred: r.preds[i] ?? '' }], metric.tokenizeCJK, 0);
      return [f(m.f1), f(m.precision), f(m.recall)];
    };
    const rows = pages.map((p, i) => [p.dataset, p.id, ...runs.flatMap((r) => cells(p, r, i))].join('\t'));
    const header = ['dataset', 'id', ...runs.flatMap((r) => [`${r.name} F1`, 'P', 'R'])];
    writeFileSync(opts.perPage, [header.join('\t'), ...rows].join('\n') + '\n');
  }
}

await main();
