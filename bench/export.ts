/**
 * bench: export-site at scale: export time, site size, the bytes one query loads, query latency in
 * Chromium through file://, and the totals checked against the server's index on the same store.
 *
 * Articles are generated from the real corpus (the shared corpus's dutymachine/articles.jsonl) as
 * bench/search.ts does: a real article's title and paragraphs, about one paragraph in seven swapped
 * for a paragraph of another article, its own id, source and date (2015–2025, ascending).
 *
 * Printed: export seconds (first run, then a second run that should write nothing), files and MB of
 * the site and of its search data, then per query: the site's total beside the server index's exact total, the
 * bytes and files the query loads, and its latency in Chromium (median of 3 page loads, time until
 * `data-total` is shown). Pagefind, the anchor of issue 15, is not a dependency of this project and is
 * not measured here.
 *
 * Usage: npm run bench:export                (100,000 articles)
 *        BENCH_SIZE=10000 npm run bench:export
 * The store and the site are kept in bench/.out/export-<size>/ (delete it to rebuild).
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createArchiveWriter } from '../src/adapters/archive/index.js';
import { openSqliteSearchIndex } from '../src/adapters/search/index.js';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { bundleSearchScript } from '../src/site/bundle.js';
import { exportSite } from '../src/site/export.js';
import { removeSiteFile } from '../src/main/site.js';
import { asNewChanges } from '../test/helpers/web-articles.js';
import { launchChromium } from '../test/helpers/chromium.js';
import { loadCorpusArticles, synthesizeArticle, type CorpusArticle } from './synthetic.js';

const SIZE = Number(process.env.BENCH_SIZE ?? 100_000);
const OUT = join(dirname(fileURLToPath(import.meta.url)), '.out', `export-${SIZE}`);
const SITE = join(OUT, 'site');
const QUERIES = ['朝鲜', '香港', '国安法', '特朗普', '拉夫罗夫', 'Trump', '"Hong Kong"', '港', '中国'];

const SOURCES = [
  { id: 'rfi', name: '法广', corpus: ['法广 RFI', '法广'] },
  { id: 'reuters', name: '路透', corpus: ['路透'] },
  { id: 'voa', name: '美国之音', corpus: ['美国之音'] },
  { id: 'dw', name: '德国之声', corpus: ['德国之声'] },
  { id: 'cdt', name: '中国数字时代', corpus: ['中国数字时代'] },
  { id: 'ft', name: '金融时报', corpus: ['金融时报'] },
  { id: 'rfa', name: '自由亚洲电台', corpus: ['自由亚洲电台'] },
  { id: 'bbc', name: 'BBC', corpus: ['BBC'] },
  { id: 'nyt', name: '纽约时报', corpus: ['纽约时报'] },
].map((source) => ({ ...source, url: `https://feedx.test/${source.id}.xml` }));


function loadCorpus(): CorpusArticle[] {
  const byName = new Map(SOURCES.flatMap((source) => source.corpus.map((name) => [name, source.id] as const)));
  return loadCorpusArticles((site) => byName.get(site) ?? 'bbc');
}

function walk(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      const inner = walk(join(dir, entry.name));
      files += inner.files;
      bytes += inner.bytes;
    } else {
      files++;
      bytes += statSync(join(dir, entry.name)).size;
    }
  }
  return { files, bytes };
}

const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);

async function main(): Promise<void> {
  mkdirSync(SITE, { recursive: true });
  const dbFile = join(OUT, 'store.db');
  const fresh = !existsSync(dbFile);
  const store = openSqliteStore(dbFile);
  // Exact totals: by default the server estimates totals beyond 10,000 matches.
  const search = openSqliteSearchIndex(dbFile, { exactTotalUpTo: Infinity });
  if (fresh) {
    const corpus = loadCorpus();
    const pool = corpus.flatMap((article) => article.paragraphs);
    const started = performance.now();
    for (let start = 0; start < SIZE; start += 2000) {
      const batch = Array.from({ length: Math.min(2000, SIZE - start) }, (_, offset) => synthesizeArticle(corpus, pool, start + offset, SIZE));
      await store.applyChanges(asNewChanges(batch));
      await search.index(batch);
    }
    console.log(`store: ${SIZE} articles generated in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  console.log(`machine: ${cpus().length} cores, load ${loadavg().map((load) => load.toFixed(1)).join(' ')}`);
  const deps = {
    store,
    sources: SOURCES.map(({ id, name, url }) => ({ id, name, url })),
    timeZone: 'Asia/Shanghai',
    clock: { now: () => Date.UTC(2025, 0, 1) },
    out: createArchiveWriter(SITE),
    readMedia: async () => undefined,
    searchScript: await bundleSearchScript(),
    remove: (path: string) => removeSiteFile(SITE, path),
  };
  for (const run of ['export', 'second export']) {
    const started = performance.now();
    const report = await exportSite(deps);
    console.log(`${run}: ${((performance.now() - started) / 1000).toFixed(0)} s, ${report.articles} articles, ${report.files} files, ${report.written} written`);
  }
  const whole = walk(SITE);
  const data = walk(join(SITE, 'search'));
  console.log(`site: ${whole.files} files, ${mb(whole.bytes)} MB; search data: ${data.files} files, ${mb(data.bytes)} MB`);

  const browser = await launchChromium();
  const page = await browser.newPage();
  const requested = new Set<string>();
  page.on('request', (request) => {
    if (request.url().includes('/search/')) requested.add(fileURLToPath(request.url()));
  });
  console.log('\nquery                 site total  /api total  loads (files, KB)   latency (ms, median of 3)');
  for (const q of QUERIES) {
    const times: number[] = [];
    let total = -1;
    requested.clear();
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      await page.goto(`${pathToFileURL(join(SITE, 'search.html')).href}?q=${encodeURIComponent(q)}`);
      const status = page.locator('#search-status[data-total]');
      await status.waitFor({ timeout: 120_000 });
      times.push(performance.now() - started);
      total = Number(await status.getAttribute('data-total'));
    }
    const bytes = [...requested].reduce((sum, file) => sum + statSync(file).size, 0);
    const server = await search.search({ q, order: 'newest', limit: 1 });
    times.sort((a, b) => a - b);
    console.log(
      `${q.padEnd(20)} ${String(total).padStart(10)}  ${String(server.total).padStart(10)}  ${String(requested.size).padStart(6)}, ${(bytes / 1024).toFixed(0).padStart(8)}   ${(times[1] ?? 0).toFixed(0).padStart(8)}${total === server.total ? '' : '   MISMATCH'}`,
    );
  }
  console.log('(the files a query loads include the manifest and the titles of the shown results)');
  await browser.close();
  await search.close();
  await store.close();
}

await main();
