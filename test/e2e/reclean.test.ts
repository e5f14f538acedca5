import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildRss, loadCorpusRows, rowToItem, FIXTURE_CORPUS } from '../helpers/corpus.js';
import { startServer } from '../helpers/fixture-server.js';
import { makeTempDir } from '../helpers/tmp.js';
import { runCli } from '../helpers/cli.js';
import { snapshotTree } from '../helpers/tree.js';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/adapters/store/sqlite/index.js';

describe('reclean and rebuild', () => {
  let temp: { dir: string; cleanup(): Promise<void> };
  let server: Awaited<ReturnType<typeof startServer>>;
  let feed = '';
  let config = '';
  let firstTitleTerm = '';

  before(async () => {
    temp = await makeTempDir();
    const rows = loadCorpusRows(FIXTURE_CORPUS).filter((row) => row.source === '法广' && row.flags.length === 0).slice(0, 12);
    feed = buildRss({ title: 'RFI', link: 'https://www.rfi.fr/cn/' }, rows.map(rowToItem));
    firstTitleTerm = /\p{Script=Han}{2}/u.exec(rows[0]?.title ?? '')?.[0] ?? '';
    server = await startServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed));
    config = join(temp.dir, 'newsmirror.yaml');
    await writeFile(config, `archive: ./archive\ndatabase: ./store.db\nnetwork: { allowPrivateNetworks: true }\nmedia: { enabled: false }\nsources:\n  - { id: rfi, name: 法广 RFI, url: "${server.url}/rfi.xml", fulltext: feed }\n`);
    const result = await runCli(['sync', '--config', config]);
    assert.equal(result.code, 0, result.stderr);
  });
  after(async () => {
    await server.close();
    await temp.cleanup();
  });

  it('RC-01 reclean rewrites only the articles whose cleaned body changed, without a new version', async () => {
    const store = openSqliteStore(join(temp.dir, 'store.db'));
    const [id] = await store.listArticleIds('rfi');
    assert.ok(id);
    const before = await store.getArticle(id);
    assert.ok(before);
    // As if an older, weaker rule had let the feedx footer through.
    await store.updateBody(id, `${before.bodyHtml}\n<p>获取更多RSS：https://feedx.net</p>`, before.method);
    await store.markFilesWritten(await store.listPendingFiles());
    await store.close();

    const treeBefore = await snapshotTree(join(temp.dir, 'archive'));
    const result = await runCli(['reclean', '--config', config]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /12 article\(s\) examined, 1 rewritten, 0 failed/);
    const treeAfter = await snapshotTree(join(temp.dir, 'archive'));
    const changed = [...treeAfter].filter(([path, entry]) => treeBefore.get(path)?.sha !== entry.sha).map(([path]) => path);
    assert.deepEqual(changed, [], 'the file never held the footer, so the re-cleaned file is byte-identical');

    const reopened = openSqliteStore(join(temp.dir, 'store.db'));
    const after = await reopened.getArticle(id);
    assert.equal(after?.version, before.version);
    assert.equal(after?.bodyHtml, before.bodyHtml);
    await reopened.close();
    const again = await runCli(['reclean', '--config', config]);
    assert.match(again.stdout, /0 rewritten/);
  });

  it('RC-04 reclean applies new title rules to stored titles as a cleaning change, without a new version', async () => {
    const store = openSqliteStore(join(temp.dir, 'store.db'));
    const ids = await store.listArticleIds('rfi');
    let target: { id: string; raw: string } | undefined;
    for (const id of ids) {
      const raw = await store.getRaw(id);
      const text = raw ? (JSON.parse(raw.entryJson) as { entry?: { title?: string } }).entry?.title : undefined;
      if (text?.endsWith(' – 法国国际广播电台 - RFI')) target = { id, raw: text };
    }
    assert.ok(target, 'the fixture holds an RFI title with the site suffix');
    const before = await store.getArticle(target.id);
    assert.ok(before);
    assert.equal(before.title, target.raw.slice(0, -' – 法国国际广播电台 - RFI'.length).replace(/\s{2,}/g, ' '), 'sync applied the rule');
    // As if the article had been stored before the title rule existed.
    await store.updateTitle(target.id, target.raw, undefined);
    await store.markFilesWritten(await store.listPendingFiles());
    await store.close();

    const result = await runCli(['reclean', '--config', config]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /1 rewritten, 0 failed/);
    const reopened = openSqliteStore(join(temp.dir, 'store.db'));
    const after = await reopened.getArticle(target.id);
    await reopened.close();
    assert.deepEqual(after, before);
  });

  it('RC-03 reindex rebuilds the search index from the store', async () => {
    // A store from before the index existed: no search tables at all.
    const writable = new Database(join(temp.dir, 'store.db'));
    writable.exec('DROP TABLE search_fts; DROP TABLE search_docs;');
    writable.close();
    const result = await runCli(['reindex', '--config', config]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /reindex: 12 article\(s\) indexed/);
    const db = new Database(join(temp.dir, 'store.db'), { readonly: true });
    const { n } = db.prepare('SELECT count(*) AS n FROM search_docs').get() as { n: number };
    db.close();
    assert.equal(n, 12);
    const search = await runCli(['search', '--config', config, '--json', firstTitleTerm]);
    assert.equal(search.code, 0, search.stderr);
    assert.ok((JSON.parse(search.stdout) as { total: number }).total >= 1);
  });

  it('RC-02 rebuild from the files, then a sync with nothing new changes no file', async () => {
    const treeBefore = await snapshotTree(join(temp.dir, 'archive'));
    const rebuilt = await runCli(['rebuild', '--config', config]);
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    assert.match(rebuilt.stdout, /rebuild: 12 article\(s\) restored/);
    const synced = await runCli(['sync', '--config', config]);
    assert.equal(synced.code, 0, synced.stderr);
    assert.match(synced.stdout, /new 0, edited 0, unchanged 12/);
    const treeAfter = await snapshotTree(join(temp.dir, 'archive'));
    assert.deepEqual(treeAfter, treeBefore, 'same files, same bytes, same mtimes');
  });
});
