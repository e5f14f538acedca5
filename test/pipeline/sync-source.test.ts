/**
 * syncSource on its own (not through the CLI): a real SQLite store and archive in a temp dir, the real
 * HTTP client against a local server, and failures caused for real (a server answering 503 or HTML, a
 * missing page, a database that refuses writes or lost a column), each reported with its stage.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { createArchiveWriter } from '../../src/adapters/archive/index.js';
import { createHttpClient } from '../../src/adapters/http/index.js';
import { createStreamLogger } from '../../src/adapters/log/index.js';
import { openSqliteStore } from '../../src/adapters/store/sqlite/index.js';
import type { Source } from '../../src/core/model/index.js';
import type { Store } from '../../src/core/ports.js';
import { syncSource, type PipelineDeps } from '../../src/core/pipeline/index.js';
import { buildRss, type FeedItem } from '../helpers/corpus.js';
import { startServer, type FixtureServer } from '../helpers/fixture-server.js';
import { makeTempDir } from '../helpers/tmp.js';

const NOW = Date.UTC(2023, 9, 20, 12, 0);
const HOUR = 3_600_000;
const LONG_BODY = `<p>${'一段足够长的正文，不需要再去抓取原始页面。'.repeat(20)}</p>`;

describe('syncSource', () => {
  let temp: { dir: string; cleanup(): Promise<void> };
  let server: FixtureServer;
  let store: Store;
  let deps: PipelineDeps;
  let logged: string[];
  let feed: { status: number; type: string; body: string };

  beforeEach(async () => {
    temp = await makeTempDir();
    await mkdir(join(temp.dir, 'archive'));
    feed = { status: 200, type: 'application/rss+xml', body: '' };
    server = await startServer((req, res) => {
      if (req.url === '/feed.xml') return void res.writeHead(feed.status, { 'content-type': feed.type }).end(feed.body);
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>not here</body></html>');
    });
    store = openSqliteStore(join(temp.dir, 'store.db'), { busyTimeoutMs: 0 });
    logged = [];
    deps = {
      http: createHttpClient({ allowPrivateNetworks: true, retries: 0 }),
      store,
      archive: createArchiveWriter(join(temp.dir, 'archive')),
      clock: { now: () => NOW },
      logger: createStreamLogger((line) => logged.push(line)),
      timeZone: 'Asia/Shanghai',
    };
  });

  afterEach(async () => {
    await deps.http.close();
    await store.close();
    await server.close();
    await temp.cleanup();
  });

  const source = (): Source => ({ id: 'paper', name: '澎湃', url: `${server.url}/feed.xml`, enabled: true, guidPolicy: 'auto', fulltext: 'auto', intervalMinutes: 60 });

  const serve = (items: FeedItem[]): void => {
    feed = { status: 200, type: 'application/rss+xml', body: buildRss({ title: '澎湃', link: server.url }, items) };
  };

  const items = (): FeedItem[] => [
    { title: '第一篇', link: `${server.url}/news/1.html`, pubDate: NOW - HOUR, html: LONG_BODY },
    { title: '第二篇', link: `${server.url}/news/2.html`, pubDate: NOW - 2 * HOUR, html: LONG_BODY },
    { title: '只有摘要', link: `${server.url}/news/gone.html`, pubDate: NOW - 3 * HOUR, html: '<p>一句摘要……</p>' },
  ];

  it('SY-01 new, then unchanged, then edited; files written; a missing page is a fetch warning and the feed body is kept', async () => {
    serve(items());
    const first = await syncSource(deps, source());
    assert.equal(first.status, 'ok', JSON.stringify(first.errors));
    assert.deepEqual([first.fetchedItems, first.newArticles, first.editedArticles, first.unchangedArticles, first.failedItems], [3, 3, 0, 0, 0]);
    assert.equal(first.warnings.length, 1, first.warnings.join('\n'));
    assert.match(first.warnings[0] ?? '', /^fetch: .*404.*\(item http:\/\/127\.0\.0\.1:\d+\/news\/gone\.html\)$/);
    assert.ok(logged.some((line) => /^warn fetch: .*stage=fetch/.test(line)), logged.join(''));

    const ids = await store.listArticleIds('paper');
    const articles = await store.getArticles(ids);
    assert.equal(articles.length, 3);
    for (const article of articles) {
      assert.match(await readFile(join(temp.dir, 'archive', article.path), 'utf8'), new RegExp(article.title));
    }
    assert.deepEqual(await store.listPendingFiles('paper'), []);
    const summary = articles.find((article) => article.title === '只有摘要');
    assert.equal(summary?.method, 'feed');
    assert.match(summary?.bodyHtml ?? '', /一句摘要/);

    const again = await syncSource(deps, source());
    assert.deepEqual([again.newArticles, again.editedArticles, again.unchangedArticles, again.warnings.length], [0, 0, 3, 0]);

    const edited = items();
    edited[0] = { ...(edited[0] as FeedItem), title: '第一篇（更正）' };
    serve(edited);
    const third = await syncSource(deps, source());
    assert.deepEqual([third.newArticles, third.editedArticles, third.unchangedArticles], [0, 1, 2]);
    const before = articles.find((article) => article.title === '第一篇');
    const after = await store.getArticle(before?.id ?? '');
    assert.deepEqual([after?.version, after?.path, after?.title], [2, before?.path, '第一篇（更正）']);
    assert.match(await readFile(join(temp.dir, 'archive', before?.path ?? ''), 'utf8'), /第一篇（更正）/);
  });

  it('SY-02 a server error is stage fetch, a page that is not a feed stage parse; the source state records it', async () => {
    feed = { status: 503, type: 'text/plain', body: 'down' };
    const down = await syncSource(deps, source());
    assert.equal(down.status, 'failed');
    assert.deepEqual(
      down.errors.map((error) => [error.stage, error.code]),
      [['fetch', 'http-status']],
    );
    feed = { status: 200, type: 'text/html', body: '<!doctype html><html><body><p>维护中</p></body></html>' };
    const html = await syncSource(deps, source());
    assert.deepEqual(
      html.errors.map((error) => [error.stage, error.code]),
      [['parse', 'not-a-feed']],
    );
    const state = await store.getSourceState('paper');
    assert.deepEqual([state?.consecutiveFailures, state?.lastErrorCode], [2, 'not-a-feed']);
  });

  it('SY-03 a database that refuses the writes fails the source at stage store and writes no file', async () => {
    serve(items());
    const other = new Database(join(temp.dir, 'store.db'));
    other.exec("CREATE TRIGGER refuse_articles BEFORE INSERT ON articles BEGIN SELECT RAISE(ABORT, 'disk quota reached'); END");
    other.close();
    const report = await syncSource(deps, source());
    assert.equal(report.status, 'failed');
    assert.equal(report.errors.length, 1);
    assert.deepEqual([report.errors[0]?.stage, report.errors[0]?.code], ['store', 'store']);
    assert.match(report.errors[0]?.message ?? '', /disk quota reached/);
    assert.deepEqual(await store.listArticleIds(), []);
    assert.deepEqual(await deps.archive.list('articles'), []);
    assert.equal((await store.getSourceState('paper'))?.lastErrorCode, 'store');
  });

  it('SY-04 a database that cannot answer the known-articles read fails at stage store, not identify', async () => {
    serve(items());
    const other = new Database(join(temp.dir, 'store.db'));
    other.exec('ALTER TABLE articles RENAME COLUMN content_hash TO content_digest');
    other.close();
    const report = await syncSource(deps, source());
    assert.equal(report.status, 'failed');
    assert.deepEqual(
      report.errors.map((error) => error.stage),
      ['store'],
    );
    assert.match(report.errors[0]?.message ?? '', /content_hash/);
  });
});
