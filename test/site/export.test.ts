/**
 * export-site over a real SQLite store of corpus articles, written to a real folder: the pages and
 * their relative links, the incremental second export, and the browser's search index answering
 * with exactly the totals of the server's index (the same store, the same queries).
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';
import { createArchiveWriter } from '../../src/adapters/archive/index.js';
import { openSqliteSearchIndex } from '../../src/adapters/search/index.js';
import { openSqliteRecheckStore, openSqliteStore } from '../../src/adapters/store/sqlite/index.js';
import type { Article } from '../../src/core/model/index.js';
import type { SearchIndex, Store } from '../../src/core/ports.js';
import { parseQuery } from '../../src/core/search/index.js';
import { removeSiteFile } from '../../src/main/site.js';
import { exportSite, type SiteExportDeps } from '../../src/site/export.js';
import { SITE_PATHS } from '../../src/site/paths.js';
import { MANIFEST_PATH, SOURCES_PATH, searchSegment, type DocumentSources, type Manifest, type SearchData } from '../../src/site/search-index.js';
import { CORPUS_SOURCES, asNewChanges, readCorpusArticles } from '../helpers/web-articles.js';
import { FIXTURE_CORPUS } from '../helpers/corpus.js';

let root: string;
let out: string;
let store: Store;
let search: SearchIndex;
let articles: Article[];

function deps(): SiteExportDeps {
  return {
    store,
    sources: CORPUS_SOURCES,
    timeZone: 'Asia/Shanghai',
    clock: { now: () => Date.parse('2026-01-01T00:00:00Z') },
    out: createArchiveWriter(out),
    readMedia: async () => undefined,
    searchScript: '/* search */\n',
    remove: (path) => removeSiteFile(out, path),
  };
}

/** loadData runs one data script of the site as the browser would, and returns what it registered. */
async function loadData<T>(path: string): Promise<T> {
  const registered: SearchData[] = [];
  runInNewContext(await readFile(join(out, path), 'utf8'), { NMS: { push: (data: SearchData) => registered.push(data) } });
  assert.equal(registered.length, 1, path);
  assert.equal(registered[0]?.k, path);
  return registered[0]?.v as T;
}

/** siteTotal answers a query from the exported files alone, as the browser's script does. */
async function siteTotal(q: string, source?: string): Promise<number> {
  const query = parseQuery(q);
  const manifest = await loadData<Manifest>(MANIFEST_PATH);
  const sourceIndex = source === undefined ? undefined : manifest.sources.findIndex((known) => known.id === source);
  const sources = sourceIndex === undefined ? undefined : await loadData<DocumentSources>(SOURCES_PATH);
  let total = 0;
  for (const segment of manifest.segments) {
    for (const local of await searchSegment(query, { segment, load: loadData })) {
      if (sources === undefined || sources.charCodeAt(segment.start + local) - 48 === sourceIndex) total++;
    }
  }
  return total;
}

async function files(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) out.push(...(await files(join(dir, entry.name), `${prefix}${entry.name}/`)));
    else out.push(`${prefix}${entry.name}`);
  }
  return out.sort();
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsmirror-site-'));
  out = join(root, 'site');
  await mkdir(out);
  articles = readCorpusArticles(FIXTURE_CORPUS, { perSource: 40 });
  store = openSqliteStore(join(root, 'store.db'));
  await store.applyChanges(asNewChanges(articles));
  search = openSqliteSearchIndex(join(root, 'store.db'));
  await search.index(articles);
});

after(async () => {
  await search?.close();
  await store?.close();
  await rm(root, { recursive: true, force: true });
});

describe('export-site', () => {
  it('SITE-01 writes home, source pages, article pages and the search page in both scripts, with relative links only', async () => {
    const report = await exportSite(deps());
    assert.equal(report.articles, articles.length);
    assert.equal(report.written, report.files);
    const written = await files(out);
    assert.equal(written.length, report.files);
    const article = articles[0] as Article;
    for (const path of ['index.html', 'search.html', 'hant/index.html', 'hant/search.html', 'assets/app.css', 'assets/search.js', MANIFEST_PATH, `articles/${article.id.slice(0, 2)}/${article.id}.html`, `sources/${article.sourceId}/index.html`]) {
      assert.ok(written.includes(path), path);
    }
    const pages = written.filter((path) => path.endsWith('.html'));
    for (const path of pages) {
      const html = await readFile(join(out, path), 'utf8');
      assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;/, path);
      for (const [, link] of html.matchAll(/\s(?:href|src|action)="([^"]*)"/g)) {
        const target = link as string;
        if (/^https?:\/\//.test(target) || target.startsWith('#') || target.startsWith('?')) continue;
        assert.ok(!target.startsWith('/'), `${path} links to ${target}`);
        const resolved = posix.normalize(posix.join(posix.dirname(path), target.replace(/[?#].*$/, '')));
        assert.ok(written.includes(resolved), `${path} links to ${target}, which the site does not have`);
      }
    }
    const hant = await readFile(join(out, 'hant/index.html'), 'utf8');
    assert.match(hant, /<html lang="zh-Hant">/);
    assert.match(hant, /新聞/);
  });

  it('SITE-02 a second export writes nothing; a new article rewrites only the pages and shards it changes', async () => {
    const attempted: string[] = [];
    const unchanged = createArchiveWriter(out);
    const again = await exportSite({ ...deps(), out: { ...unchanged, write: (path, content) => (attempted.push(path), unchanged.write(path, content)) } });
    assert.equal(again.written, 0);
    assert.equal(again.files, (await files(out)).length);
    // Unchanged articles are not rendered or indexed again: their stamps vouch for the files.
    assert.deepEqual(attempted.filter((path) => /^(hant\/)?articles\/|^search\/(t\/|0-)/.test(path)), []);
    const base = articles[0] as Article;
    const added: Article = { ...base, id: 'newarticle222222', key: `${base.key}#new`, path: base.path.replace(base.id, 'newarticle222222'), title: '新的文章：香港特区', published: Date.parse('2030-01-01T00:00:00Z') };
    await store.applyChanges(asNewChanges([added]));
    await search.index([added]);
    const written: string[] = [];
    const writer = createArchiveWriter(out);
    const third = await exportSite({
      ...deps(),
      out: { ...writer, write: async (path, content) => ((await writer.write(path, content)) ? (written.push(path), true) : false) },
    });
    assert.equal(third.articles, articles.length + 1);
    assert.equal(written.length, third.written);
    // The files of the tail segment (the new article changes its range), the manifest, the last titles chunk,
    // and in both scripts the home page, the source's newest page and the new article.
    const pages = ['index.html', `sources/${added.sourceId}/index.html`, 'articles/ne/newarticle222222.html'];
    const expected = new Set(['search/manifest.js', 'search/src.js', 'search/m0.js', '.newsmirror-site.txt', '.newsmirror-site-stamps.txt', 'search/t/ne/newarticle222222.js', ...pages, ...pages.map((page) => `hant/${page}`)]);
    assert.deepEqual(written.filter((path) => !path.startsWith('search/0-')).sort(), [...expected].sort());
    assert.ok((await files(out)).includes(`articles/ne/newarticle222222.html`));
  });

  it('SITE-03 the site search finds exactly what the server search finds', async () => {
    const queries = ['香港', '国安法', '特朗普', '港', '中国 美国', '"香港 政府"', 'Trump', '习近平', '新闻', '的', '新冠病毒', 'BBC'];
    let nonEmpty = 0;
    for (const q of queries) {
      const server = await search.search({ q, order: 'newest', limit: 1 });
      const site = await siteTotal(q);
      assert.equal(site, server.total, q);
      if (site > 0) nonEmpty++;
      const source = await search.search({ q, order: 'newest', limit: 1, sourceIds: ['bbc'] });
      assert.equal(await siteTotal(q, 'bbc'), source.total, `${q} in bbc`);
    }
    assert.ok(nonEmpty >= 8, `only ${nonEmpty} queries found anything`);
  });

  it('SITE-04 an export of fewer articles deletes the pages and shards it no longer produces, and nothing it did not write', async () => {
    await writeFile(join(out, 'CNAME'), 'news.example\n');
    await mkdir(join(out, 'articles', 'ne'), { recursive: true });
    await writeFile(join(out, 'articles', 'ne', 'notes.txt'), 'mine\n');
    const before = await files(out);
    const report = await exportSite(deps(), { to: Date.parse('2030-01-01T00:00:00Z') });
    const after = await files(out);
    const gone = before.filter((path) => !after.includes(path));
    assert.equal(report.deleted, gone.length);
    assert.ok(gone.includes('articles/ne/newarticle222222.html') && gone.includes('hant/articles/ne/newarticle222222.html'), gone.join(' '));
    assert.ok(after.includes('CNAME') && after.includes('articles/ne/notes.txt'), 'files the export did not write stay');
    assert.ok(!(await files(join(out, 'hant', 'articles'))).some((path) => path.startsWith('ne/')), 'the emptied folder is removed');
    const listed = (await readFile(join(out, '.newsmirror-site.txt'), 'utf8')).trim().split('\n');
    assert.deepEqual(listed, after.filter((path) => path !== 'CNAME' && path !== 'articles/ne/notes.txt'));
  });

  it('SITE-05 the page of an article removed at its source shows the removal notice with its evidence; other pages show none', async () => {
    const recheck = openSqliteRecheckStore(join(root, 'store.db'));
    try {
      const [removed, kept] = articles;
      assert.ok(removed !== undefined && kept !== undefined);
      const at = Date.parse('2026-01-02T04:00:00Z');
      await recheck.saveCheck({
        state: { articleId: removed.id, sourceId: removed.sourceId, goneChecks: 2 },
        removal: {
          articleId: removed.id,
          sourceId: removed.sourceId,
          firstGoneAt: at - 7 * 3_600_000,
          confirmedAt: at,
          evidence: [
            { at: at - 7 * 3_600_000, status: 404, finalUrl: removed.url, rule: 'http-404' },
            { at, status: 200, finalUrl: removed.url, rule: 'notice:generic:内容已删除' },
          ],
        },
        markFile: false,
      });
      await exportSite({ ...deps(), recheck });
      const page = await readFile(join(out, SITE_PATHS.article(removed.id)), 'utf8');
      assert.match(page, /原文已于 2026-01-02 12:00 删除/);
      assert.match(page, /HTTP 404/);
      assert.match(page, /内容已删除/);
      assert.doesNotMatch(await readFile(join(out, SITE_PATHS.article(kept.id)), 'utf8'), /原文已于/);
    } finally {
      await recheck.close();
    }
  });
});

