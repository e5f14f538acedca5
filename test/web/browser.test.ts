/**
 * The reader in a real browser: Debian's chromium driven by playwright-core against the app served
 * on 127.0.0.1 with real corpus articles. Home page, an article, a search for 香港, the 繁體 toggle,
 * a phone-sized window and dark mode; no console errors (a CSP violation is one). Screenshots go to
 * test-artifacts/web/ (gitignored) for a human look. Skipped when chromium is missing, unless CI is set.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { chromiumSkip, launchChromium } from '../helpers/chromium.js';
import { openSqliteSearchIndex } from '../../src/adapters/search/index.js';
import { openSqliteStore } from '../../src/adapters/store/sqlite/index.js';
import type { Article } from '../../src/core/model/index.js';
import type { SearchIndex, Store } from '../../src/core/ports.js';
import { createWebApp, startWebServer, type RunningServer } from '../../src/web/index.js';
import { CORPUS_SOURCES, asNewChanges, withPicturedArticle } from '../helpers/web-articles.js';
import { FIXTURE_CORPUS } from '../helpers/corpus.js';

const ARTIFACTS = new URL('../../test-artifacts/web/', import.meta.url).pathname;
const browserSkip = chromiumSkip();
const available = browserSkip === false;

let root: string;
let store: Store;
let search: SearchIndex;
let server: RunningServer;
let browser: Browser;
let pictured: Article;
const consoleErrors: string[] = [];
// Page-side code is passed as source text: this project compiles without the DOM library.
const HORIZONTAL_OVERFLOW = 'document.documentElement.scrollWidth - window.innerWidth';


async function open(path: string, size = { width: 1280, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport: size });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${path}: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`${path}: ${error.message}`));
  const response = await page.goto(`${server.url}${path}`);
  assert.equal(response?.status(), 200, path);
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
}

before(async () => {
  if (!available) return;
  await mkdir(ARTIFACTS, { recursive: true });
  root = await mkdtemp(join(tmpdir(), 'newsmirror-browser-'));
  const fixture = await withPicturedArticle(root, FIXTURE_CORPUS);
  const articles = fixture.articles;
  pictured = fixture.pictured;
  store = openSqliteStore(join(root, 'store.db'));
  await store.applyChanges(asNewChanges(articles));
  search = openSqliteSearchIndex(join(root, 'store.db'));
  await search.index(articles);
  const now = Date.now();
  for (const source of CORPUS_SOURCES.slice(0, 6)) await store.saveSourceState({ sourceId: source.id, consecutiveFailures: 0, lastAttemptAt: now, lastSuccessAt: now });
  await store.saveSourceState({ sourceId: 'ft', consecutiveFailures: 2, lastAttemptAt: now, lastSuccessAt: now - 86_400_000, lastErrorCode: 'timeout' });
  const app = createWebApp({ store, search, sources: CORPUS_SOURCES, timeZone: 'Asia/Shanghai', mediaDir: root });
  server = await startWebServer(app, { host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
});

after(async () => {
  if (!available) return;
  await browser?.close();
  await server?.close();
  await search?.close();
  await store?.close();
  await rm(root, { recursive: true, force: true });
});

describe('the reader in chromium', () => {
  const skip = browserSkip;
  it('BR-01 home page, an article with its mirrored image, search 香港, 繁體, a phone, dark mode; no console errors', { skip }, async () => {
    const home = await open('/');
    assert.equal(await home.locator('h1').first().textContent(), '新闻来源');
    assert.equal(await home.locator('table.sources tbody tr').count(), CORPUS_SOURCES.length);
    assert.ok((await home.locator('ul.articles li').count()) >= 20, 'newest articles listed');
    assert.equal(await home.getByRole('main').count(), 1);
    assert.equal(await home.getByRole('banner').count(), 1);
    assert.equal(await home.getByRole('contentinfo').count(), 1);
    assert.equal(await home.getByRole('search').count(), 1);
    assert.equal(await home.getByLabel('搜索文章').getAttribute('name'), 'q', 'the search box has a label');
    await shot(home, '01-home-desktop');
    await home.getByRole('link', { name: '法广' }).first().click();
    await home.waitForURL(/\/sources\/rfi$/);
    assert.ok((await home.locator('section h2').count()) >= 1, 'the source page groups articles by day');
    await shot(home, '01b-source-desktop');
    await home.goto(`${server.url}/`);

    await home.locator('ul.articles a.title').first().click();
    await home.waitForURL(/\/articles\//);
    assert.ok(((await home.locator('.body').textContent()) ?? '').length > 50, 'the article body is shown');
    await shot(home, '02-article-desktop');
    await home.close();

    const article = await open(`/articles/${pictured.id}`);
    const image = article.locator('.body img').first();
    const loaded = await image.evaluate((element) => {
      const picture = element as unknown as { complete: boolean; naturalWidth: number };
      return picture.complete ? picture.naturalWidth : -1;
    });
    assert.equal(loaded, 640, 'the mirrored image loads from /media');
    assert.equal(await article.locator('.body a.remote-media[href="https://images.example/not-mirrored.jpg"]').count(), 1, 'the image that was not mirrored is a link');
    assert.equal(await article.locator('.body img[src^="http"]').count(), 0, 'no remote image is loaded');
    await shot(article, '03-article-image');

    await article.locator('header form.search input[name=q]').fill('香港');
    await article.locator('header form.search input[name=q]').press('Enter');
    await article.waitForURL(/\/search\?q=/);
    const total = Number(/找到 (\d+) 篇文章/.exec((await article.locator('[role=status]').textContent()) ?? '')?.[1]);
    assert.ok(total > 0, 'search 香港 finds articles');
    assert.ok((await article.locator('ul.articles li').count()) > 0, 'hits listed');
    assert.equal(await article.locator('ul.articles mark').first().textContent(), '香港');
    await shot(article, '04-search-desktop');

    await article.locator('nav.variant a[lang=zh-Hant]').click();
    await article.waitForURL(/variant=hant/);
    assert.equal(await article.locator('html').getAttribute('lang'), 'zh-Hant');
    assert.equal(await article.locator('a.brand').textContent(), '新聞鏡像', '新闻镜像 → 新聞鏡像');
    assert.equal(await article.locator('ul.articles mark').first().textContent(), '香港');
    assert.equal(await article.locator('header input[name=q]').inputValue(), '香港', 'the query stays as typed');
    await shot(article, '05-search-hant');

    await article.goto(`${server.url}/articles/${pictured.id}`);
    assert.match((await article.locator('h1').first().textContent()) ?? '', /香港國安法/, 'the cookie keeps 繁體 on the next page');
    await article.setViewportSize({ width: 390, height: 844 });
    await shot(article, '06-article-phone-hant');
    const overflow = Number(await article.evaluate(HORIZONTAL_OVERFLOW));
    assert.ok(overflow <= 0, `no horizontal scrolling on a phone (overflow ${overflow}px)`);
    await article.locator('nav.variant a[lang=zh-Hans]').click();
    await article.waitForURL(/variant=hans/);
    assert.match((await article.locator('h1').first().textContent()) ?? '', /香港国安法/);
    await article.close();

    const phone = await open('/', { width: 390, height: 844 });
    await phone.emulateMedia({ colorScheme: 'dark' });
    const background = await phone.evaluate('getComputedStyle(document.body).backgroundColor');
    assert.equal(background, 'rgb(18, 18, 18)', 'dark mode follows prefers-color-scheme');
    assert.ok(Number(await phone.evaluate(HORIZONTAL_OVERFLOW)) <= 0, 'home fits a phone');
    await shot(phone, '07-home-phone-dark');
    await phone.close();

    assert.deepEqual(consoleErrors, []);
  });
});
