import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openSqliteSearchIndex } from '../adapters/search/index.js';
import { openSqliteStore } from '../adapters/store/sqlite/index.js';
import type { Article } from '../core/model/index.js';
import type { SearchIndex, Store } from '../core/ports.js';
import { createWebApp } from './index.js';
import { CORPUS_SOURCES } from '../../test/helpers/web-articles.js';
import { FIXTURE_CORPUS } from '../../test/helpers/corpus.js';
import { storeVersionedArticles, type VersionedArticle } from '../../test/web/versioned-articles.js';

const NOW = Date.UTC(2020, 6, 21, 12, 0);

let store: Store;
let search: SearchIndex;
let app: ReturnType<typeof createWebApp>;
let versioned: VersionedArticle[];
let boxer: Article;
let hostile: Article;

function byTitle(part: string): VersionedArticle {
  const found = versioned.find((item) => item.article.title.includes(part));
  assert.ok(found, `fixture article ${part}`);
  return found;
}

before(async () => {
  store = openSqliteStore(':memory:');
  versioned = await storeVersionedArticles(store, FIXTURE_CORPUS);
  boxer = byTitle('大清向全世界宣战').article;
  const base = { ...boxer, id: 'hostilehostile22', key: 'https://x.test/h', url: 'https://x.test/h', canonicalUrl: 'https://x.test/h', path: 'articles/cdt/2020/07/01/0000-hostilehostile22.md' };
  hostile = { ...base, title: '<b>标题</b>', bodyHtml: '<p>一段 &lt;script&gt;alert(1)&lt;/script&gt; 文字</p>', version: 1, contentHash: 'h1' };
  await store.applyChanges([{ kind: 'new', article: hostile, raw: { articleId: hostile.id, version: 1, entryJson: '{}', fetchedFrom: 'x' } }]);
  hostile = { ...hostile, title: '<i>标题</i><img src=x onerror=alert(2)>', bodyHtml: '<p>一段 <script>alert(3)</script>&lt;img src=x onerror=alert(4)&gt; 文字</p>', version: 2, contentHash: 'h2', lastSeen: hostile.lastSeen + 1 };
  await store.applyChanges([{ kind: 'edit', article: hostile, raw: { articleId: hostile.id, version: 2, entryJson: '{}', fetchedFrom: 'x' } }]);
  search = openSqliteSearchIndex(':memory:');
  app = createWebApp({ store, search, sources: CORPUS_SOURCES, timeZone: 'Asia/Shanghai', clock: { now: () => NOW } });
});

after(async () => {
  await search.close();
  await store.close();
});

async function page(path: string): Promise<{ status: number; text: string }> {
  const response = await app.request(path);
  return { status: response.status, text: await response.text() };
}

async function json<T>(path: string): Promise<{ status: number; body: T }> {
  const response = await app.request(path);
  assert.match(response.headers.get('content-type') ?? '', /json/);
  return { status: response.status, body: (await response.json()) as T };
}

describe('/articles/<id>/diff', () => {
  it('WD-01 marks a real correction by character, inline by default', async () => {
    const { status, text } = await page(`/articles/${boxer.id}/diff?from=1&to=2`);
    assert.equal(status, 200);
    assert.ok(text.includes('<del>毅和団</del><ins>义和团</ins>那群刀枪不入的老伙计们'), 'the corrected name is one deletion and one insertion inside its paragraph');
    assert.ok(text.includes('class="diff diff-inline"'));
    assert.ok(text.includes('2 段改动；共删除 <span class="d-count-del">6</span> 字，新增 <span class="d-count-ins">6</span> 字。'));
    assert.ok(text.includes('<details class="d-fold"><summary>'), 'long unchanged stretches are folded');
  });

  it('WD-02 the default pair is the current version against the one before it; view=side is a two-column table', async () => {
    const three = byTitle('王全璋').article;
    const { status, text } = await page(`/articles/${three.id}/diff?view=side`);
    assert.equal(status, 200);
    assert.ok(text.includes('<h1 id="diff-title">第 2 版 → 第 3 版</h1>'));
    assert.ok(text.includes('两个版本的文字相同'), 'v2 → v3 of this article differs in markup only');
    const side = await page(`/articles/${three.id}/diff?from=1&to=2&view=side`);
    assert.ok(side.text.includes('<table class="diff diff-side">'));
    assert.match(side.text, /<tr class="d-change"><td data-side="第 1 版"><p class="d-change d-p">[^<]*<del>丶<\/del>/);
    assert.match(side.text, /<td data-side="第 2 版"><p class="d-change d-p">[^<]*<ins>、<\/ins>/);
  });

  it('WD-03 an added image shows as a labelled insertion, a removed paragraph as a deletion', async () => {
    const flood = byTitle('央视报道了日本洪灾').article;
    const { text } = await page(`/articles/${flood.id}/diff?from=1&to=2`);
    assert.ok(text.includes('<ins><span class="d-media">[图片]</span> <span class="d-media">[图片]</span></ins>'));
    const removed = byTitle('这世间，总要有人出来讲理').article;
    assert.ok((await page(`/articles/${removed.id}/diff`)).text.includes('<p class="d-delete d-p"><del>民事审判参考</del></p>'));
  });

  it('WD-04 article text is escaped, never markup: titles and bodies with tags and scripts', async () => {
    const { status, text } = await page(`/articles/${hostile.id}/diff`);
    assert.equal(status, 200);
    assert.ok(!/<script|<img|<[^>]*onerror|<b>标题|<i>标题/.test(text), 'no markup of the article on the page');
    assert.ok(text.includes('&lt;i&gt;标题'), 'a title that looks like markup is shown as text');
    assert.ok(text.includes('&lt;img src=x onerror=alert(4)&gt;'), 'text that looks like a tag is shown as text');
  });

  it('WD-05 bad parameters are 400, unknown articles and versions 404', async () => {
    for (const query of ['from=0&to=1', 'from=a&to=2', 'from=1&to=1', 'from=2', 'view=table', 'to=-1', 'from=1.5']) {
      assert.equal((await page(`/articles/${boxer.id}/diff?${query}`)).status, 400, query);
    }
    assert.equal((await page(`/articles/${boxer.id}/diff?from=1&to=9`)).status, 404);
    assert.equal((await page(`/articles/zzzzzzzzzzzzzzzz/diff`)).status, 404);
    assert.equal((await page(`/articles/${boxer.id}/diff?to=1`)).status, 404, 'nothing before version 1');
  });

  it('WD-06 繁體 converts the text, marks included', async () => {
    const { text } = await page(`/articles/${boxer.id}/diff?from=1&to=2&variant=hant`);
    assert.ok(text.includes('<ins>義和團</ins>'));
  });

  it('WD-07 the article page links each version to the diff with the one before it', async () => {
    const three = byTitle('王全璋').article;
    const { text } = await page(`/articles/${three.id}`);
    assert.ok(text.includes(`<a class="diff-link" href="/articles/${three.id}/diff?from=1&amp;to=2">与第 1 版比较</a>`));
    assert.ok(text.includes(`<a class="diff-link" href="/articles/${three.id}/diff?from=2&amp;to=3">与第 2 版比较</a>`));
  });
});

describe('/articles/<id>/diff, a title edit alone', () => {
  it('WD-08 shows the title\'s change and says the body is unchanged', async () => {
    const retitled = { ...hostile, id: 'retitledretitled', key: 'https://x.test/t', url: 'https://x.test/t', canonicalUrl: 'https://x.test/t', path: 'articles/cdt/2020/07/01/0001-retitledretitled.md' };
    const first = { ...retitled, title: '李文亮医生去世', bodyHtml: '<p>正文不变。</p>', version: 1, contentHash: 't1' };
    await store.applyChanges([{ kind: 'new', article: first, raw: { articleId: first.id, version: 1, entryJson: '{}', fetchedFrom: 'x' } }]);
    const second = { ...first, title: '李文亮医生病逝', version: 2, contentHash: 't2', lastSeen: first.lastSeen + 1 };
    await store.applyChanges([{ kind: 'edit', article: second, raw: { articleId: first.id, version: 2, entryJson: '{}', fetchedFrom: 'x' } }]);
    const { text } = await page(`/articles/${first.id}/diff`);
    assert.ok(text.includes('<p class="diff-title">李文亮医生<del>去世</del><ins>病逝</ins></p>'));
    assert.ok(text.includes('<p class="notice">正文的文字没有改动。</p>'));
    assert.ok(text.includes('标题改动。'));
  });
});

describe('/api/articles/<id>/versions and /diff', () => {
  it('WA-01 lists every version oldest first with its links', async () => {
    const three = byTitle('王全璋').article;
    const { status, body } = await json<{ id: string; version: number; versions: { version: number; seenAt: string; current: boolean; url: string; diffFromPrevious: string | null }[] }>(
      `/api/articles/${three.id}/versions`,
    );
    assert.equal(status, 200);
    assert.equal(body.version, 3);
    assert.deepEqual(
      body.versions.map((version) => [version.version, version.current, version.url, version.diffFromPrevious]),
      [
        [1, false, `/articles/${three.id}?version=1`, null],
        [2, false, `/articles/${three.id}?version=2`, `/articles/${three.id}/diff?from=1&to=2`],
        [3, true, `/articles/${three.id}`, `/articles/${three.id}/diff?from=2&to=3`],
      ],
    );
    assert.ok(body.versions.every((version, index, all) => index === 0 || version.seenAt > (all[index - 1]?.seenAt ?? '')));
  });

  it('WA-02 the structured diff, and JSON errors', async () => {
    const { body } = await json<{ from: number; to: number; blocks: { op: string }[]; stats: { changedBlocks: number } }>(`/api/articles/${boxer.id}/diff?from=1&to=2`);
    assert.deepEqual([body.from, body.to, body.stats.changedBlocks], [1, 2, 2]);
    assert.equal((await json<unknown>(`/api/articles/${boxer.id}/diff?from=x`)).status, 400);
    assert.equal((await json<unknown>(`/api/articles/${boxer.id}/diff?from=1&to=7`)).status, 404);
    assert.equal((await json<unknown>('/api/articles/nope/versions')).status, 404);
  });
});

describe('/feeds/changes.*', () => {
  it('WF-01 lists every edit newest first, one entry per version, with the diff as content', async () => {
    const response = await app.request('/feeds/changes.json');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /application\/feed\+json/);
    const feed = (await response.json()) as { items: { id: string; url: string; external_url: string; title: string; content_html: string; date_published: string }[] };
    const stored = await store.listRecentEdits({ limit: 200 });
    assert.ok(stored.length > versioned.reduce((sum, item) => sum + item.versions - 1, 0), 'every edit of the fixture articles, and the hand-made ones');
    assert.deepEqual(
      feed.items.map((item) => item.id),
      stored.map((edit) => `urn:newsmirror:article:${edit.articleId}:v${edit.version}`),
    );
    const dates = feed.items.map((item) => item.date_published);
    assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first');
    const entry = feed.items.find((item) => item.id === `urn:newsmirror:article:${boxer.id}:v2`);
    assert.ok(entry);
    assert.equal(entry.url, `http://localhost/articles/${boxer.id}/diff?from=1&to=2`);
    assert.equal(entry.external_url, `http://localhost/articles/${boxer.id}`);
    assert.ok(entry.title.startsWith('【改动】'));
    assert.ok(entry.content_html.includes('<del>毅和団</del><ins>义和团</ins>'));
    assert.ok(entry.content_html.includes('段未改动）'));
    const hostileEntry = feed.items.find((item) => item.id === `urn:newsmirror:article:${hostile.id}:v2`);
    assert.ok(hostileEntry && !/<script|<img/.test(hostileEntry.content_html), 'article markup never reaches the feed');
  });

  it('WF-02 RSS and Atom, limits, validators, and bad requests', async () => {
    const rss = await app.request('/feeds/changes.xml?limit=2');
    assert.equal(rss.status, 200);
    assert.equal((await rss.text()).match(/<item>/g)?.length, 2);
    const atom = await app.request('/feeds/changes.atom');
    assert.match(await atom.text(), /<id>urn:newsmirror:feed:changes<\/id>/);
    const etag = atom.headers.get('etag') ?? '';
    assert.equal((await app.request('/feeds/changes.atom', { headers: { 'if-none-match': etag } })).status, 304);
    assert.equal((await app.request('/feeds/changes.xml?limit=0')).status, 400);
    assert.equal((await app.request('/feeds/changes.txt')).status, 404);
  });
});
