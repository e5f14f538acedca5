/**
 * bench: export-site at scale: export time, site size, the bytes one query loads, query latency in
 * Chromium through file://, and the totals checked against the server's index on the same store.
 *
 * Articles are generated from the real corpus (the shared corpus's dutymachine/articles.jsonl) as
 * bench/search.ts does: a real article's title and paragraphs, about one paragraph in seven swapped
 * for a paragraph of another article, its own id, source and date (2015–2025, ascending).
 *
 * Printed: export seconds (first run, then a second run that should write nothing), files and MB of
 * the site and of its search data, then per query: the site's total beside the server index's exact
 * total, the bytes and files the query loads (with the snippets of the first page of results), and its
 * latency in Chromium through file:// (median of 3 page loads, until the results are shown).
 *
 * Pagefind, the peer of issue 15 (devDependency `pagefind`, its extended binary, which segments
 * Chinese), indexes the same exported article pages (`<main>`, 简体 pages only). Its search script
 * loads its index with fetch() and WebAssembly, which Chromium refuses from file://, so it is queried
 * over HTTP from 127.0.0.1: its index time and size, then per query its total, the bytes it loads and
 * its latency (same method). Queries include Chinese names of two to four characters, which a
 * segmenter may split or glue to their neighbours, against /api/search's exact totals. Pagefind keeps
 * its whole index in memory: it is stopped past BENCH_PAGEFIND_GB resident (default 12, on a machine
 * shared with other work), and then indexes the first 32,768, 16,384 or 8,192 article pages instead.
 *
 * Usage: npm run bench:export                     (20,000 articles)
 *        BENCH_SIZE=100000 npm run bench:export   (the size of issue 15; about an hour on a loaded machine)
 *        BENCH_PAGEFIND_GB=20 …                    (let Pagefind take more memory)
 * The store, the site and Pagefind's index are kept in bench/.out/export-<size>/ (delete it to rebuild).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
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

const SIZE = Number(process.env.BENCH_SIZE ?? 20_000);
const OUT = join(dirname(fileURLToPath(import.meta.url)), '.out', `export-${SIZE}`);
const SITE = join(OUT, 'site');
const QUERIES = ['朝鲜', '香港', '国安法', '特朗普', '拉夫罗夫', 'Trump', '"Hong Kong"', '港', '中国'];
/** Names of people and places, two to four characters: what a word segmenter may cut or glue. */
const NAMES = ['拜登', '普京', '王毅', '彭斯', '习近平', '蔡英文', '李克强', '黎智英', '蓬佩奥', '金正恩', '林郑月娥', '马克龙', '默克尔', '赵立坚', '华春莹', '莫迪'];
const PAGEFIND = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '@pagefind', 'linux-x64', 'bin', 'pagefind_extended');
/** PAGEFIND_MAX_RSS stops Pagefind before it takes the memory of the other work on the machine (BENCH_PAGEFIND_GB, default 12). */
const PAGEFIND_MAX_RSS = Number(process.env.BENCH_PAGEFIND_GB ?? 12) * 1e9;
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' };

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
const load = (): string => loadavg().map((value) => value.toFixed(1)).join(' ');

/** serve serves the site over HTTP (Pagefind cannot run from file://), counting the bytes of each path under /pagefind/. */
async function serve(root: string, served: Map<string, number>): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    if (path === '/blank') {
      response.writeHead(200, { 'content-type': TYPES['.html'] as string });
      response.end('<!doctype html><title>bench</title>');
      return;
    }
    try {
      const body = readFileSync(join(root, path));
      if (path.startsWith('/pagefind/')) served.set(path, body.length);
      response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, origin: `http://127.0.0.1:${address.port}` };
}

/**
 * runPagefind indexes the pages of `glob`, stopped when its resident memory passes PAGEFIND_MAX_RSS: the
 * machine is shared, and Pagefind holds its whole index in memory (4.7 GB at 20,000 pages).
 */
async function runPagefind(glob: string): Promise<{ ok: boolean; seconds: number; peak: number }> {
  const started = performance.now();
  const child = spawn(PAGEFIND, ['--site', SITE, '--glob', glob, '--root-selector', 'main', '--quiet'], { stdio: 'inherit' });
  let peak = 0;
  let stopped = false;
  const watch = setInterval(() => {
    try {
      const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
      peak = Math.max(peak, rss);
      if (rss > PAGEFIND_MAX_RSS && !stopped) {
        stopped = true;
        child.kill('SIGKILL');
      }
    } catch {
      // The process has just ended.
    }
  }, 500);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(watch);
  return { ok: code === 0 && !stopped, seconds: (performance.now() - started) / 1000, peak };
}

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
    out: createArchiveWriter(SITE, { syncFiles: false }),
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
  console.log(`\nnewsmirror site through file:// (load ${load()})`);
  console.log('query                 site total  /api total  loads (files, KB)   latency (ms, median of 3)');
  const ours = new Map<string, { total: number; bytes: number; ms: number }>();
  const exact = new Map<string, number>();
  for (const q of [...QUERIES, ...NAMES]) {
    const times: number[] = [];
    let total = -1;
    requested.clear();
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      await page.goto(`${pathToFileURL(join(SITE, 'search.html')).href}?q=${encodeURIComponent(q)}`);
      const status = page.locator('#search-status[data-total]');
      await status.waitFor({ timeout: 120_000 });
      total = Number(await status.getAttribute('data-total'));
      if (total > 0) await page.locator('#search-results li .snippet').first().waitFor({ timeout: 120_000 });
      times.push(performance.now() - started);
    }
    const bytes = [...requested].reduce((sum, file) => sum + statSync(file).size, 0);
    const server = await search.search({ q, order: 'newest', limit: 1 });
    times.sort((a, b) => a - b);
    ours.set(q, { total, bytes, ms: times[1] ?? 0 });
    exact.set(q, server.total);
    console.log(
      `${q.padEnd(20)} ${String(total).padStart(10)}  ${String(server.total).padStart(10)}  ${String(requested.size).padStart(6)}, ${(bytes / 1024).toFixed(0).padStart(8)}   ${(times[1] ?? 0).toFixed(0).padStart(8)}${total === server.total ? '' : '   MISMATCH'}`,
    );
  }
  console.log('(the files a query loads include the manifest, and the titles and snippet texts of the first 20 results)');

  // Pagefind on the same article pages.
  const pagefindDir = join(SITE, 'pagefind');
  if (!existsSync(join(pagefindDir, 'pagefind.js'))) {
    const full = await runPagefind('articles/**/*.html');
    console.log(`\npagefind, all ${SIZE} article pages: ${full.ok ? 'indexed' : `stopped at ${(PAGEFIND_MAX_RSS / 1e9).toFixed(0)} GB resident`} in ${full.seconds.toFixed(0)} s, peak ${(full.peak / 1e9).toFixed(1)} GB (load ${load()})`);
    // The synthetic ids are `g` and the article's number in base 32 on 15 digits: these globs are the
    // first 32,768, 16,384 and 8,192 articles (a first digit of three below 32, 16, 8).
    const parts: [string, string][] = [
      ['32,768', 'articles/g0/g000000000000*.html'],
      ['16,384', 'articles/g0/g000000000000[0-9a-f]*.html'],
      ['8,192', 'articles/g0/g000000000000[0-7]*.html'],
    ];
    for (const [count, glob] of full.ok ? [] : parts) {
      const part = await runPagefind(glob);
      console.log(`pagefind, the first ${count} article pages: ${part.ok ? 'indexed' : 'stopped too'} in ${part.seconds.toFixed(0)} s, peak ${(part.peak / 1e9).toFixed(1)} GB (load ${load()})${part.ok ? '; its totals below are of those pages only' : ''}`);
      if (part.ok) break;
    }
  }
  const index = walk(pagefindDir);
  console.log(`pagefind index: ${index.files} files, ${mb(index.bytes)} MB`);
  const served = new Map<string, number>();
  const { server, origin } = await serve(SITE, served);
  const pf = await browser.newPage();
  console.log(`\npagefind over http://127.0.0.1 (load ${load()})`);
  console.log('query                 pagefind  /api total  loads (files, KB)   latency (ms, median of 3)   newsmirror: total, KB, ms');
  let namesFound = 0;
  let namesExact = 0;
  for (const q of [...QUERIES, ...NAMES]) {
    const times: number[] = [];
    let total = -1;
    served.clear();
    for (let run = 0; run < 3; run++) {
      // A page of the same origin without the site's CSP, which forbids the WebAssembly Pagefind compiles.
      await pf.goto(`${origin}/blank`);
      const started = performance.now();
      // Each result's data (title, excerpt) is one more fetch: the first 20 are loaded, as a results page shows them.
      total = Number(
        await pf.evaluate(
          `(async () => { const pagefind = await import('/pagefind/pagefind.js'); await pagefind.init(); const found = await pagefind.search(${JSON.stringify(q)}); await Promise.all(found.results.slice(0, 20).map((result) => result.data())); return found.results.length; })()`,
        ),
      );
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const bytes = [...served.values()].reduce((sum, size) => sum + size, 0);
    const mine = ours.get(q);
    const server = exact.get(q) ?? -1;
    if (NAMES.includes(q)) {
      if (total > 0) namesFound++;
      if (total === server) namesExact++;
    }
    console.log(
      `${q.padEnd(20)} ${String(total).padStart(8)}  ${String(server).padStart(10)}  ${String(served.size).padStart(6)}, ${(bytes / 1024).toFixed(0).padStart(8)}   ${(times[1] ?? 0).toFixed(0).padStart(8)}                    ${mine?.total ?? '?'}, ${((mine?.bytes ?? 0) / 1024).toFixed(0)}, ${(mine?.ms ?? 0).toFixed(0)}`,
    );
  }
  const oursExact = NAMES.filter((q) => ours.get(q)?.total === exact.get(q)).length;
  console.log(`names: pagefind finds the exact total for ${namesExact} of ${NAMES.length} (finds something for ${namesFound}); newsmirror for ${oursExact} of ${NAMES.length}`);
  server.close();
  await browser.close();
  await search.close();
  await store.close();
}

await main();
