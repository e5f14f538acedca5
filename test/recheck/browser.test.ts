/**
 * The removal notice in a real browser (Debian's Chromium): on a desktop and on a phone width, with
 * the evidence opened; no horizontal scrolling; screenshots in test-artifacts/recheck/ to look at.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { openSqliteRecheckStore, openSqliteStore } from '../../src/adapters/store/sqlite/index.js';
import { openSqliteSearchIndex } from '../../src/adapters/search/index.js';
import type { Article } from '../../src/core/model/index.js';
import type { RecheckStore, SearchIndex, Store } from '../../src/core/ports.js';
import { createWebApp, startWebServer, type RunningServer } from '../../src/web/index.js';
import { chromiumSkip, launchChromium } from '../helpers/chromium.js';
import { makeTempDir } from '../helpers/tmp.js';

const ARTIFACTS = new URL('../../test-artifacts/recheck/', import.meta.url).pathname;
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 2, 1, 4, 0);
const skip = chromiumSkip();
const HORIZONTAL_OVERFLOW = 'document.documentElement.scrollWidth - window.innerWidth';

const article: Article = {
  id: 'removedremoved22',
  sourceId: 'cdt',
  key: 'https://chinadigitaltimes.net/chinese/2024/03/一篇很长的文章标题被删除之后仍然保留在镜像里',
  url: 'https://chinadigitaltimes.net/chinese/2024/03/%E4%B8%80%E7%AF%87%E5%BE%88%E9%95%BF%E7%9A%84%E6%96%87%E7%AB%A0%E6%A0%87%E9%A2%98%E8%A2%AB%E5%88%A0%E9%99%A4',
  canonicalUrl: 'https://chinadigitaltimes.net/chinese/2024/03/x',
  title: '【网络审查】一篇被删除的文章：微信公众号文章在发布数小时后无法查看',
  bodyHtml: Array.from({ length: 6 }, (_, n) => `<p>第${n + 1}段：这篇文章在原网站上已经无法访问，但镜像保留了当时的全文，供无法直接访问的读者阅读。</p>`).join('\n'),
  published: T0,
  dateMissing: false,
  firstSeen: T0,
  contentHash: 'h',
  version: 1,
  path: 'articles/cdt/2024/03/01/1200-removedremoved22.md',
  method: 'feed',
  authors: ['中国数字时代'],
  categories: [],
  lastSeen: T0,
};

describe('reader: the removal notice in Chromium', { skip }, () => {
  let temp: { dir: string; cleanup(): Promise<void> };
  let store: Store;
  let recheck: RecheckStore;
  let search: SearchIndex;
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    temp = await makeTempDir('newsmirror-removed-browser-');
    const file = join(temp.dir, 'store.db');
    store = openSqliteStore(file);
    recheck = openSqliteRecheckStore(file);
    search = openSqliteSearchIndex(file);
    await store.applyChanges([{ kind: 'new', article, raw: { articleId: article.id, version: 1, entryJson: '{}', fetchedFrom: 'x' } }]);
    await recheck.saveCheck({
      state: { articleId: article.id, sourceId: 'cdt', goneChecks: 2 },
      removal: {
        articleId: article.id,
        sourceId: 'cdt',
        firstGoneAt: T0 + HOUR,
        confirmedAt: T0 + 7 * HOUR,
        evidence: [
          { at: T0 + HOUR, status: 200, finalUrl: article.url, rule: 'notice:weixin:该内容已被发布者删除' },
          { at: T0 + 7 * HOUR, status: 404, finalUrl: article.url, rule: 'http-404' },
        ],
      },
      markFile: false,
    });
    const app = createWebApp({ store, search, recheck, sources: [{ id: 'cdt', name: '中国数字时代', url: 'https://chinadigitaltimes.net/feed' }], timeZone: 'Asia/Shanghai' });
    server = await startWebServer(app, { host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await search?.close();
    await recheck?.close();
    await store?.close();
    await temp?.cleanup();
  });

  it('RB-01 the notice and its evidence fit a desktop and a phone', async () => {
    for (const [name, viewport] of [
      ['01-removed-article-desktop', { width: 1280, height: 900 }],
      ['02-removed-article-phone', { width: 390, height: 844 }],
    ] as const) {
      const page = await browser.newPage({ viewport });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      assert.equal((await page.goto(`${server.url}/articles/${article.id}`))?.status(), 200);
      assert.match((await page.locator('section.removal').textContent()) ?? '', /原文已于 2024-03-01 19:00 删除/);
      await page.locator('section.removal summary').click();
      assert.equal(await page.locator('section.removal li').count(), 2);
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
      const overflow = Number(await page.evaluate(HORIZONTAL_OVERFLOW));
      assert.ok(overflow <= 0, `${name}: no horizontal scrolling (overflow ${overflow}px)`);
      assert.deepEqual(errors, []);
      await page.close();
    }
    const list = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await list.goto(`${server.url}/removed`);
    await list.screenshot({ path: join(ARTIFACTS, '03-removed-list-phone.png'), fullPage: false });
    assert.ok(Number(await list.evaluate(HORIZONTAL_OVERFLOW)) <= 0, '/removed fits a phone');
    await list.close();
  });
});
