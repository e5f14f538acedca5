import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteSearchIndex } from '../adapters/search/index.js';
import { openSqliteStore } from '../adapters/store/sqlite/index.js';
import { NewsmirrorError } from '../core/errors.js';
import type { Article } from '../core/model/index.js';
import type { SearchIndex, Store } from '../core/ports.js';
import { createWebApp } from './index.js';
import { CORPUS_SOURCES, asNewChanges, readCorpusArticles } from '../../test/helpers/web-articles.js';
import { FIXTURE_CORPUS, SHARED_CORPUS } from '../../test/helpers/corpus.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2020, 6, 21, 12, 0);
const SHA = `ab${'0123456789abcdef'.repeat(3)}0123456789abcd`;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

// Real articles from the shared corpus when it is there; on a clone alone, from the repository's small
// copy, which is too small for the counting, pagination and feed-limit checks: those need the shared one.
const WEB_CORPUS = SHARED_CORPUS.skip === false ? SHARED_CORPUS : FIXTURE_CORPUS;
const NEEDS_VOLUME = { skip: WEB_CORPUS === SHARED_CORPUS ? false : SHARED_CORPUS.skip };

let store: Store;
let search: SearchIndex;
let mediaDir: string;
let corpus: Article[];
let app: ReturnType<typeof createWebApp>;
let edited: Article;
let hostile: Article;
let pictured: Article;

function handMade(id: string, overrides: Partial<Article>): Article {
  const published = Date.UTC(2020, 6, 20, 17, 55);
  return {
    id,
    sourceId: 'rfi',
    key: `https://www.rfi.fr/cn/${id}`,
    url: `https://www.rfi.fr/cn/${id}`,
    canonicalUrl: `https://www.rfi.fr/cn/${id}`,
    title: '手工文章',
    bodyHtml: '<p>正文</p>',
    published,
    dateMissing: false,
    firstSeen: published + 5 * 60_000,
    contentHash: `hash-${id}`,
    version: 1,
    path: `articles/rfi/2020/07/21/0155-${id}.md`,
    method: 'feed',
    authors: [],
    categories: [],
    lastSeen: published + 5 * 60_000,
    ...overrides,
  };
}

before(async () => {
  mediaDir = await mkdtemp(join(tmpdir(), 'newsmirror-web-'));
  await mkdir(join(mediaDir, 'media', 'ab'), { recursive: true });
  await writeFile(join(mediaDir, 'media', 'ab', `${SHA}.png`), PNG);
  corpus = readCorpusArticles(WEB_CORPUS, { perSource: 25 });
  hostile = handMade('xssxssxssxssxss2', {
    title: '<script>alert("title")</script>国家安全',
    bodyHtml:
      '<p>安全<script>alert(1)</script><img src="x" onerror="alert(2)"><a href="javascript:alert(3)">点我</a></p>\n<iframe src="https://evil.example/x"></iframe>\n<p onclick="alert(4)" style="color:red">国家</p>',
    published: Date.UTC(2020, 6, 20, 17, 56),
    url: 'javascript:alert(5)',
  });
  pictured = handMade('picpicpicpicpic2', {
    title: '有图的文章',
    bodyHtml: `<p>图片如下</p>\n<figure><img src="../../../../../media/ab/${SHA}.png" alt="示意图"></figure>\n<p><img src="https://images.example/remote.jpg" alt="远程"></p>`,
  });
  store = openSqliteStore(':memory:');
  await store.applyChanges(asNewChanges([...corpus, hostile, pictured]));
  const original = corpus.find((article) => article.sourceId === 'cdt') as Article;
  edited = {
    ...original,
    title: `${original.title}（更正）`,
    bodyHtml: `${original.bodyHtml}\n<p>更正：国家</p>`,
    contentHash: 'edited-hash',
    version: 2,
    updated: original.published + 3 * HOUR,
    lastSeen: original.published + 3 * HOUR,
  };
  await store.applyChanges([{ kind: 'edit', article: edited, raw: { articleId: edited.id, version: 2, entryJson: '{}', fetchedFrom: 'https://feedx.test/cdt.xml' } }]);
  await store.saveSourceState({ sourceId: 'rfi', consecutiveFailures: 0, lastAttemptAt: NOW - HOUR, lastSuccessAt: NOW - HOUR });
  search = openSqliteSearchIndex(':memory:');
  await search.index([...corpus.filter((article) => article.id !== edited.id), edited, hostile, pictured]);
  app = createWebApp({ store, search, sources: CORPUS_SOURCES, timeZone: 'Asia/Shanghai', mediaDir, clock: { now: () => NOW } });
});

after(async () => {
  await search.close();
  await store.close();
  await rm(mediaDir, { recursive: true, force: true });
});

async function page(path: string, init?: RequestInit): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await app.request(path, init);
  return { status: response.status, text: await response.text(), headers: response.headers };
}

async function json<T = Record<string, unknown>>(path: string, init?: RequestInit): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await app.request(path, init);
  assert.match(response.headers.get('content-type') ?? '', /json/, `${path} answers JSON`);
  return { status: response.status, body: (await response.json()) as T, headers: response.headers };
}

async function expectJsonError(path: string, status: number): Promise<string> {
  const { status: actual, body } = await json<{ error?: { code?: unknown; message?: unknown } }>(path);
  assert.equal(actual, status, `${path} → ${status}`);
  assert.equal(typeof body.error?.code, 'string', `${path} error.code`);
  assert.equal(typeof body.error?.message, 'string', `${path} error.message`);
  return body.error?.message as string;
}

describe('web pages', () => {
  it('WEB-01 home: sources with counts and health, newest articles, search form, lang, security headers', NEEDS_VOLUME, async () => {
    const { status, text, headers } = await page('/');
    assert.equal(status, 200);
    assert.match(text, /<html lang="zh-Hans">/);
    assert.match(text, /<form[^>]*action="\/search"[\s\S]*?<input[^>]*name="q"/);
    assert.match(text, /<main id="main"/);
    assert.match(text, /<a href="\/sources\/rfi">法广<\/a><\/td><td class="num">27<\/td><td><span class="health health-ok">/);
    assert.match(text, /<a href="\/sources\/bbc">BBC<\/a><\/td><td class="num">25<\/td><td><span class="health health-never">/);
    const newest = [...corpus, hostile, pictured].sort((a, b) => b.published - a.published || (a.id < b.id ? -1 : 1))[0] as Article;
    assert.ok(text.includes(`href="/articles/${newest.id}"`), 'text.includes(`href="/articles/${newest.id}"`)');
    const csp = headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'none'", "img-src 'self'", "style-src 'self'", "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'", 'frame-src https://youtube.com']) {
      assert.ok(csp.includes(directive), `CSP has ${directive}`);
    }
    assert.equal(headers.get('x-content-type-options'), 'nosniff');
    assert.equal(headers.get('referrer-policy'), 'no-referrer');
    assert.doesNotMatch(text, /<script|style="/, 'no script and no inline style (the CSP forbids both)');
  });

  it('WEB-02 every page carries the search form with an input named q', async () => {
    for (const path of ['/', '/sources/rfi', `/articles/${corpus[0]?.id}`, '/search', '/search?q=香港', '/nowhere', '/sources/nobody', '/?before=bad']) {
      const { text } = await page(path);
      assert.match(text, /<input[^>]*type="search" name="q"/, path);
    }
  });

  it('WEB-03 home and source pages paginate newest first with a before cursor, without gaps or repeats', NEEDS_VOLUME, async () => {
    const seen: string[] = [];
    let path: string | undefined = '/sources/rfi';
    let pages = 0;
    while (path !== undefined && pages < 10) {
      const { status, text } = await page(path);
      assert.equal(status, 200, path);
      seen.push(...[...text.matchAll(/<a class="title" href="\/articles\/([a-z0-9]+)"/g)].map((match) => match[1] as string));
      path = /<a href="(\/sources\/rfi\?before=[^"]+)" rel="next">/.exec(text)?.[1]?.replace(/&amp;/g, '&');
      pages += 1;
    }
    const expected = (await store.listArticles('rfi')).map((item) => item.id);
    assert.deepEqual(seen, expected);
    assert.equal(expected.length, 27);
    const home = await page('/');
    const older = /href="(\/\?before=[^"]+)" rel="next"/.exec(home.text)?.[1];
    assert.ok(older, 'the home page links to older articles');
    const second = await page(older);
    assert.equal(second.status, 200);
    assert.match(second.text, /<h2>最新文章<\/h2>/);
  });

  it('WEB-04 source page groups by day in the configured zone and links the feeds', async () => {
    const { text } = await page('/sources/rfi');
    assert.match(text, /<h1>法广<\/h1>/);
    // 2020-07-20 17:55 UTC is 2020-07-21 01:55 in Asia/Shanghai.
    assert.match(text, /<h2 id="day-2020-07-21">2020-07-21<\/h2>[\s\S]*?<time datetime="2020-07-20T17:56:00.000Z">01:56<\/time><a class="title" href="\/articles\/xssxssxssxssxss2">/);
    assert.ok(text.includes('href="/feeds/rfi.atom"'), 'text.includes(\'href="/feeds/rfi.atom"\')');
    assert.equal((await page('/sources/nobody')).status, 404);
    assert.equal((await page('/sources/rfi?before=%%%')).status, 400);
    assert.equal((await page(`/sources/rfi?before=${Buffer.from('1.x y').toString('base64url')}`)).status, 400);
  });

  it('WEB-05 article page: body, source, original link, times in zone, versions of an edit', async () => {
    const { status, text } = await page(`/articles/${edited.id}`);
    assert.equal(status, 200);
    assert.ok(text.includes('更正：国家'), 'text.includes(\'更正：国家\')');
    assert.ok(text.includes(`<a href="/sources/cdt">中国数字时代</a>`), 'text.includes(`<a href="/sources/cdt">中国数字时代</a>`)');
    assert.ok(text.includes(`href="${edited.url.replace(/&/g, '&amp;')}" rel="noopener noreferrer nofollow"`), 'text.includes(`href="${edited.url.replace(/&/g, \'&amp;\')}" rel="noopener noreferrer nofo');
    assert.ok(edited.url.includes('%e9') && text.includes(`>${decodeURI(edited.url)}</a>`), 'the original link reads as characters, not %-escapes');
    assert.match(text, /<dt>发布<\/dt><dd>\d{4}-\d{2}-\d{2} \d{2}:\d{2}<\/dd>\s*<dt>更新<\/dt>/);
    assert.match(text, /版本记录（共 2 版）/);
    assert.ok(text.includes(`href="/articles/${edited.id}?version=1">第 1 版</a>`), 'text.includes(`href="/articles/${edited.id}?version=1">第 1 版</a>`)');
    const first = await page(`/articles/${edited.id}?version=1`);
    assert.equal(first.status, 200);
    assert.ok(!first.text.includes('更正：国家'), 'version 1 shows the body before the edit');
    assert.match(first.text, /这是第 1 版/);
    assert.equal((await page(`/articles/${edited.id}?version=9`)).status, 404);
    assert.equal((await page(`/articles/${edited.id}?version=x`)).status, 404);
    const plain = await page(`/articles/${pictured.id}`);
    assert.match(plain.text, /<dt>发布<\/dt><dd>2020-07-21 01:55<\/dd>\s*<dt>首次抓取<\/dt><dd>2020-07-21 02:00<\/dd>/);
    assert.doesNotMatch(plain.text, /版本记录/);
    for (const id of ['aaaaaaaaaaaaaaaa', '..%2F..%2Fetc', 'A'.repeat(300)]) assert.equal((await page(`/articles/${id}`)).status, 404, id);
  });

  it('WEB-06 hostile titles and bodies are escaped and re-sanitized on every output', async () => {
    const { text } = await page(`/articles/${hostile.id}`);
    assert.ok(text.includes('&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;国家安全'), 'text.includes(\'&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;国家安全\')');
    assert.doesNotMatch(text, /<script|onerror|onclick|href="javascript:|evil\.example|style="/i);
    assert.ok(text.includes('<dd>javascript:alert(5)</dd>'), 'a non-web original link is shown as text, not linked');
    const home = await page('/');
    assert.doesNotMatch(home.text, /<script/i);
    const found = await page(`/search?q=${encodeURIComponent('安全')}`);
    assert.doesNotMatch(found.text, /<script|onerror/i);
    const api = await json<{ bodyHtml: string; title: string }>(`/api/articles/${hostile.id}`);
    assert.doesNotMatch(api.body.bodyHtml, /<script|onerror|onclick|javascript:/i);
    const feed = await page('/feeds/rfi.xml');
    assert.doesNotMatch(feed.text, /<script|onerror=|javascript:/i);
    assert.ok(feed.text.includes('&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;国家安全'), 'feed.text.includes(\'&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;国家安全\')');
  });

  it('WEB-07 mirrored images are served from /media, remote ones become links', async () => {
    const { text } = await page(`/articles/${pictured.id}`);
    assert.ok(text.includes(`<img src="/media/ab/${SHA}.png" alt="示意图"`), 'text.includes(`<img src="/media/ab/${SHA}.png" alt="示意图"`)');
    assert.doesNotMatch(text, /<img[^>]*images\.example/);
    assert.match(text, /<a href="https:\/\/images\.example\/remote\.jpg" class="remote-media" rel="noopener noreferrer nofollow">\[图片：远程\]<\/a>/);
    const media = await app.request(`/media/ab/${SHA}.png`);
    assert.equal(media.status, 200);
    assert.equal(media.headers.get('content-type'), 'image/png');
    assert.match(media.headers.get('cache-control') ?? '', /max-age=31536000, immutable/);
    assert.deepEqual(new Uint8Array(await media.arrayBuffer()), PNG);
    const again = await app.request(`/media/ab/${SHA}.png`, { headers: { 'If-None-Match': media.headers.get('etag') as string } });
    assert.equal(again.status, 304);
    for (const path of [
      `/media/ab/${SHA.slice(0, -1)}.png`,
      `/media/cd/${SHA}.png`,
      `/media/ab/${SHA.toUpperCase()}.png`,
      `/media/ab/${SHA}.exe`,
      '/media/ab/..%2F..%2Fpasswd',
      '/media/../etc/passwd',
      `/media/ab/${SHA.replace(/^ab/, 'ab')}.jpg`,
    ]) {
      const response = await app.request(path);
      assert.equal(response.status, 404, path);
    }
    const without = createWebApp({ store, search, sources: CORPUS_SOURCES, timeZone: 'Asia/Shanghai' });
    assert.equal((await without.request(`/media/ab/${SHA}.png`)).status, 404);
  });

  it('WEB-08 简繁 toggle converts displayed text only and is remembered in a cookie', async () => {
    const hant = await page(`/articles/${hostile.id}?variant=hant`);
    assert.equal(hant.status, 200);
    assert.match(hant.text, /<html lang="zh-Hant">/);
    assert.ok(hant.text.includes('國家'), '国家 → 國家');
    assert.ok(!hant.text.includes('国家'), '!hant.text.includes(\'国家\')');
    assert.match(hant.headers.get('set-cookie') ?? '', /variant=hant/);
    assert.ok(hant.text.includes(`href="/articles/${hostile.id}?variant=hans"`), 'URLs untouched');
    const cookie = await page('/search?q=%E5%9B%BD%E5%AE%B6', { headers: { Cookie: 'variant=hant' } });
    assert.match(cookie.text, /<html lang="zh-Hant">/);
    assert.ok(cookie.text.includes('name="q" value="国家"'), 'the typed query stays as typed');
    assert.ok(cookie.text.includes('<mark>國家</mark>'), 'cookie.text.includes(\'<mark>國家</mark>\')');
    const typed = await page(`/search?q=${encodeURIComponent('國家')}`, { headers: { Cookie: 'variant=hant' } });
    assert.ok(typed.text.includes('name="q" value="國家"'), 'the traditional query stays in the box');
    assert.match(typed.text, /按簡體“國家”搜索：找到 [1-9]\d* 篇文章/, 'a traditional query with no hit is searched in simplified');
    const direct = await json<{ total: number }>(`/api/search?q=${encodeURIComponent('國家')}`);
    assert.equal(direct.body.total, 0, 'the API searches exactly what it is given');
    const back = await page('/?variant=hans', { headers: { Cookie: 'variant=hant' } });
    assert.match(back.text, /<html lang="zh-Hans">/);
    const stored = await json<{ title: string }>(`/api/articles/${hostile.id}`, { headers: { Cookie: 'variant=hant' } });
    assert.ok(stored.body.title.includes('国家安全'), 'the stored text never changes');
  });

  it('WEB-09 search page: highlighted hits, filters, order, pagination, bad input as a 400 page', NEEDS_VOLUME, async () => {
    const { status, text } = await page('/search?q=%E9%A6%99%E6%B8%AF');
    assert.equal(status, 200);
    const total = Number(/找到 (\d+) 篇文章/.exec(text)?.[1]);
    assert.ok(total > 20, 'total > 20');
    assert.ok(text.includes('<mark>香港</mark>'), 'text.includes(\'<mark>香港</mark>\')');
    assert.match(text, /<a href="\/search\?q=[^"]*cursor=[^"]+" rel="next">/);
    const filtered = await page('/search?q=%E9%A6%99%E6%B8%AF&source=voa&order=relevance');
    assert.ok(Number(/找到 (\d+) 篇文章/.exec(filtered.text)?.[1]) < total, 'Number(/找到 (\\d+) 篇文章/.exec(filtered.text)?.[1]) < total');
    assert.ok(filtered.text.includes('<option value="voa" selected>'), 'filtered.text.includes(\'<option value="voa" selected>\')');
    assert.ok(filtered.text.includes('<option value="relevance" selected>'), 'filtered.text.includes(\'<option value="relevance" selected>\')');
    const form = await page('/search');
    assert.equal(form.status, 200);
    assert.doesNotMatch(form.text, /找到/);
    for (const bad of ['q=x&source=nobody', 'q=x&from=2020-13-01', 'q=x&order=random', `q=${'长'.repeat(201)}`, 'q=x&limit=0']) {
      const response = await page(`/search?${bad}`);
      assert.equal(response.status, 400, bad);
      assert.match(response.text, /请求有误/);
    }
  });
});

describe('web API', () => {
  it('API-01 /api/search answers total, results and next, and pages through every hit', async () => {
    const { status, body } = await json<{ total: number; results: Record<string, unknown>[]; next: string | null }>('/api/search?q=%E9%A6%99%E6%B8%AF&limit=10');
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body), ['total', 'results', 'next']);
    assert.deepEqual(Object.keys(body.results[0] ?? {}), ['id', 'source', 'title', 'url', 'published', 'snippet']);
    const ids = new Set<string>();
    let next: string | null = null;
    let path = '/api/search?q=%E9%A6%99%E6%B8%AF&limit=10';
    for (;;) {
      const response: { body: { results: { id: string }[]; next: string | null } } = await json(path);
      for (const result of response.body.results) ids.add(result.id);
      next = response.body.next;
      if (next === null) break;
      path = `/api/search?q=%E9%A6%99%E6%B8%AF&limit=10&cursor=${encodeURIComponent(next)}`;
    }
    assert.equal(ids.size, body.total);
    const ranged = await json<{ total: number; results: { published: string; source: string }[] }>('/api/search?q=%E9%A6%99%E6%B8%AF&source=rfi,voa&from=2020-07-20&to=2020-07-20');
    assert.equal(ranged.status, 200);
    for (const result of ranged.body.results) {
      assert.ok(['rfi', 'voa'].includes(result.source), '[\'rfi\', \'voa\'].includes(result.source)');
      const time = Date.parse(result.published);
      assert.ok(time >= Date.UTC(2020, 6, 19, 16) && time < Date.UTC(2020, 6, 20, 16), 'a day in Asia/Shanghai');
    }
  });

  it('API-02 bad search input is a 4xx JSON error, never a 500', async () => {
    const cases: [string, number][] = [
      ['/api/search', 400],
      ['/api/search?q=', 400],
      ['/api/search?q=%20%20', 400],
      [`/api/search?q=${'a'.repeat(10_000)}`, 400],
      ['/api/search?q=x&limit=0', 400],
      ['/api/search?q=x&limit=-1', 400],
      ['/api/search?q=x&limit=1000000', 400],
      ['/api/search?q=x&limit=abc', 400],
      ['/api/search?q=x&from=2020-02-30', 400],
      ['/api/search?q=x&to=yesterday', 400],
      ['/api/search?q=x&from=2020-07-20&to=2020-07-01', 400],
      ['/api/search?q=x&source=nobody', 400],
      ['/api/search?q=x&order=oldest', 400],
      ['/api/search?q=x&cursor=not-a-cursor', 400],
      [`/api/search?q=x&cursor=${'c'.repeat(600)}`, 400],
    ];
    for (const [path, status] of cases) await expectJsonError(path, status);
    for (const q of [`" OR 1=1 --`, "'; DROP TABLE articles; --", 'NEAR(香港 中国)', '香港 AND', '*', 'title:香港', '"unterminated', '(', 'a"b"c', '%']) {
      const response = await app.request(`/api/search?q=${encodeURIComponent(q)}`);
      assert.ok(response.status === 200 || response.status === 400, `${q} → ${response.status}`);
    }
  });

  it('API-03 an unexpected failure is a 500 JSON error without details; usage errors from the index are 400', async () => {
    const failing = (error: Error): SearchIndex => ({ ...search, search: () => Promise.reject(error) });
    const broken = createWebApp({ store, search: failing(new Error('disk on fire /secret/path')), sources: CORPUS_SOURCES, timeZone: 'UTC' });
    const response = await broken.request('/api/search?q=x');
    assert.equal(response.status, 500);
    assert.deepEqual(await response.json(), { error: { code: 'internal', message: 'internal error' } });
    const picky = createWebApp({ store, search: failing(new NewsmirrorError('usage', 'web', 'bad query syntax')), sources: CORPUS_SOURCES, timeZone: 'UTC' });
    const refused = await picky.request('/api/search?q=x');
    assert.equal(refused.status, 400);
    assert.deepEqual(await refused.json(), { error: { code: 'usage', message: 'web: bad query syntax' } });
  });

  it('API-04 /api/sources and /api/articles with filters and a cursor through every article', NEEDS_VOLUME, async () => {
    const sources = await json<{ sources: { id: string; articles: number; status: string }[] }>('/api/sources');
    assert.equal(sources.body.sources.length, CORPUS_SOURCES.length);
    assert.deepEqual(sources.body.sources[0], { ...sources.body.sources[0], id: 'rfi', articles: 27, status: 'ok' });
    const ids: string[] = [];
    let path = '/api/articles?limit=7&source=rfi&source=bbc';
    for (;;) {
      const { status, body } = await json<{ results: { id: string; source: string }[]; next: string | null }>(path);
      assert.equal(status, 200);
      for (const result of body.results) {
        assert.ok(['rfi', 'bbc'].includes(result.source), '[\'rfi\', \'bbc\'].includes(result.source)');
        ids.push(result.id);
      }
      if (body.next === null) break;
      path = `/api/articles?limit=7&source=rfi&source=bbc&cursor=${body.next}`;
    }
    assert.equal(ids.length, 27 + 25);
    assert.equal(new Set(ids).size, ids.length);
    const day = await json<{ results: { published: string }[] }>('/api/articles?from=2020-07-21&to=2020-07-21&limit=200');
    assert.ok(day.body.results.length > 0, 'day.body.results.length > 0');
    for (const result of day.body.results) assert.ok(Date.parse(result.published) >= Date.UTC(2020, 6, 20, 16), 'Date.parse(result.published) >= Date.UTC(2020, 6, 20, 16)');
    for (const bad of ['/api/articles?from=2020-07-21&to=2020-07-20', '/api/articles?limit=201', '/api/articles?cursor=%%%', '/api/articles?source=x', '/api/articles?from=20200720', `/api/articles?cursor=${Buffer.from('9'.repeat(20) + '.abc').toString('base64url')}`]) {
      await expectJsonError(bad, 400);
    }
  });

  it('API-05 /api/articles/:id gives the article with its versions; unknown ids are 404', async () => {
    const { status, body } = await json<{ id: string; version: number; versions: { version: number; title: string }[]; updated: string }>(`/api/articles/${edited.id}`);
    assert.equal(status, 200);
    assert.equal(body.version, 2);
    assert.deepEqual(
      body.versions.map((version) => version.version),
      [1, 2],
    );
    assert.equal(body.versions[1]?.title, edited.title);
    assert.equal(body.updated, new Date(edited.updated as number).toISOString());
    await expectJsonError('/api/articles/aaaaaaaaaaaaaaaa', 404);
    await expectJsonError('/api/articles/..', 404);
    await expectJsonError(`/api/articles/${'x'.repeat(5000)}`, 404);
    await expectJsonError('/api/nothing', 404);
  });
});

describe('web feeds and health', () => {
  it('FEED-01 RSS, Atom and JSON Feed: full bodies, stable GUIDs, edits updated, absolute image URLs', NEEDS_VOLUME, async () => {
    const base = createWebApp({ store, search, sources: CORPUS_SOURCES, timeZone: 'Asia/Shanghai', publicBaseUrl: 'https://mirror.example/news/' });
    const rss = await base.request('/feeds/rfi.xml');
    assert.equal(rss.status, 200);
    assert.equal(rss.headers.get('content-type'), 'application/rss+xml; charset=utf-8');
    const rssText = await rss.text();
    assert.equal((rssText.match(/<item>/g) ?? []).length, 27);
    assert.ok(rssText.includes(`<guid isPermaLink="false">urn:newsmirror:article:${pictured.id}</guid>`), 'rssText.includes(`<guid isPermaLink="false">urn:newsmirror:article:${pictured.id}</guid>`)');
    assert.ok(rssText.includes(`<img src="https://mirror.example/news/media/ab/${SHA}.png"`), 'rssText.includes(`<img src="https://mirror.example/news/media/ab/${SHA}.png"`)');
    assert.ok(rssText.includes('<atom:link rel="self" type="application/rss+xml" href="https://mirror.example/news/feeds/rfi.xml"/>'), 'rssText.includes(\'<atom:link rel="self" type="application/rss+xml" href="https://mirror.e');
    const atom = await (await base.request('/feeds/cdt.atom')).text();
    const entry = atom.split('<entry>').find((part) => part.includes(edited.id)) ?? '';
    assert.ok(entry.includes(`<updated>${new Date(edited.updated as number).toISOString().replace('.000', '')}</updated>`), 'entry.includes(`<updated>${new Date(edited.updated as number).toISOString().replace(\'.000');
    assert.ok(entry.includes('更正：国家'), 'entry.includes(\'更正：国家\')');
    const jsonFeed = await base.request('/feeds/all.json?limit=200');
    assert.equal(jsonFeed.headers.get('content-type'), 'application/feed+json; charset=utf-8');
    const feed = (await jsonFeed.json()) as { version: string; items: { id: string; content_html: string }[] };
    assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
    assert.equal(feed.items.length, 200);
    assert.equal((await (await base.request('/feeds/all.json')).json() as { items: unknown[] }).items.length, 50);
    const origin = await (await app.request('http://reader.test:8080/feeds/rfi.atom')).text();
    assert.ok(origin.includes(`src=&quot;http://reader.test:8080/media/ab/${SHA}.png&quot;`), 'default base is the request origin');
  });

  it('FEED-02 ETag and Last-Modified give 304s', async () => {
    const first = await app.request('/feeds/all.xml');
    const etag = first.headers.get('etag') as string;
    const lastModified = first.headers.get('last-modified') as string;
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/);
    assert.equal((await app.request('/feeds/all.xml', { headers: { 'If-None-Match': etag } })).status, 304);
    assert.equal((await app.request('/feeds/all.xml', { headers: { 'If-None-Match': `"other", W/${etag}` } })).status, 304);
    assert.equal((await app.request('/feeds/all.xml', { headers: { 'If-None-Match': '"other"' } })).status, 200);
    assert.equal((await app.request('/feeds/all.xml', { headers: { 'If-Modified-Since': lastModified } })).status, 304);
    assert.equal((await app.request('/feeds/all.xml', { headers: { 'If-Modified-Since': 'Mon, 01 Jan 2001 00:00:00 GMT' } })).status, 200);
    assert.notEqual((await app.request('/feeds/all.atom')).headers.get('etag'), etag);
  });

  it('FEED-03 unknown feeds are 404 and bad limits 400', async () => {
    for (const path of ['/feeds/nobody.xml', '/feeds/rfi.html', '/feeds/rfi', '/feeds/RFI.xml', '/feeds/..%2Frfi.xml']) await expectJsonError(path, 404);
    for (const path of ['/feeds/all.xml?limit=201', '/feeds/all.atom?limit=0', '/feeds/rfi.json?limit=x']) await expectJsonError(path, 400);
  });

  it('HEALTH-01 /health: ok, failing, stale and never per source; 503 when any source is unhealthy', async () => {
    const sources = [CORPUS_SOURCES[0], CORPUS_SOURCES[1]].map((source) => ({ ...source })) as typeof CORPUS_SOURCES;
    const healthy = createWebApp({ store, search, sources: sources.slice(0, 1), timeZone: 'UTC', clock: { now: () => NOW } });
    const ok = await json<{ status: string; sources: Record<string, unknown>[] }>('/health', undefined);
    assert.equal(ok.status, 200, 'rfi ok, the rest never fetched');
    const okOnly = await healthy.request('/health');
    assert.equal(okOnly.status, 200);
    const body = (await okOnly.json()) as { status: string; sources: { status: string; lastSuccess: string; newestAgeSeconds: number }[] };
    assert.equal(body.status, 'ok');
    assert.equal(body.sources[0]?.status, 'ok');
    assert.equal(body.sources[0]?.lastSuccess, new Date(NOW - HOUR).toISOString());
    assert.ok((body.sources[0]?.newestAgeSeconds ?? 0) > 0, '(body.sources[0]?.newestAgeSeconds ?? 0) > 0');
    await store.saveSourceState({ sourceId: 'reuters', consecutiveFailures: 3, lastAttemptAt: NOW, lastSuccessAt: NOW - 5 * HOUR, lastErrorCode: 'timeout', lastError: 'fetch: timeout' });
    const failing = await json<{ status: string; sources: { id: string; status: string; lastErrorCode: string | null }[] }>('/health');
    assert.equal(failing.status, 503);
    assert.equal(failing.body.status, 'degraded');
    assert.deepEqual(failing.body.sources.find((row) => row.id === 'reuters')?.lastErrorCode, 'timeout');
    // Stale: the source keeps answering, but its newest item is three days old (the same verdict as README and `status`).
    const later = createWebApp({ store, search, sources: sources.slice(0, 1), timeZone: 'UTC', clock: { now: () => NOW + 3 * 24 * HOUR } });
    assert.equal(((await (await later.request('/health')).json()) as { sources: { status: string }[] }).sources[0]?.status, 'ok', 'no recent fetch is not stale');
    await store.saveSourceState({ sourceId: 'rfi', consecutiveFailures: 0, lastAttemptAt: NOW + 3 * 24 * HOUR, lastSuccessAt: NOW + 3 * 24 * HOUR });
    const stale = (await (await later.request('/health')).json()) as { sources: { status: string }[] };
    assert.equal(stale.sources[0]?.status, 'stale');
    await store.saveSourceState({ sourceId: 'rfi', consecutiveFailures: 0, lastAttemptAt: NOW - HOUR, lastSuccessAt: NOW - HOUR });
    const fresh = createWebApp({ store, search, sources: [{ id: 'new', name: 'New', url: 'https://x.test/' }], timeZone: 'UTC' });
    assert.equal((await fresh.request('/health')).status, 503, 'nothing ever fetched is not healthy');
    const disabled = createWebApp({ store, search, sources: [sources[0], { ...sources[1], enabled: false }] as typeof sources, timeZone: 'UTC', clock: { now: () => NOW } });
    const ignoring = await disabled.request('/health');
    assert.equal(ignoring.status, 200, 'a disabled failing source does not fail /health');
    assert.equal(((await ignoring.json()) as { sources: { status: string }[] }).sources[1]?.status, 'disabled');
    await store.saveSourceState({ sourceId: 'reuters', consecutiveFailures: 0 });
  });

  it('WEB-10 no route answers 500 to hostile input', async () => {
    const paths = [
      '/?before=%00',
      '/?variant=%E0%A4%A',
      '/search?q=%E0%A4%A',
      '/search?q=%00%01',
      '/api/search?q=%E0%A4%A',
      '/api/articles?from=%00',
      '/sources/%E0%A4%A',
      '/articles/%E0%A4%A',
      '/feeds/%E0%A4%A.xml',
      '/media/%E0/%A4',
      `/search?q=x&cursor=${'%FF'.repeat(100)}`,
      '/api/articles?limit=1e3',
      '/api/search?q=x&source=',
      '/assets/nothing.css',
    ];
    for (const path of paths) {
      const response = await app.request(path);
      assert.ok(response.status < 500, `${path} → ${response.status}`);
    }
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const response = await app.request('/api/articles', { method, body: '{}' });
      assert.equal(response.status, 405, method);
      assert.equal(response.headers.get('allow'), 'GET, HEAD');
    }
    assert.equal((await app.request('/feeds/all.xml', { method: 'HEAD' })).status, 200);
  });

  it('WEB-11 article counts are reused for a minute; fetch health is always fresh', async () => {
    const own = openSqliteStore(':memory:');
    let now = NOW;
    const counted = createWebApp({ store: own, search, sources: CORPUS_SOURCES, timeZone: 'UTC', clock: { now: () => now } });
    const count = async (): Promise<{ articles: number; status: string }> =>
      ((await (await counted.request('/api/sources')).json()) as { sources: { articles: number; status: string }[] }).sources[0] as { articles: number; status: string };
    const [first, second] = corpus.filter((article) => article.sourceId === 'rfi');
    await own.applyChanges(asNewChanges([first as Article]));
    assert.equal((await count()).articles, 1);
    await own.applyChanges(asNewChanges([second as Article]));
    await own.saveSourceState({ sourceId: 'rfi', consecutiveFailures: 1, lastAttemptAt: now });
    now += 59_000;
    assert.deepEqual(await count(), { ...(await count()), articles: 1, status: 'failing' });
    now += 1_000;
    assert.equal((await count()).articles, 2);
    await own.close();
  });
});
