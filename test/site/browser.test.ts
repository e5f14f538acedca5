/**
 * The exported site in a real browser, opened through file:// with Chromium's default settings:
 * home, a source's page, an article with its mirrored image, a search for a Chinese word whose total
 * equals the server's `/api/search` on the same store (the reader app in-process), the 繁體 switch,
 * a phone in dark mode. Every request is watched: none may leave file://, and no console error (a
 * CSP violation is one) may appear. Screenshots go to test-artifacts/site/ (gitignored).
 * Skipped when chromium is missing, unless CI is set.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { chromiumSkip, launchChromium } from '../helpers/chromium.js';
import { createArchiveWriter } from '../../src/adapters/archive/index.js';
import { openSqliteSearchIndex } from '../../src/adapters/search/index.js';
import { openSqliteStore } from '../../src/adapters/store/sqlite/index.js';
import type { Article } from '../../src/core/model/index.js';
import type { SearchIndex, Store } from '../../src/core/ports.js';
import { bundleSearchScript } from '../../src/site/bundle.js';
import { removeSiteFile } from '../../src/main/site.js';
import { exportSite } from '../../src/site/export.js';
import { createWebApp } from '../../src/web/index.js';
import { CORPUS_SOURCES, asNewChanges, withPicturedArticle } from '../helpers/web-articles.js';
import { FIXTURE_CORPUS } from '../helpers/corpus.js';

const ARTIFACTS = new URL('../../test-artifacts/site/', import.meta.url).pathname;
const browserSkip = chromiumSkip();
const available = browserSkip === false;
// Page-side code is passed as source text: this project compiles without the DOM library.
const HORIZONTAL_OVERFLOW = 'document.documentElement.scrollWidth - window.innerWidth';

let root: string;
let site: string;
let store: Store;
let search: SearchIndex;
let browser: Browser;
let pictured: Article;
const consoleErrors: string[] = [];
const foreignRequests: string[] = [];

/** url is the file:// URL of a site path, with its query string kept as one. */
function url(path: string): string {
  const [file = '', query] = path.split('?');
  return `${pathToFileURL(join(site, file)).href}${query === undefined ? '' : `?${encodeURI(query)}`}`;
}

async function open(path: string, size = { width: 1280, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport: size });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${path}: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`${path}: ${error.message}`));
  page.on('request', (request) => {
    if (!request.url().startsWith('file://')) foreignRequests.push(request.url());
  });
  await page.goto(url(path));
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
}

/** siteTotal opens the site's search page for a query and reads the total it shows. */
async function siteTotal(page: Page, query: string): Promise<number> {
  await page.goto(`${url('search.html')}?${query}`);
  const status = page.locator('#search-status[data-total]');
  await status.waitFor();
  return Number(await status.getAttribute('data-total'));
}

before(async () => {
  if (!available) return;
  await mkdir(ARTIFACTS, { recursive: true });
  root = await mkdtemp(join(tmpdir(), 'newsmirror-site-browser-'));
  site = join(root, 'site');
  await mkdir(site);
  const fixture = await withPicturedArticle(root, FIXTURE_CORPUS);
  const articles = fixture.articles;
  pictured = fixture.pictured;
  store = openSqliteStore(join(root, 'store.db'));
  await store.applyChanges(asNewChanges(articles));
  search = openSqliteSearchIndex(join(root, 'store.db'));
  await search.index(articles);
  await exportSite({
    store,
    sources: CORPUS_SOURCES,
    timeZone: 'Asia/Shanghai',
    clock: { now: () => Date.now() },
    out: createArchiveWriter(site),
    readMedia: async (path) => readFile(join(root, path)).catch(() => undefined),
    searchScript: await bundleSearchScript(),
    remove: (path) => removeSiteFile(site, path),
  });
  browser = await launchChromium();
});

after(async () => {
  if (!available) return;
  await browser?.close();
  await search?.close();
  await store?.close();
  await rm(root, { recursive: true, force: true });
});

describe('the exported site in chromium through file://', () => {
  const skip = browserSkip;
  it('SB-01 home, a source, an article with its image, search totals equal /api/search, 繁體, a phone in dark mode; nothing leaves file://', { skip }, async () => {
    const home = await open('index.html');
    assert.equal(await home.locator('h1').first().textContent(), '新闻来源');
    assert.equal(await home.locator('table.sources tbody tr').count(), CORPUS_SOURCES.length);
    assert.ok((await home.locator('ul.articles li').count()) >= 20, 'newest articles listed');
    await shot(home, '01-home');
    await home.getByRole('link', { name: '法广' }).first().click();
    await home.waitForURL(/\/sources\/rfi\/index\.html$/);
    assert.ok((await home.locator('section h2').count()) >= 1, 'the source page groups articles by day');
    await shot(home, '02-source');
    await home.locator('ul.articles a.title').first().click();
    await home.waitForURL(/\/articles\/..\/[a-z2-7]{16}\.html$/);
    assert.ok(((await home.locator('.body').textContent()) ?? '').length > 50, 'the article body is shown');
    await home.close();

    const article = await open(`articles/pi/${pictured.id}.html`);
    const loaded = await article.locator('.body img').first().evaluate((element) => {
      const picture = element as unknown as { complete: boolean; naturalWidth: number };
      return picture.complete ? picture.naturalWidth : -1;
    });
    assert.equal(loaded, 640, 'the mirrored image loads from the site');
    assert.equal(await article.locator('.body img[src^="http"]').count(), 0, 'no remote image is loaded');
    await shot(article, '03-article-image');

    // The header's search box leads to the search page, which answers from the shards.
    await article.locator('header form.search input[name=q]').fill('香港');
    await article.locator('header form.search input[name=q]').press('Enter');
    await article.waitForURL(/\/search\.html\?q=/);
    await article.locator('#search-status[data-total]').waitFor();
    assert.ok((await article.locator('#search-results ul.articles li').count()) > 0, 'hits listed');
    await shot(article, '04-search');

    const app = createWebApp({ store, search, sources: CORPUS_SOURCES, timeZone: 'Asia/Shanghai', mediaDir: root });
    for (const query of ['q=香港', 'q=国安法', 'q=港', 'q=特朗普', 'q=香港&source=bbc', 'q=美国 中国', 'q=BBC']) {
      const response = await app.request(`/api/search?${encodeURI(query)}&limit=1`);
      const { total } = (await response.json()) as { total: number };
      assert.equal(await siteTotal(article, encodeURI(query)), total, query);
    }
    assert.ok((await siteTotal(article, encodeURI('q=香港'))) > 1);

    // Snippets: the server's own, matched terms in <mark>, for the results the page shows.
    await article.goto(`${url('search.html')}?${encodeURI('q=国安法')}`);
    await article.locator('#search-results li .snippet').first().waitFor();
    const shown = await article.locator('#search-results li').evaluateAll(
      new Function('items', 'return items.map((li) => [li.querySelector("a.title").getAttribute("href"), li.querySelector(".snippet").innerHTML])') as (items: unknown[]) => [string, string][],
    );
    const api = (await (await app.request(`/api/search?${encodeURI('q=国安法')}&limit=50`)).json()) as { results: { id: string; snippet: string }[] };
    assert.ok(shown.some(([, snippet]) => snippet.includes('<mark>国安法</mark>')), 'a snippet marks the term');
    for (const [href, snippet] of shown) {
      const hit = api.results.find((result) => href.endsWith(`/${result.id}.html`));
      assert.equal(snippet, hit?.snippet, href);
    }

    await article.locator('nav.variant a[lang=zh-Hant]').click();
    await article.waitForURL(/\/hant\/search\.html$/);
    assert.equal(await article.locator('html').getAttribute('lang'), 'zh-Hant');
    assert.equal(await article.locator('a.brand').textContent(), '新聞鏡像', '新闻镜像 → 新聞鏡像');
    await article.goto(url(`hant/articles/pi/${pictured.id}.html`));
    assert.match((await article.locator('h1').first().textContent()) ?? '', /香港國安法/);
    await article.setViewportSize({ width: 390, height: 844 });
    await shot(article, '05-article-phone-hant');
    assert.ok(Number(await article.evaluate(HORIZONTAL_OVERFLOW)) <= 0, 'no horizontal scrolling on a phone');
    await article.locator('nav.variant a[lang=zh-Hans]').click();
    await article.waitForURL(/\/site\/articles\/pi\//);
    assert.match((await article.locator('h1').first().textContent()) ?? '', /香港国安法/);
    await article.close();

    const phone = await open('search.html?q=香港', { width: 390, height: 844 });
    await phone.emulateMedia({ colorScheme: 'dark' });
    await phone.locator('#search-status[data-total]').waitFor();
    assert.equal(await phone.evaluate('getComputedStyle(document.body).backgroundColor'), 'rgb(18, 18, 18)', 'dark mode follows prefers-color-scheme');
    assert.ok(Number(await phone.evaluate(HORIZONTAL_OVERFLOW)) <= 0, 'the search page fits a phone');
    await shot(phone, '06-search-phone-dark');
    await phone.close();

    assert.deepEqual(foreignRequests, []);
    assert.deepEqual(consoleErrors, []);
  });
});
