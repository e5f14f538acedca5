/**
 * Version history end to end: real successive versions of CDT articles (the corpus's
 * dutymachine/article_versions.jsonl) arrive as edits in a feed served on 127.0.0.1, the real `sync`
 * stores them as versions, and the reader shows their diff in Debian's chromium: inline and side by
 * side, on a desktop and a phone, dark mode, 繁體. No console errors (a CSP violation is one), no
 * horizontal scrolling. Screenshots go to test-artifacts/web/ (gitignored) for a human look.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { chromiumSkip, launchChromium } from '../helpers/chromium.js';
import { runCli } from '../helpers/cli.js';
import { FIXTURE_CORPUS, buildRss, corpusPath, type FeedItem } from '../helpers/corpus.js';
import { startServer } from '../helpers/fixture-server.js';
import { makeTempDir } from '../helpers/tmp.js';
import { openSqliteSearchIndex } from '../../src/adapters/search/index.js';
import { openSqliteStore } from '../../src/adapters/store/sqlite/index.js';
import type { EditListItem, SearchIndex, Store } from '../../src/core/ports.js';
import { createWebApp, startWebServer, type RunningServer } from '../../src/web/index.js';

const run = promisify(execFile);
const ATOM_SCHEMA = new URL('./atom.rnc', import.meta.url).pathname;
// Debian's python3-feedparser is installed for the system interpreter (see feeds.test.ts).
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const FEED_TOOLS = existsSync('/usr/bin/jing') && existsSync('/usr/lib/python3/dist-packages/feedparser') ? false : 'needs jing and python3-feedparser (Debian)';
if (FEED_TOOLS !== false && process.env.CI) throw new Error(`${FEED_TOOLS}; CI must run the feed checks`);
const ARTIFACTS = new URL('../../test-artifacts/web/', import.meta.url).pathname;
const browserSkip = chromiumSkip();
const PHONE = { width: 390, height: 844 };
// Page-side code is passed as source text: this project compiles without the DOM library.
const HORIZONTAL_OVERFLOW = 'document.documentElement.scrollWidth - window.innerWidth';

interface VersionRow {
  path: string;
  version: number;
  pubDate: number | null;
  title: string;
  link: string;
  html: string;
}

let temp: { dir: string; cleanup(): Promise<void> };
let feedServer: Awaited<ReturnType<typeof startServer>>;
let store: Store;
let search: SearchIndex;
let server: RunningServer;
let browser: Browser;
let edits: EditListItem[];
const consoleErrors: string[] = [];

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

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
}

function editOf(title: string): EditListItem {
  const found = edits.find((edit) => edit.title.includes(title) && edit.version === 2);
  assert.ok(found, `an edit of ${title}`);
  return found;
}

before(async () => {
  temp = await makeTempDir();
  let feed = '';
  feedServer = await startServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(feed);
  });
  await writeFile(
    join(temp.dir, 'newsmirror.yaml'),
    `archive: ./archive\ndatabase: ./store.db\nnetwork:\n  allowPrivateNetworks: true\n  retries: 0\n  timeoutSeconds: 10\nmedia: { enabled: false }\nsources:\n  - { id: cdt, name: "中国数字时代", url: "${feedServer.url}/feeds/cdt.xml", fulltext: feed }\n`,
  );
  const byPath = new Map<string, VersionRow[]>();
  for (const line of (await readFile(corpusPath(FIXTURE_CORPUS, 'dutymachine/article_versions.jsonl'), 'utf8')).split('\n')) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as VersionRow;
    byPath.set(row.path, [...(byPath.get(row.path) ?? []), row]);
  }
  const rounds = Math.max(...[...byPath.values()].map((rows) => rows.length));
  // Round n serves each article at its n-th version (its last once it has no more): the publisher's edits as a feed shows them.
  for (let round = 1; round <= rounds; round++) {
    const items: FeedItem[] = [...byPath.values()].map((rows) => {
      const row = rows.find((candidate) => candidate.version === round) ?? (rows.at(-1) as VersionRow);
      return { title: row.title, link: row.link, pubDate: row.pubDate ?? undefined, html: row.html };
    });
    feed = buildRss({ title: 'CDT', link: 'https://chinadigitaltimes.net/chinese/' }, items);
    const result = await runCli(['sync', '--config', join(temp.dir, 'newsmirror.yaml')]);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
  }
  store = openSqliteStore(join(temp.dir, 'store.db'));
  search = openSqliteSearchIndex(join(temp.dir, 'store.db'));
  edits = await store.listRecentEdits({ limit: 50 });
  if (browserSkip !== false) return;
  await mkdir(ARTIFACTS, { recursive: true });
  server = await startWebServer(createWebApp({ store, search, sources: [{ id: 'cdt', name: '中国数字时代', url: 'https://chinadigitaltimes.net/chinese/feed' }], timeZone: 'Asia/Shanghai' }), {
    host: '127.0.0.1',
    port: 0,
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await search?.close();
  await store?.close();
  await feedServer?.close();
  await temp?.cleanup();
});

describe('version history through the real sync', () => {
  it('VH-01 every edit in the feed is a version, and the changes feed lists each', async () => {
    const expected = (await readFile(corpusPath(FIXTURE_CORPUS, 'dutymachine/article_versions.jsonl'), 'utf8')).split('\n').filter((line) => /"version": [2-9]/.test(line)).length;
    assert.equal(edits.length, expected);
    const app = createWebApp({ store, search, sources: [{ id: 'cdt', name: '中国数字时代', url: 'https://x.test/' }], timeZone: 'Asia/Shanghai' });
    const changes = (await (await app.request('/feeds/changes.json')).json()) as { items: { id: string }[] };
    assert.deepEqual(
      changes.items.map((item) => item.id),
      edits.map((edit) => `urn:newsmirror:article:${edit.articleId}:v${edit.version}`),
    );
  });
});

describe('the changes feed read by real clients', () => {
  it('VH-02 feedparser reads the RSS and Atom changes feeds without error, every edit once; jing validates the Atom', { skip: FEED_TOOLS }, async () => {
    const app = createWebApp({ store, search, sources: [{ id: 'cdt', name: '中国数字时代', url: 'https://x.test/' }], timeZone: 'Asia/Shanghai' });
    const paths: string[] = [];
    for (const format of ['xml', 'atom']) {
      const path = join(temp.dir, `changes.${format}`);
      await writeFile(path, await (await app.request(`/feeds/changes.${format}`)).text());
      paths.push(path);
    }
    const script = 'import sys, json, feedparser\nprint(json.dumps([[int(bool(d.bozo)), [e.get("id") for e in d.entries]] for d in map(feedparser.parse, sys.argv[1:])]))';
    const parsed = JSON.parse((await run(PYTHON, ['-c', script, ...paths])).stdout) as [number, string[]][];
    const ids = edits.map((edit) => `urn:newsmirror:article:${edit.articleId}:v${edit.version}`);
    assert.deepEqual(parsed, [
      [0, ids],
      [0, ids],
    ]);
    await run('jing', ['-c', ATOM_SCHEMA, paths[1] as string]);
  });
});

describe('the diff page in chromium', () => {
  const skip = browserSkip;

  it('BR-D01 inline and side by side on a desktop, from the article page\'s version list', { skip }, async () => {
    const boxer = editOf('大清向全世界宣战');
    const page = await open(`/articles/${boxer.articleId}`);
    await page.getByRole('link', { name: '与第 1 版比较' }).click();
    await page.waitForURL(/\/diff\?from=1&to=2$/);
    assert.equal(await page.locator('.diff-inline del').first().textContent(), '毅和団');
    assert.equal(await page.locator('.diff-inline ins').first().textContent(), '义和团');
    const struck = await page.locator('.diff-inline del').first().evaluate(computedStyle, 'text-decoration-line');
    assert.equal(struck, 'line-through', 'a deletion is struck through, not only coloured');
    await shot(page, 'diff-01-inline-desktop');
    await page.getByRole('link', { name: '左右对照' }).first().click();
    await page.waitForURL(/view=side/);
    const cells = page.locator('table.diff-side tr.d-change').first().locator('td');
    assert.equal(await cells.count(), 2);
    assert.equal(await cells.nth(0).locator('del').first().textContent(), '毅和団');
    assert.equal(await cells.nth(0).locator('ins').count(), 0, 'the old side shows no insertions');
    assert.equal(await cells.nth(1).locator('ins').first().textContent(), '义和团');
    const [left, right] = await Promise.all([cells.nth(0).boundingBox(), cells.nth(1).boundingBox()]);
    assert.ok(left && right && right.x > left.x + left.width - 2, 'two columns side by side');
    await shot(page, 'diff-02-side-desktop');
    await page.locator('details.d-fold summary').first().click();
    assert.ok(await page.locator('details.d-fold').first().evaluate((element) => (element as unknown as { open: boolean }).open), 'a folded stretch opens without script');
    assert.ok(Number(await page.evaluate(HORIZONTAL_OVERFLOW)) <= 0);
    await page.close();
  });

  it('BR-D02 a phone: inline, side by side stacked, dark mode, 繁體; pickers change the pair', { skip }, async () => {
    const flood = editOf('央视报道了日本洪灾');
    const inline = await open(`/articles/${flood.articleId}/diff?from=1&to=2`, PHONE);
    assert.ok(Number(await inline.evaluate(HORIZONTAL_OVERFLOW)) <= 0, 'inline fits a phone');
    assert.ok((await inline.locator('.diff-inline ins .d-media').count()) >= 1, 'the added image is shown as a label');
    await shot(inline, 'diff-03-inline-phone', true);
    await inline.goto(`${server.url}/articles/${flood.articleId}/diff?from=1&to=3&view=side`);
    assert.ok(Number(await inline.evaluate(HORIZONTAL_OVERFLOW)) <= 0, 'side by side fits a phone');
    const row = inline.locator('table.diff-side tr.d-change').first().locator('td');
    const [top, bottom] = await Promise.all([row.nth(0).boundingBox(), row.nth(1).boundingBox()]);
    assert.ok(top && bottom && bottom.y >= top.y + top.height - 1, 'on a phone the two sides stack');
    await inline.emulateMedia({ colorScheme: 'dark' });
    const insBackground = await inline.locator('table.diff-side ins').first().evaluate(computedStyle, 'background-color');
    assert.equal(insBackground, 'rgb(23, 61, 36)', 'dark mode has its own insertion colour');
    await shot(inline, 'diff-04-side-phone-dark', true);
    await inline.close();

    const three = editOf('王全璋');
    const hant = await open(`/articles/${three.articleId}/diff?variant=hant`, PHONE);
    assert.equal(await hant.locator('html').getAttribute('lang'), 'zh-Hant');
    assert.match((await hant.locator('h1').textContent()) ?? '', /第 2 版 → 第 3 版/);
    await hant.locator('select[name=from]').selectOption('1');
    await hant.locator('select[name=to]').selectOption('2');
    await hant.locator('form.diff-pick button').click();
    await hant.waitForURL(/from=1&to=2/);
    assert.equal(await hant.locator('.diff-inline ins').first().textContent(), '、');
    await shot(hant, 'diff-05-inline-phone-hant');
    await hant.close();

    assert.deepEqual(consoleErrors, []);
  });
});

/** StyleWindow is the one browser function computedStyle needs (this project compiles without the DOM library). */
interface StyleWindow {
  getComputedStyle(element: unknown): { getPropertyValue(name: string): string };
}

/** computedStyle runs in the page: one computed property of the element. */
function computedStyle(element: unknown, property: string): string {
  return (globalThis as unknown as StyleWindow).getComputedStyle(element).getPropertyValue(property);
}
