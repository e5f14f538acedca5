/**
 * Measures the SQLite store on the calls a sync makes, at the size of `npm run bench:sync`:
 * `npx tsx src/adapters/store/sqlite/testdata/measure-store.ts [sources=300] [items=50]`.
 * Cold: per source findByKeys, countPathsUnder, applyChanges (50 new), listPendingFiles, getArticle
 * for each, the list queries and markFilesWritten. Idle: findByKeys, touchSeen and the source state.
 * Bodies are ~5 KB of CJK HTML and the raw item repeats them, like feedx full-text items.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { articleId } from '../../../../core/identity/index.js';
import type { Article } from '../../../../core/model/index.js';
import type { ArticleChange } from '../../../../core/ports.js';
import { openSqliteStore } from '../index.js';

const SOURCES = Number(process.argv[2] ?? 300);
const ITEMS = Number(process.argv[3] ?? 50);
const PARAGRAPH = '<p>朝鲜国务委员长金正恩周四向来访的俄罗斯外长拉夫罗夫表示，认真落实朝俄首脑会谈达成的协议。</p>\n';

function sample(source: number, n: number): Article {
  const sourceId = `src${source}`;
  const key = `https://www.example${source}.com/cn/${n}`;
  const id = articleId(sourceId, key);
  return {
    id,
    sourceId,
    key,
    url: key,
    canonicalUrl: key,
    title: `标题 ${n}`,
    bodyHtml: PARAGRAPH.repeat(35 + (n % 20)),
    published: 1697796901000 + n * 60_000,
    dateMissing: false,
    firstSeen: 1697796901000,
    contentHash: `h${n}`,
    version: 1,
    path: `articles/${sourceId}/2023/10/20/${String(n).padStart(4, '0')}-${id}.md`,
    method: 'feed',
    authors: ['法广'],
    categories: ['国际'],
    lastSeen: 1697796901000,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'newsmirror-measure-store-'));
const store = openSqliteStore(join(dir, 'measure.db'));
const spent: Record<string, number> = {};
async function timed<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  spent[name] = (spent[name] ?? 0) + performance.now() - started;
  return result;
}
const show = (): string => Object.entries(spent).map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(', ');

try {
  let started = performance.now();
  for (let source = 0; source < SOURCES; source++) {
    const articles = Array.from({ length: ITEMS }, (_, n) => sample(source, n));
    const changes: ArticleChange[] = articles.map((article) => ({
      kind: 'new',
      article,
      raw: { articleId: article.id, version: 1, entryJson: JSON.stringify({ entry: { title: article.title, content: article.bodyHtml } }), fetchedFrom: 'x' },
    }));
    await timed('findByKeys', () => store.findByKeys(`src${source}`, articles.map((article) => article.key)));
    await timed('countPathsUnder', () => store.countPathsUnder(`articles/src${source}/2023/10/20`));
    await timed('applyChanges', () => store.applyChanges(changes));
    const pending = await timed('listPendingFiles', () => store.listPendingFiles(`src${source}`));
    for (const { id } of pending) await timed('getArticle', () => store.getArticle(id));
    await timed('lists', async () => {
      await store.listPathMonths(`src${source}`);
      await store.listArticles(`src${source}`, { limit: 300 });
    });
    await timed('markFilesWritten', () => store.markFilesWritten(pending));
    await timed('saveSourceState', () => store.saveSourceState({ sourceId: `src${source}`, consecutiveFailures: 0 }));
  }
  let ms = performance.now() - started;
  console.log(`cold: ${SOURCES * ITEMS} articles in ${ms.toFixed(0)} ms = ${((SOURCES * ITEMS) / (ms / 1000)).toFixed(0)} articles/s (${show()})`);
  for (const name of Object.keys(spent)) delete spent[name];
  started = performance.now();
  for (let source = 0; source < SOURCES; source++) {
    const keys = Array.from({ length: ITEMS }, (_, n) => sample(source, n).key);
    const found = await timed('findByKeys', () => store.findByKeys(`src${source}`, keys));
    await timed('touchSeen', () => store.touchSeen([...found.values()].map((article) => article.id), 1697800000000));
    await timed('sourceState', async () => {
      await store.getSourceState(`src${source}`);
      await store.saveSourceState({ sourceId: `src${source}`, consecutiveFailures: 0, etag: '"e"' });
    });
  }
  ms = performance.now() - started;
  console.log(`idle: ${SOURCES} sources × ${ITEMS} known keys in ${ms.toFixed(0)} ms (${show()})`);
  console.log(`peak RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
