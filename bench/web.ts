/**
 * Measures the reader's routes at archive scale: N articles (default 100,000) cloned from the real
 * corpus into a SQLite file, then p50 / p95 of in-process requests per route.
 *
 *   npm run bench:web -- [articles]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteSearchIndex } from '../src/adapters/search/index.js';
import { openSqliteStore } from '../src/adapters/store/sqlite/index.js';
import { articleId } from '../src/core/identity/index.js';
import { articlePath } from '../src/core/render/index.js';
import { createWebApp } from '../src/web/app.js';
import { SHARED_CORPUS } from '../test/helpers/corpus.js';
import { CORPUS_SOURCES, asNewChanges, readCorpusArticles } from '../test/helpers/web-articles.js';

const total = Number(process.argv[2] ?? 100_000);
const root = await mkdtemp(join(tmpdir(), 'newsmirror-measure-web-'));
try {
  const seed = readCorpusArticles(SHARED_CORPUS, { perSource: 400 });
  const store = openSqliteStore(join(root, 'store.db'));
  const started = performance.now();
  for (let offset = 0; offset < total; offset += 5000) {
    const batch = [];
    for (let n = offset; n < Math.min(total, offset + 5000); n++) {
      const base = seed[n % seed.length]!;
      const key = `${base.key}#${n}`;
      const id = articleId(base.sourceId, key);
      const published = base.published - Math.floor(n / seed.length) * 3_600_000;
      batch.push({ ...base, id, key, published, path: articlePath(base.sourceId, published, id, 'Asia/Shanghai') });
    }
    await store.applyChanges(asNewChanges(batch));
  }
  console.log(`stored ${total} articles in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const search = openSqliteSearchIndex(join(root, 'store.db'));
  const app = createWebApp({ store, search, sources: CORPUS_SOURCES, timeZone: 'Asia/Shanghai' });
  const some = (await store.listRecentArticles({ limit: 1 }))[0]!;
  const deep = (await store.listArticles('rfi', { limit: 5000 })).at(-1)!;
  const cursor = Buffer.from(`${deep.published}.${deep.id}`).toString('base64url');
  const routes = ['/', '/?variant=hant', '/sources/rfi', `/sources/rfi?before=${cursor}`, `/articles/${some.id}`, `/articles/${some.id}?variant=hant`, '/api/articles?limit=50', `/api/articles?limit=50&source=rfi&cursor=${cursor}`, '/feeds/all.xml', '/feeds/rfi.atom', '/health', '/api/sources'];
  for (const route of routes) {
    const times: number[] = [];
    for (let run = 0; run < 30; run++) {
      const t = performance.now();
      const response = await app.request(route);
      await response.arrayBuffer();
      if (response.status !== 200 && response.status !== 503) throw new Error(`${route} → ${response.status}`);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const at = (q: number): string => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
    console.log(`${route.slice(0, 60).padEnd(62)} p50 ${at(0.5).padStart(7)} ms  p95 ${at(0.95).padStart(7)} ms`);
  }
  await search.close();
  await store.close();
} finally {
  await rm(root, { recursive: true, force: true });
}
