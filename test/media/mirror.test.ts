import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { createHttpClient, type HttpClientOptions } from '../../src/adapters/http/index.js';
import {
  createImageMirror,
  createMemoryMediaState,
  openSqliteMediaState,
  type ImageMirrorOptions,
} from '../../src/adapters/media/index.js';
import { openSqliteStore, openSqliteWorkLeases } from '../../src/adapters/store/sqlite/index.js';
import type { HttpClient, MediaStateStore } from '../../src/core/ports.js';
import { SEED_FILE } from '../helpers/corpus.js';
import { startProxy, startServer, type FixtureServer } from '../helpers/fixture-server.js';
import { makeTempDir } from '../helpers/tmp.js';
import { jpeg, png, webp } from './images.js';

const ARTICLE_PATH = 'articles/rfi/2023/10/20/1815-abcdefgh.md';
const UP = '../../../../../';
const HOUR = 60 * 60 * 1000;

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const IMAGES = {
  jpeg: jpeg('a'),
  webp: webp(),
  shared: png(10, 20, 30),
  hotlink: jpeg('hotlink'),
  big: Uint8Array.from([...jpeg('big'), ...new Uint8Array(5000)]),
  seed: jpeg('seed lead image'),
  flaky: jpeg('flaky'),
};
const SVG_WITH_SCRIPT =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4" onload="alert(1)"><script>alert(document.cookie)</script><rect width="4" height="4" fill="#c03"/></svg>';
const SVG_WITH_ENTITIES =
  '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>';
const SEED_IMAGE_PATH = '/media/display/c9d309ec-6f2b-11ee-a7fa-005056a90284/w:1280/p:16x9/AP23293271731247.jpg';

interface Site {
  server: FixtureServer;
  /** Requests per path, so tests can show what was (not) fetched. */
  hits(path: string): number;
  /** Whether /flaky.jpg works yet. */
  flakyUp: boolean;
}

/** startImageSite serves every case of the proof from one local server. */
async function startImageSite(): Promise<Site> {
  const site: Site = { server: undefined as unknown as FixtureServer, hits: () => 0, flakyUp: false };
  const image = (bytes: Uint8Array, type: string) => ({ bytes, type });
  const routes: Record<string, { bytes: Uint8Array; type: string }> = {
    '/a.jpg': image(IMAGES.jpeg, 'image/jpeg'),
    '/b.webp': image(IMAGES.webp, 'image/webp'),
    '/shared.png': image(IMAGES.shared, 'image/png'),
    '/big.jpg': image(IMAGES.big, 'image/jpeg'),
    '/script.svg': image(new TextEncoder().encode(SVG_WITH_SCRIPT), 'image/svg+xml'),
    '/entity.svg': image(new TextEncoder().encode(SVG_WITH_ENTITIES), 'image/svg+xml'),
    '/html.jpg': image(new TextEncoder().encode('<!DOCTYPE html><html><body>Access denied</body></html>'), 'image/jpeg'),
    [SEED_IMAGE_PATH]: image(IMAGES.seed, 'image/jpeg'),
  };
  site.server = await startServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const route = routes[path];
    if (path === '/big.jpg') {
      // Chunked, with no Content-Length: the cap must hold while streaming.
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.write(IMAGES.big.subarray(0, 1000));
      res.end(IMAGES.big.subarray(1000));
    } else if (route !== undefined) {
      res.writeHead(200, { 'content-type': route.type, 'content-length': String(route.bytes.length) }).end(route.bytes);
    } else if (path === '/hotlink.jpg') {
      if (req.headers.referer === 'https://www.rfi.fr/') res.writeHead(200, { 'content-type': 'image/jpeg' }).end(IMAGES.hotlink);
      else res.writeHead(403, { 'content-type': 'text/plain' }).end('hotlinking forbidden');
    } else if (path === '/flaky.jpg') {
      if (site.flakyUp) res.writeHead(200, { 'content-type': 'image/jpeg' }).end(IMAGES.flaky);
      else res.writeHead(503, { 'content-type': 'text/plain' }).end('try later');
    } else if (path === '/slow.jpg') {
      // Never answers within the client's timeout; the socket closing ends the wait.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 10_000);
        res.on('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (!res.writableEnded && !res.destroyed) res.end(IMAGES.jpeg);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  site.hits = (path) => site.server.requests.filter((request) => request.url === path).length;
  cleanups.push(() => site.server.close());
  return site;
}

function testClient(options: HttpClientOptions = {}): HttpClient {
  const http = createHttpClient({ allowPrivateNetworks: true, env: {}, retries: 0, timeoutSeconds: 0.5, perHost: 4, ...options });
  cleanups.push(() => http.close());
  return http;
}

async function tempRoot(): Promise<string> {
  const temp = await makeTempDir('newsmirror-media-');
  cleanups.push(temp.cleanup);
  return temp.dir;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function localPath(bytes: Uint8Array, ext: string): string {
  const hex = sha256(bytes);
  return `media/${hex.slice(0, 2)}/${hex}.${ext}`;
}

/** mediaFiles lists every file below root/media, relative to root, sorted. */
async function mediaFiles(root: string): Promise<string[]> {
  const entries = await readdir(join(root, 'media'), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1))
    .sort();
}

function mirrorWith(http: HttpClient, root: string, extra: Partial<ImageMirrorOptions> = {}) {
  let now = Date.UTC(2023, 9, 20, 10, 0, 0);
  const clock = { now: () => now };
  const mirror = createImageMirror({ http, root, clock, ...extra });
  return { mirror, advance: (ms: number) => (now += ms), now: () => now };
}

describe('media mirror, end to end against a local image server', () => {
  it('MEDIA-E01 mirrors a JPEG and a WebP, points the body at them and keeps the original URLs', async () => {
    const site = await startImageSite();
    const root = await tempRoot();
    const { mirror } = mirrorWith(testClient(), root);
    const html = `<p>text</p>\n<img src="${site.server.url}/a.jpg" alt="A">\n<figure><img src="${site.server.url}/b.webp"></figure>`;
    const result = await mirror.mirrorArticleImages({ sourceId: 'rfi', articleId: 'a1', articlePath: ARTICLE_PATH, html });

    const jpegPath = localPath(IMAGES.jpeg, 'jpg');
    const webpPath = localPath(IMAGES.webp, 'webp');
    assert.deepEqual(result.failed, []);
    assert.equal(result.mirrored, 2);
    assert.equal(result.bytes, IMAGES.jpeg.length + IMAGES.webp.length);
    assert.equal(
      result.html,
      `<p>text</p>\n<img src="${UP}${jpegPath}" data-original-src="${site.server.url}/a.jpg" alt="A">\n` +
        `<figure><img src="${UP}${webpPath}" data-original-src="${site.server.url}/b.webp"></figure>`,
    );
    assert.deepEqual(await mediaFiles(root), [jpegPath, webpPath].sort());
    assert.deepEqual(new Uint8Array(await readFile(join(root, jpegPath))), IMAGES.jpeg);
    assert.deepEqual(new Uint8Array(await readFile(join(root, webpPath))), IMAGES.webp);
    // The link resolves from the article's folder to the stored file.
    assert.equal(join(root, 'articles/rfi/2023/10/20', `${UP}${jpegPath}`), join(root, jpegPath));

    const again = await mirror.mirrorArticleImages({ sourceId: 'rfi', articleId: 'a1', articlePath: ARTICLE_PATH, html: result.html });
    assert.equal(again.html, result.html, 'mirroring a mirrored body changes nothing');
    assert.equal(again.bytes, 0, 'and downloads nothing');
    assert.equal(site.hits('/a.jpg'), 1);
  });

  it('MEDIA-E02 stores an image shared by two articles once, and fetches it once', async () => {
    const site = await startImageSite();
    const root = await tempRoot();
    const { mirror } = mirrorWith(testClient(), root);
    const html = `<p><img src="${site.server.url}/shared.png"></p>`;
    const [first, second] = await Promise.all([
      mirror.mirrorArticleImages({ sourceId: 'rfi', articleId: 'one', articlePath: ARTICLE_PATH, html }),
      mirror.mirrorArticleImages({ sourceId: 'voa', articleId: 'two', articlePath: 'articles/voa/2023/10/21/0900-x.md', html }),
    ]);
    const path = localPath(IMAGES.shared, 'png');
    assert.equal(first.mirrored, 1);
    assert.equal(second.mirrored, 1);
    assert.ok(first.html.includes(`src="${UP}${path}"`));
    assert.ok(second.html.includes(`src="${UP}${path}"`));
    assert.deepEqual(await mediaFiles(root), [path]);
    assert.equal(site.hits('/shared.png'), 1);

    // A different URL with the same bytes is still one file.
    const third = await mirror.mirrorArticleImages({
      sourceId: 'rfi',
      articleId: 'three',
      articlePath: ARTICLE_PATH,
      html: `<img src="${site.server.url}/shared.png?copy=1">`,
    });
    assert.equal(third.mirrored, 1);
    assert.deepEqual(await mediaFiles(root), [path]);
  });

  it('MEDIA-E11 two workers whose articles show one image fetch it once: the one that leases it, the other waits for that copy', async () => {
    const site = await startImageSite();
    const root = await tempRoot();
    const file = join(root, 'newsmirror.db');
    const store = openSqliteStore(file);
    const states = [openSqliteMediaState(file), openSqliteMediaState(file)];
    const work = openSqliteWorkLeases(file);
    cleanups.push(async () => {
      for (const state of states) await state.close();
      await work.close();
      await store.close();
    });
    const workers = states.map((state, n) => mirrorWith(testClient(), root, { state, leases: { work, owner: `worker-${n}`, leaseMs: 60_000 } }).mirror);
    const html = `<p><img src="${site.server.url}/shared.png"></p>`;
    const results = await Promise.all(
      workers.map((mirror, n) => mirror.mirrorArticleImages({ sourceId: 'rfi', articleId: `article-${n}`, articlePath: ARTICLE_PATH, html })),
    );
    const path = localPath(IMAGES.shared, 'png');
    assert.deepEqual(results.map((result) => result.mirrored), [1, 1]);
    for (const result of results) assert.ok(result.html.includes(`src="${UP}${path}"`));
    assert.equal(site.hits('/shared.png'), 1);
    const key = sha256(new TextEncoder().encode(`${site.server.url}/shared.png`));
    assert.deepEqual(await work.claim({ kind: 'image', owner: 'another', keys: [key], leaseMs: 1 }), [key], 'the lease was released');
  });

  it('MEDIA-E03 sends the source Referer to a hotlink-protected host', async () => {
    const site = await startImageSite();
    const { mirror } = mirrorWith(testClient(), await tempRoot());
    const html = `<img src="${site.server.url}/hotlink.jpg">`;
    const without = await mirror.mirrorArticleImages({ sourceId: 'rfi', articleId: 'h0', articlePath: ARTICLE_PATH, html });
    assert.equal(without.failed[0]?.code, 'http-status');
    assert.equal(without.html, html);

    const { mirror: fresh } = mirrorWith(testClient(), await tempRoot());
    const withReferer = await fresh.mirrorArticleImages({
      sourceId: 'rfi',
      articleId: 'h1',
      articlePath: ARTICLE_PATH,
      html,
      referer: 'https://www.rfi.fr/',
    });
    assert.deepEqual(withReferer.failed, []);
    assert.ok(withReferer.html.includes(localPath(IMAGES.hotlink, 'jpg')));
    assert.equal(site.server.requests.at(-1)?.headers.referer, 'https://www.rfi.fr/');
  });

  it('MEDIA-E04 refuses a 404, an image over the cap, HTML served as image/jpeg and a slow image; the article keeps their URLs', async () => {
    const site = await startImageSite();
    const root = await tempRoot();
    const { mirror } = mirrorWith(testClient(), root, { maxImageBytes: 2000 });
    const urls = ['/missing.jpg', '/big.jpg', '/html.jpg', '/slow.jpg', '/a.jpg'].map((path) => `${site.server.url}${path}`);
    const html = urls.map((url) => `<p><img src="${url}"></p>`).join('\n');
    const result = await mirror.mirrorArticleImages({ sourceId: 'rfi', articleId: 'bad', articlePath: ARTICLE_PATH, html });

    const codes = Object.fromEntries(result.failed.map((failure) => [new URL(failure.url).pathname, failure.code]));
    assert.deepEqual(codes, {
      '/missing.jpg': 'http-status',
      '/big.jpg': 'too-large',
      '/html.jpg': 'unsupported-media',
      '/slow.jpg': 'timeout',
    });
    assert.equal(result.mirrored, 1);
    const expected = html.replace(`<img src="${urls[4]}">`, `<img src="${UP}${localPath(IMAGES.jpeg, 'jpg')}" data-original-src="${urls[4]}">`);
    assert.equal(result.html, expected, 'failed images keep their original URL, untouched');
    assert.deepEqual(await mediaFiles(root), [localPath(IMAGES.jpeg, 'jpg')], 'nothing of the refused bodies is stored');
    assert.deepEqual(await mirror.missingImagesBySource(), new Map([['rfi', 4]]));
  });

  it('MEDIA-E05 stores an SVG carrying a script only after sanitizing it, and refuses one it cannot make safe', async () => {
    const site = await startImageSite();
    const root = await tempRoot();
    const { mirror } = mirrorWith(testClient(), root);
    const result = await mirror.mirrorArticleImages({
      sourceId: 'rfi',
      articleId: 'svg',
      articlePath: ARTICLE_PATH,
      html: `<img src="${site.server.url}/script.svg">`,
    });
    assert.deepEqual(result.failed, []);
    const [file = ''] = await mediaFiles(root);
    assert.ok(file.endsWith('.svg'));
    const stored = await readFile(join(root, file), 'utf8');
    assert.doesNotMatch(stored, /script|onload|alert/i);
    assert.match(stored, /<rect width="4" height="4" fill="#c03"\/>/);
    assert.equal(file, localPath(new TextEncoder().encode(stored), 'svg'), 'addressed by the sanitized bytes');

    const refused = await mirror.mirrorArticleImages({
      sourceId: 'rfi',
      articleId: 'svg2',
      articlePath: ARTICLE_PATH,
      html: `<img src="${site.server.url}/entity.svg">`,
    });
    assert.deepEqual(refused.failed.map((failure) => failure.code), ['unsupported-media']);
    assert.equal((await mediaFiles(root)).length, 1, 'an SVG that cannot be made safe is not stored');
  });

  it('MEDIA-E06 refuses a redirect to a private address when private networks are not allowed', async () => {
    const site = await startImageSite();
    const redirector = await startServer((_req, res) => {
      res.writeHead(302, { location: `${site.server.url}/a.jpg` }).end();
    });
    cleanups.push(() => redirector.close());
    // The proxy dials images.test at 127.0.0.1 while our resolver calls it public, so only the
    // redirect to 127.0.0.1 can trip the check.
    const proxy = await startProxy({ hosts: { 'images.test': '127.0.0.1' } });
    cleanups.push(() => proxy.close());
    const strict = testClient({ allowPrivateNetworks: false, proxy: proxy.url, resolve: async () => [{ address: '93.184.216.34', family: 4 }] });
    const root = await tempRoot();
    const { mirror } = mirrorWith(strict, root);
    const html = `<img src="http://images.test:${redirector.port}/photo.jpg">`;
    const result = await mirror.mirrorArticleImages({ sourceId: 'rfi', articleId: 'ssrf', articlePath: ARTICLE_PATH, html });
    assert.equal(result.failed[0]?.code, 'private-address');
    assert.equal(result.html, html);
    assert.equal(redirector.requests.length, 1, 'the first hop was made');
    assert.equal(site.hits('/a.jpg'), 0, 'the private target never was');
    assert.deepEqual(await mediaFiles(root), []);
  });

  it('MEDIA-E07 caps the bytes of one article: images past the cap stay remote', async () => {
    const site = await startImageSite();
    const root = await tempRoot();
    const sizes = [IMAGES.jpeg.length, IMAGES.webp.length, IMAGES.shared.length];
    const { mirror } = mirrorWith(testClient(), root, { maxArticleBytes: sizes[0]! + sizes[1]! + sizes[2]! - 1 });
    const html = ['/a.jpg', '/b.webp', '/shared.png'].map((path) => `<img src="${site.server.url}${path}">`).join('\n');
    const result = await mirror.mirrorArticleImages({ sourceId: 'rfi', articleId: 'cap', articlePath: ARTICLE_PATH, html });
    assert.equal(result.mirrored, 2);
    assert.equal(result.failed.length, 1);
    assert.equal(result.failed[0]?.code, 'too-large');
    assert.equal((await mediaFiles(root)).length, 2);
  });

  it('MEDIA-E08 mirrors the seed article lead image and the body points to it', async () => {
    const site = await startImageSite();
    const root = await tempRoot();
    const { mirror } = mirrorWith(testClient(), root);
    const seed = await readFile(SEED_FILE, 'utf8');
    const body = seed.slice(seed.indexOf('------\n') + '------\n'.length).replace(/^\n/, '');
    assert.ok(body.includes(`https://s.rfi.fr${SEED_IMAGE_PATH}`), 'the seed names its lead image');
    // The local server stands for s.rfi.fr.
    const html = body.replaceAll('https://s.rfi.fr', site.server.url);
    const original = `${site.server.url}${SEED_IMAGE_PATH}`;
    const result = await mirror.mirrorArticleImages({
      sourceId: 'rfi',
      articleId: 'seed',
      articlePath: 'articles/rfi/2023/10/20/1815-seed0001.md',
      html,
      referer: 'https://www.rfi.fr/',
    });
    assert.deepEqual(result.failed, []);
    const path = localPath(IMAGES.seed, 'jpg');
    assert.match(path, /^media\/[0-9a-f]{2}\/[0-9a-f]{64}\.jpg$/);
    const tag = `<img src="../../../../../${path}" data-original-src="${original}">`;
    assert.equal(result.html, html.replace(`<img src="${original}">`, tag), 'only the img tag changed');
    assert.deepEqual(result.images, [{ url: original, path }]);
    assert.deepEqual(new Uint8Array(await readFile(join(root, path))), IMAGES.seed);
  });

  it('MEDIA-E09 mirrors image enclosures and the lead image, which the body may not show', async () => {
    const site = await startImageSite();
    const { mirror } = mirrorWith(testClient(), await tempRoot());
    const result = await mirror.mirrorArticleImages({
      sourceId: 'rfi',
      articleId: 'enc',
      articlePath: ARTICLE_PATH,
      html: '<p>no image in the body</p>',
      enclosures: [{ url: `${site.server.url}/b.webp`, type: 'image/webp' }, { url: `${site.server.url}/podcast.mp3`, type: 'audio/mpeg' }],
      leadImage: `${site.server.url}/a.jpg`,
    });
    assert.equal(result.html, '<p>no image in the body</p>');
    assert.deepEqual(result.images, [
      { url: `${site.server.url}/b.webp`, path: localPath(IMAGES.webp, 'webp') },
      { url: `${site.server.url}/a.jpg`, path: localPath(IMAGES.jpeg, 'jpg') },
    ]);
    assert.equal(site.hits('/podcast.mp3'), 0);
  });

  it('MEDIA-E10 links into a media folder outside the archive through linkBase', async () => {
    const site = await startImageSite();
    const root = await tempRoot();
    const { mirror } = mirrorWith(testClient(), root, { linkBase: '../news-media' });
    const result = await mirror.mirrorArticleImages({
      sourceId: 'rfi',
      articleId: 'ext',
      articlePath: ARTICLE_PATH,
      html: `<img src="${site.server.url}/a.jpg">`,
    });
    assert.ok(result.html.startsWith(`<img src="${UP}../news-media/${localPath(IMAGES.jpeg, 'jpg')}"`));
    assert.deepEqual(await mediaFiles(root), [localPath(IMAGES.jpeg, 'jpg')]);
  });
});

const stateStores: [string, () => Promise<MediaStateStore>][] = [
  ['memory', () => Promise.resolve(createMemoryMediaState())],
  [
    'sqlite',
    async () => {
      const file = join(await tempRoot(), 'newsmirror.db');
      // The store's own connection and the media state share one database file.
      const store = openSqliteStore(file);
      const state = openSqliteMediaState(file);
      cleanups.push(async () => {
        await state.close();
        await store.close();
      });
      return state;
    },
  ],
];

for (const [name, makeState] of stateStores) {
  describe(`media retry bookkeeping (${name} state)`, () => {
    it('MEDIA-R01 a failed image is retried with backoff, then the article is updated to point to it', async () => {
      const site = await startImageSite();
      const root = await tempRoot();
      const state = await makeState();
      const { mirror, advance, now } = mirrorWith(testClient(), root, { state });
      const input = {
        sourceId: 'rfi',
        articleId: 'flaky-article',
        articlePath: ARTICLE_PATH,
        html: `<p>x</p>\n<img src="${site.server.url}/flaky.jpg">\n<img src="${site.server.url}/a.jpg">`,
      };
      const first = await mirror.mirrorArticleImages(input);
      assert.deepEqual(first.failed.map((failure) => failure.code), ['http-status']);
      assert.equal(first.mirrored, 1);
      assert.deepEqual(await mirror.missingImagesBySource(), new Map([['rfi', 1]]));
      assert.deepEqual(await mirror.retryPending(now()), [], 'not due yet');

      // Mirrored again before the backoff ends (say, the article was edited): no new request.
      const early = await mirror.mirrorArticleImages({ ...input, html: first.html });
      assert.equal(site.hits('/flaky.jpg'), 1);
      assert.equal(early.html, first.html);
      assert.match(early.failed[0]?.message ?? '', /next attempt at/);

      advance(HOUR + 1);
      assert.deepEqual(await mirror.retryPending(now()), ['flaky-article']);
      site.flakyUp = true;
      const later = await mirror.mirrorArticleImages({ ...input, html: first.html });
      assert.deepEqual(later.failed, []);
      assert.equal(later.mirrored, 2);
      assert.ok(later.html.includes(`<img src="${UP}${localPath(IMAGES.flaky, 'jpg')}" data-original-src="${site.server.url}/flaky.jpg">`));
      assert.deepEqual(await mirror.retryPending(now() + 365 * 24 * HOUR), []);
      assert.deepEqual(await mirror.missingImagesBySource(), new Map());
      assert.equal(site.hits('/a.jpg'), 1, 'the image already stored was not fetched again');
    });

    it('MEDIA-R02 a permanent refusal is not retried but stays counted as missing', async () => {
      const site = await startImageSite();
      const state = await makeState();
      const { mirror, now } = mirrorWith(testClient(), await tempRoot(), { state });
      await mirror.mirrorArticleImages({ sourceId: 'voa', articleId: 'v1', articlePath: ARTICLE_PATH, html: `<img src="${site.server.url}/html.jpg">` });
      assert.deepEqual(await mirror.retryPending(now() + 365 * 24 * HOUR), []);
      assert.deepEqual(await mirror.missingImagesBySource(), new Map([['voa', 1]]));
      const again = await mirror.mirrorArticleImages({ sourceId: 'voa', articleId: 'v1', articlePath: ARTICLE_PATH, html: `<img src="${site.server.url}/html.jpg">` });
      assert.match(again.failed[0]?.message ?? '', /given up/);
      assert.equal(site.hits('/html.jpg'), 1);
    });

    it('MEDIA-R03 a stored file that disappeared is fetched again', async () => {
      const site = await startImageSite();
      const state = await makeState();
      const first = mirrorWith(testClient(), await tempRoot(), { state });
      await first.mirror.mirrorArticleImages({ sourceId: 'rfi', articleId: 'c1', articlePath: ARTICLE_PATH, html: `<img src="${site.server.url}/a.jpg">` });
      // Same state, new empty media folder (a text-only clone, say).
      const emptyRoot = await tempRoot();
      const second = mirrorWith(testClient(), emptyRoot, { state });
      const result = await second.mirror.mirrorArticleImages({ sourceId: 'rfi', articleId: 'c1', articlePath: ARTICLE_PATH, html: `<img src="${site.server.url}/a.jpg">` });
      assert.equal(result.bytes, IMAGES.jpeg.length);
      assert.deepEqual(await mediaFiles(emptyRoot), [localPath(IMAGES.jpeg, 'jpg')]);
    });
  });
}
