import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { buildRss } from '../helpers/corpus.js';
import { startServer } from '../helpers/fixture-server.js';
import { makeTempDir } from '../helpers/tmp.js';
import { runCli } from '../helpers/cli.js';
import { parseArticleFile } from '../../src/core/render/index.js';

const PAGE = fileURLToPath(new URL('../../src/core/extract/testdata/thepaper-1.html', import.meta.url));

describe('full text for summary-only feeds', () => {
  let temp: { dir: string; cleanup(): Promise<void> };
  let server: Awaited<ReturnType<typeof startServer>>;
  let page: string;
  let feed = '';

  before(async () => {
    temp = await makeTempDir();
    page = await readFile(PAGE, 'utf8');
    server = await startServer((req, res) => {
      if (req.url === '/feed.xml') return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed);
      if (req.url === '/news/1.html') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      res.writeHead(404).end();
    });
  });
  after(async () => {
    await server.close();
    await temp.cleanup();
  });

  it('FT-E2E-01 a summary-only item gets the page text, records the method, and the page is fetched once', async () => {
    feed = buildRss({ title: 'summaries', link: server.url }, [
      { title: '摘要条目', link: `${server.url}/news/1.html`, pubDate: Date.now() - 3_600_000, html: '<p>只有一句摘要……</p>' },
    ]);
    const config = join(temp.dir, 'newsmirror.yaml');
    await writeFile(config, `archive: ./archive\ndatabase: ./store.db\nnetwork: { allowPrivateNetworks: true, retries: 0 }\nmedia: { enabled: false }\nsources:\n  - { id: paper, name: 澎湃, url: "${server.url}/feed.xml", fulltext: auto }\n`);
    const result = await runCli(['sync', '--config', config]);
    assert.equal(result.code, 0, result.stdout + result.stderr);

    const db = new Database(join(temp.dir, 'store.db'), { readonly: true });
    const row = db.prepare('SELECT path, method FROM articles').get() as { path: string; method: string };
    db.close();
    assert.ok(row.method === 'generic' || row.method === 'jsonld' || row.method.startsWith('rule:'), row.method);
    const file = parseArticleFile(await readFile(join(temp.dir, 'archive', row.path), 'utf8'));
    assert.ok(file.body.length > 500, 'the page text replaced the one-line summary');
    assert.equal(file.meta?.method, row.method);
    assert.doesNotMatch(file.body, /只有一句摘要/);

    const pageFetches = () => server.requests.filter((request) => request.url === '/news/1.html').length;
    assert.equal(pageFetches(), 1);
    const again = await runCli(['sync', '--config', config]);
    assert.equal(again.code, 0);
    assert.equal(pageFetches(), 1, 'an article already extracted is not fetched again');
  });

  it('FT-E2E-02 a page that cannot be fetched keeps the feed content', async () => {
    feed = buildRss({ title: 'summaries', link: server.url }, [
      { title: '页面不见了', link: `${server.url}/news/missing.html`, pubDate: Date.now() - 3_600_000, html: '<p>仍然保存摘要。</p>' },
    ]);
    const dir = join(temp.dir, 'b');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dir);
    const config = join(dir, 'newsmirror.yaml');
    await writeFile(config, `archive: ./archive\ndatabase: ./store.db\nnetwork: { allowPrivateNetworks: true, retries: 0 }\nmedia: { enabled: false }\nsources:\n  - { id: paper, name: 澎湃, url: "${server.url}/feed.xml", fulltext: auto }\n`);
    const result = await runCli(['sync', '--config', config]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const db = new Database(join(dir, 'store.db'), { readonly: true });
    const row = db.prepare('SELECT path, method FROM articles').get() as { path: string; method: string };
    db.close();
    assert.equal(row.method, 'feed');
    assert.match(await readFile(join(dir, 'archive', row.path), 'utf8'), /仍然保存摘要/);
  });
});
