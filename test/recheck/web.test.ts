/**
 * The reader's removal pieces over a real SQLite store and re-check store: the notice on the article
 * page, /removed, /api/removed and /feeds/removed.*, and nothing of it for an article that came back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { articleId } from '../../src/core/identity/index.js';
import type { Article, Removal } from '../../src/core/model/index.js';
import type { RecheckStore, Store } from '../../src/core/ports.js';
import { openSqliteRecheckStore, openSqliteStore } from '../../src/adapters/store/sqlite/index.js';
import { openSqliteSearchIndex } from '../../src/adapters/search/index.js';
import { createWebApp } from '../../src/web/index.js';
import { makeTempDir } from '../helpers/tmp.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 2, 1, 4, 0);

function sample(n: number): Article {
  const key = `https://news.example/a/${n}`;
  const id = articleId('pub', key);
  return {
    id,
    sourceId: 'pub',
    key,
    url: key,
    canonicalUrl: key,
    title: `第${n}号报道`,
    bodyHtml: `<p>第${n}号报道的正文，保存在镜像里。</p>`,
    published: T0 + n * 60_000,
    dateMissing: false,
    firstSeen: T0 + n * 60_000,
    contentHash: `h${n}`,
    version: 1,
    path: `articles/pub/2024/03/01/120${n}-${id}.md`,
    method: 'feed',
    authors: [],
    categories: [],
    lastSeen: T0 + n * 60_000,
  };
}

describe('reader: removals', () => {
  let temp: { dir: string; cleanup(): Promise<void> };
  let store: Store;
  let recheck: RecheckStore;
  let app: ReturnType<typeof createWebApp>;
  const removed = sample(1);
  const back = sample(2);
  const kept = sample(3);

  before(async () => {
    temp = await makeTempDir('newsmirror-removed-web-');
    const file = join(temp.dir, 'store.db');
    store = openSqliteStore(file);
    recheck = openSqliteRecheckStore(file);
    await store.applyChanges([removed, back, kept].map((article) => ({ kind: 'new', article, raw: { articleId: article.id, version: 1, entryJson: '{}', fetchedFrom: 'x' } })));
    const removal = (article: Article, extra: Partial<Removal>): Removal => ({
      articleId: article.id,
      sourceId: 'pub',
      firstGoneAt: T0 + HOUR,
      confirmedAt: T0 + 7 * HOUR,
      evidence: [
        { at: T0 + HOUR, status: 404, finalUrl: article.url, rule: 'http-404' },
        { at: T0 + 7 * HOUR, status: 200, finalUrl: article.url, rule: 'notice:generic:内容已删除' },
      ],
      ...extra,
    });
    await recheck.saveCheck({ state: { articleId: removed.id, sourceId: 'pub', goneChecks: 2 }, removal: removal(removed, {}), markFile: false });
    await recheck.saveCheck({ state: { articleId: back.id, sourceId: 'pub', goneChecks: 0 }, removal: removal(back, { withdrawnAt: T0 + 24 * HOUR }), markFile: false });
    app = createWebApp({ store, search: openSqliteSearchIndex(file), recheck, sources: [{ id: 'pub', name: '样本出版社', url: 'https://news.example/feed' }], timeZone: 'Asia/Shanghai' });
  });
  after(async () => {
    await recheck.close();
    await store.close();
    await temp.cleanup();
  });

  it('RW-01 a removed article shows the notice with its evidence; one that came back and one never gone show none', async () => {
    const page = await (await app.request(`/articles/${removed.id}`)).text();
    assert.match(page, /原文已于 2024-03-01 19:00 删除/);
    assert.match(page, /Removed at the source on 2024-03-01 19:00/);
    assert.match(page, /HTTP 404 · 页面不存在/);
    assert.match(page, /removal notice: “内容已删除”/);
    for (const other of [back, kept]) assert.doesNotMatch(await (await app.request(`/articles/${other.id}`)).text(), /原文已于/);
  });

  it('RW-02 /removed and /api/removed list standing removals only, with their evidence', async () => {
    const page = await (await app.request('/removed')).text();
    assert.ok(page.includes(`/articles/${removed.id}`) && !page.includes(`/articles/${back.id}`));
    const api = (await (await app.request('/api/removed')).json()) as { results: { id: string; removedAt: string; evidence: { rule: string }[] }[]; next: string | null };
    assert.deepEqual(api.results.map((item) => [item.id, item.removedAt, item.evidence.map((e) => e.rule)]), [
      [removed.id, new Date(T0 + 7 * HOUR).toISOString(), ['http-404', 'notice:generic:内容已删除']],
    ]);
    assert.equal(api.next, null);
  });

  it('RW-03 /feeds/removed.xml, .atom and .json carry the removed article; /feeds/<source> still works', async () => {
    for (const [format, type] of [['xml', 'rss'], ['atom', 'atom'], ['json', 'feed+json']] as const) {
      const response = await app.request(`/feeds/removed.${format}`);
      assert.equal(response.status, 200, format);
      assert.match(response.headers.get('content-type') ?? '', new RegExp(type.replace('+', '\\+')));
      const text = await response.text();
      assert.ok(text.includes('〔已删除〕第1号报道') && !text.includes('第2号报道'), format);
    }
    assert.equal((await app.request('/feeds/pub.atom')).status, 200);
  });

  it('RW-04 /feeds/changes.* lists the confirmed removal beside the edits, with its own entry id; a withdrawn one is not there', async () => {
    const response = await app.request('/feeds/changes.json');
    assert.equal(response.status, 200);
    const feed = (await response.json()) as { items: { id: string; title: string }[] };
    const entries = feed.items.filter((item) => item.title.startsWith('〔已删除〕'));
    assert.deepEqual(entries.map((item) => item.title), ['〔已删除〕第1号报道']);
    assert.match(entries[0]?.id ?? '', new RegExp(`${removed.id}:removed$`));
  });
});
