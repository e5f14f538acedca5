import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { buildRss, loadCorpusRows, rowToItem, SEED_FILE, type FeedItem, SHARED_CORPUS } from '../helpers/corpus.js';
import { startServer } from '../helpers/fixture-server.js';
import { makeTempDir } from '../helpers/tmp.js';
import { runCli } from '../helpers/cli.js';
import { snapshotTree } from '../helpers/tree.js';
import { parseArticleFile } from '../../src/core/render/index.js';
import { jpeg } from '../media/images.js';

/** A live feed: the test sets which document each source currently serves. */
type FeedState = Map<string, string>;

function etagOf(text: string): string {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) | 0;
  return `"${(hash >>> 0).toString(16)}-${text.length}"`;
}

async function writeConfig(dir: string, baseUrl: string, ids: string[]): Promise<string> {
  const file = join(dir, 'newsmirror.yaml');
  const sources = ids.map((id) => `  - { id: ${id}, name: "${id} 测试", url: "${baseUrl}/feeds/${id}.xml", fulltext: feed }`).join('\n');
  await writeFile(
    file,
    `archive: ./archive\ndatabase: ./store.db\nnetwork:\n  allowPrivateNetworks: true\n  retries: 0\n  timeoutSeconds: 10\nmedia: { enabled: false }\nsources:\n${sources}\n`,
  );
  return file;
}

describe('sync end to end against a local feedx-like server', () => {
  let temp: { dir: string; cleanup(): Promise<void> };
  let server: Awaited<ReturnType<typeof startServer>>;
  const feeds: FeedState = new Map();
  let honourEtag = true;

  before(async () => {
    temp = await makeTempDir();
    server = await startServer((req, res) => {
      if (req.url?.startsWith('/images/')) {
        res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg('seed lead image'));
        return;
      }
      const match = /^\/feeds\/([a-z0-9_-]+)\.xml$/.exec(req.url ?? '');
      const body = match ? feeds.get(match[1] ?? '') : undefined;
      if (body === undefined) {
        res.writeHead(404).end('not found');
        return;
      }
      const etag = etagOf(body);
      if (honourEtag && req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(body);
    });
  });
  after(async () => {
    await server.close();
    await temp.cleanup();
  });

  it('E2E-01 overlapping windows, edits, dateless items, duplicates: every article exactly once', { skip: SHARED_CORPUS.skip }, async () => {
    const rows = loadCorpusRows(SHARED_CORPUS);
    const pick = (source: string, count: number, filter: (row: (typeof rows)[number]) => boolean = () => true) =>
      rows.filter((row) => row.source === source && row.flags.length === 0 && filter(row)).slice(0, count);
    const rfi = pick('法广', 40, (row) => row.pubDate !== null).sort((a, b) => (b.pubDate ?? 0) - (a.pubDate ?? 0));
    const rfa = pick('自由亚洲电台', 40).sort((a, b) => (b.pubDate ?? 0) - (a.pubDate ?? 0));
    const cdtDateless = rows.filter((row) => row.source === '中国数字时代' && row.pubDate === null && row.link.startsWith('http')).slice(0, 6);
    const cdt = [...pick('中国数字时代', 20, (row) => row.pubDate !== null), ...cdtDateless];
    assert.equal(cdtDateless.length, 6, 'the corpus has dateless CDT items');

    const config = await writeConfig(temp.dir, server.url, ['rfi', 'rfa', 'cdt']);
    const windows = [
      [0, 20],
      [10, 30],
      [20, 40],
    ] as const;
    const expectedKeys = { rfi: new Set<string>(), rfa: new Set<string>(), cdt: new Set<string>() };
    const editedRow = rfi[25];
    assert.ok(editedRow);
    for (const [w, [from, to]] of windows.entries()) {
      const rfiItems: FeedItem[] = rfi.slice(from, to).map(rowToItem);
      if (w === 2) {
        // The publisher corrects an article it already sent in the previous window.
        const index = rfi.indexOf(editedRow) - from;
        rfiItems[index] = { ...rowToItem(editedRow), title: `${editedRow.title}（更新）`, html: `${editedRow.html}<p>更正：本文已更新。</p>` };
      }
      const rfaItems = rfa.slice(from, to).map(rowToItem);
      // The original archive shows RFA sending the same link twice in one window.
      rfaItems.push({ ...rfaItems[0]! });
      // A relative link must come out absolute.
      const cdtItems = cdt.slice(Math.floor(from / 2), Math.floor(to / 2) + 6).map(rowToItem);
      feeds.set('rfi', buildRss({ title: 'RFI', link: 'https://www.rfi.fr/cn/' }, rfiItems));
      feeds.set('rfa', buildRss({ title: 'RFA', link: 'https://www.rfa.org/mandarin/' }, rfaItems));
      feeds.set('cdt', buildRss({ title: 'CDT', link: 'https://chinadigitaltimes.net/chinese/' }, cdtItems));
      for (const row of rfi.slice(from, to)) expectedKeys.rfi.add(row.link);
      for (const row of rfa.slice(from, to)) expectedKeys.rfa.add(row.link);
      for (const row of cdt.slice(Math.floor(from / 2), Math.floor(to / 2) + 6)) expectedKeys.cdt.add(row.link);
      const result = await runCli(['sync', '--config', config]);
      assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
      assert.match(result.stdout, /failed sources 0/);
    }

    const db = new Database(join(temp.dir, 'store.db'), { readonly: true });
    try {
      for (const [sourceId, keys] of Object.entries(expectedKeys)) {
        const { n } = db.prepare('SELECT count(*) AS n FROM articles WHERE source_id = ?').get(sourceId) as { n: number };
        assert.equal(n, keys.size, `${sourceId}: every distinct article exactly once`);
      }
      const versions = db.prepare('SELECT count(*) AS n FROM article_versions v JOIN articles a ON a.id = v.article_id WHERE a.title LIKE ?').get('%（更新）') as { n: number };
      assert.equal(versions.n, 2, 'the edit is a second version of the same article');
    } finally {
      db.close();
    }

    const tree = await snapshotTree(join(temp.dir, 'archive'));
    const articleFiles = [...tree.keys()].filter((path) => path.startsWith('articles/') && !path.includes('.versions/'));
    const versionFiles = [...tree.keys()].filter((path) => path.includes('.versions/'));
    assert.equal(versionFiles.length, 1, 'the edited article keeps its first version beside it');
    assert.match(versionFiles[0] ?? '', /^articles\/rfi\/\d{4}\/\d{2}\/\d{2}\/\d{4}-[A-Za-z0-9_-]+\.versions\/v1\.md$/);
    assert.equal(articleFiles.length, expectedKeys.rfi.size + expectedKeys.rfa.size + expectedKeys.cdt.size);
    for (const path of articleFiles) assert.match(path, /^articles\/(rfi|rfa|cdt)\/\d{4}\/\d{2}\/\d{2}\/\d{4}-[A-Za-z0-9_-]+\.md$/);
    const edited = articleFiles.map((path) => path).find((path) => path.startsWith('articles/rfi/'));
    assert.ok(edited);
    const links = new Set<string>();
    for (const path of articleFiles) {
      const parsed = parseArticleFile(await readFile(join(temp.dir, 'archive', path), 'utf8'));
      assert.ok(parsed.link.startsWith('http'), `${path}: absolute link`);
      assert.ok(!links.has(`${path.split('/')[1]}:${parsed.link}`), `${path}: duplicate link`);
      links.add(`${path.split('/')[1]}:${parsed.link}`);
    }
    assert.ok(tree.has('lists/rfi.md') && tree.has('lists/rfa.md') && tree.has('lists/cdt.md') && tree.has('README.md'));
    const rfiList = await readFile(join(temp.dir, 'archive', 'lists/rfi.md'), 'utf8');
    assert.match(rfiList, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} \[.+\]\(\.\.\/articles\/rfi\/\d{4}\/\d{2}\/\d{2}\/\d{4}-[a-z2-7]+\.md\)$/m);

    // Nothing new, validators honoured: a 304 and no file written.
    const before304 = server.requests.length;
    const again = await runCli(['sync', '--config', config]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /not modified 3/);
    assert.ok(server.requests.slice(before304).every((request) => request.headers['if-none-match'] !== undefined));
    assert.deepEqual(await snapshotTree(join(temp.dir, 'archive')), tree);

    // A server that ignores validators sends the same items again: still no file written.
    honourEtag = false;
    const full = await runCli(['sync', '--config', config]);
    honourEtag = true;
    assert.equal(full.code, 0, full.stderr);
    assert.match(full.stdout, /new 0, edited 0/);
    assert.deepEqual(await snapshotTree(join(temp.dir, 'archive')), tree);
  });

  it('E2E-02 the seed article: same first four lines as the original file, lead image mirrored, share bar gone', async () => {
    const seed = await readFile(SEED_FILE, 'utf8');
    const seedLines = seed.split('\n');
    const title = /^\[(.*)\]\((.*)\)$/.exec(seedLines[1] ?? '');
    assert.ok(title);
    // The lead image's host stands on the local server, as a firewall-free s.rfi.fr would.
    const body = seedLines.slice(4).join('\n').replaceAll('https://s.rfi.fr/', `${server.url}/images/`);
    assert.ok(body.includes(`${server.url}/images/media/display/`));
    const dir = join(temp.dir, 'seed');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dir);
    feeds.set('seedrfi', buildRss({ title: 'RFI', link: 'https://www.rfi.fr/cn/' }, [{ title: title[1], link: title[2], pubDate: 1697796901000, html: body }]));
    const config = join(dir, 'newsmirror.yaml');
    await writeFile(config, `archive: ./archive\ndatabase: ./store.db\nnetwork: { allowPrivateNetworks: true }\nsources:\n  - { id: rfi, name: 法广 RFI, url: "${server.url}/feeds/seedrfi.xml", fulltext: feed }\n`);
    const result = await runCli(['sync', '--config', config]);
    assert.equal(result.code, 0, result.stderr);
    const tree = await snapshotTree(join(dir, 'archive'));
    const files = [...tree.keys()].filter((path) => path.startsWith('articles/rfi/2023/10/20/1815-'));
    assert.equal(files.length, 1);
    const written = await readFile(join(dir, 'archive', files[0]!), 'utf8');
    assert.deepEqual(written.split('\n').slice(0, 4), seedLines.slice(0, 4));
    const image = /<img [^>]*src="(\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/media\/[0-9a-f]{2}\/[0-9a-f]{64}\.jpg)"/.exec(written);
    assert.ok(image, 'the lead image points into media/');
    assert.ok(tree.has(image[1]!.replace(/^(\.\.\/)+/, '')), 'the image file is in the archive');
    assert.match(written, /data-original-src="[^"]*\/images\/media\/display\//);
    const paragraphs = written.match(/<p>/g) ?? [];
    assert.ok(paragraphs.length >= 8, 'all eight paragraphs stay');
    assert.doesNotMatch(written, /分享|data-selfpromo|获取更多RSS/);
  });

  it('E2E-03 a failing source does not stop the others and the exit code says so', async () => {
    const dir = join(temp.dir, 'failing');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dir);
    feeds.set('good', buildRss({ title: 'Good', link: 'https://example.com/' }, [{ title: '好', link: 'https://example.com/a', pubDate: Date.now() - 3_600_000, html: '<p>正文</p>' }]));
    feeds.set('notfeed', '<html><body>这不是 feed</body></html>');
    const config = join(dir, 'newsmirror.yaml');
    await writeFile(
      config,
      `archive: ./archive\ndatabase: ./store.db\nnetwork: { allowPrivateNetworks: true, retries: 0 }\nmedia: { enabled: false }\nsources:\n` +
        `  - { id: missing, name: M, url: "${server.url}/feeds/missing.xml" }\n` +
        `  - { id: notfeed, name: N, url: "${server.url}/feeds/notfeed.xml" }\n` +
        `  - { id: good, name: G, url: "${server.url}/feeds/good.xml", fulltext: feed }\n`,
    );
    const result = await runCli(['sync', '--config', config]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /missing: \[fetch\/http-status\]/);
    assert.match(result.stdout, /notfeed: \[parse\/not-a-feed\]/);
    assert.match(result.stdout, /new 1,/);
    const status = await runCli(['status', '--config', config]);
    assert.equal(status.code, 1);
    assert.match(status.stdout, /^missing\s+failing ×1/m);
    assert.match(status.stdout, /^good\s+ok/m);
  });
});
