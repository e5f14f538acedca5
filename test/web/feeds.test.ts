/**
 * The republished feeds read by real clients: real corpus articles go into a real SQLite store, the
 * reader serves them on 127.0.0.1, and Debian's python3-feedparser must parse every feed without
 * error (bozo 0) with every item and its full text; the Atom output must validate against the
 * RFC 4287 RELAX NG schema (test/web/atom.rnc) with jing. Without the tools the checks are skipped
 * with a message, except in CI (env CI set), where a missing tool fails the test.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import { decodeHTML } from 'entities';
import { openSqliteStore } from '../../src/adapters/store/sqlite/index.js';
import type { Article } from '../../src/core/model/index.js';
import type { Store } from '../../src/core/ports.js';
import { createWebApp, startWebServer, type RunningServer } from '../../src/web/index.js';
import { CORPUS_SOURCES, asNewChanges, readCorpusArticles } from '../helpers/web-articles.js';
import { CORPORA } from '../helpers/corpus.js';
import { openSqliteSearchIndex } from '../../src/adapters/search/index.js';

const run = promisify(execFile);
const SCHEMA = new URL('./atom.rnc', import.meta.url).pathname;
// Debian's python3-feedparser is installed for the system interpreter; a pyenv or venv python3
// earlier on PATH would not see it.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

// Prints, per feed file, what feedparser understood: bozo, the items' ids, titles and content text.
const FEEDPARSER_SCRIPT = `
import sys, json, re, html, feedparser
out = []
for path in sys.argv[1:]:
    d = feedparser.parse(path)
    def text(entry):
        parts = entry.get('content') or []
        value = parts[0]['value'] if parts else ''
        return re.sub(r'\\s+', ' ', html.unescape(re.sub(r'<[^>]*>', ' ', value))).strip()
    out.append({
        'path': path,
        'bozo': int(bool(d.bozo)),
        'error': str(d.get('bozo_exception', '')),
        'version': d.version,
        'entries': [{'id': e.get('id'), 'title': e.get('title'), 'text': text(e), 'updated': e.get('updated')} for e in d.entries],
    })
print(json.dumps(out, ensure_ascii=False))
`;

let store: Store;
let server: RunningServer;
let workDir: string;
let articles: Article[];

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((folder) => folder !== '' && existsSync(join(folder, command)));
}

async function hasFeedparser(): Promise<boolean> {
  try {
    await run(PYTHON, ['-c', 'import feedparser']);
    return true;
  } catch {
    return false;
  }
}

function skipOrFail(t: TestContext, tool: string): void {
  const message = `${tool} is not installed (Debian: apt-get install ${tool === 'feedparser' ? 'python3-feedparser' : tool})`;
  if (process.env.CI) assert.fail(`${message}; CI must run this check`);
  t.skip(message);
}

/** plainText is what a reader sees of a body: tags dropped, entities decoded, whitespace collapsed. */
function plainText(html: string): string {
  return decodeHTML(html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}

async function saveFeed(name: string): Promise<string> {
  const response = await fetch(`${server.url}/feeds/${name}`);
  assert.equal(response.status, 200, name);
  const path = join(workDir, name.replace(/[?=&]/g, '_'));
  await writeFile(path, await response.text());
  return path;
}

// Both corpora, one after the other: the suites share the server variables above, each sets them up in turn.
for (const corpus of CORPORA) describe(`republished feeds read by real clients (${corpus.name} corpus)`, () => {
  before(async () => {
    if (corpus.skip !== false) return;
    workDir = await mkdtemp(join(tmpdir(), 'newsmirror-feeds-'));
    articles = readCorpusArticles(corpus, { perSource: 20 });
    store = openSqliteStore(join(workDir, 'store.db'));
    await store.applyChanges(asNewChanges(articles));
    const edited = articles.find((article) => article.sourceId === 'rfa') as Article;
    await store.applyChanges([
      {
        kind: 'edit',
        article: { ...edited, title: `${edited.title}（更新）`, bodyHtml: `${edited.bodyHtml}\n<p>编者按：本文已更新。</p>`, version: 2, contentHash: 'v2', updated: edited.published + 7_200_000 },
        raw: { articleId: edited.id, version: 2, entryJson: '{}', fetchedFrom: 'https://feedx.test/rfa.xml' },
      },
    ]);
    const app = createWebApp({ store, search: openSqliteSearchIndex(':memory:'), sources: CORPUS_SOURCES, timeZone: 'Asia/Shanghai' });
    server = await startWebServer(app, { host: '127.0.0.1', port: 0 });
  });

  after(async () => {
    if (corpus.skip !== false) return;
    await server.close();
    await store.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it('FV-01 python3-feedparser parses every feed with bozo 0, every item, its title and full text', { skip: corpus.skip }, async (t) => {
    if (!(await hasFeedparser())) return skipOrFail(t, 'feedparser');
    // Debian's feedparser (6.0.10) has no JSON Feed parser; FV-04 checks JSON Feed instead.
    const names = CORPUS_SOURCES.flatMap((source) => ['xml', 'atom'].map((ext) => `${source.id}.${ext}`));
    names.push('all.xml?limit=200', 'all.atom?limit=200');
    const paths = await Promise.all(names.map(saveFeed));
    const { stdout } = await run(PYTHON, ['-c', FEEDPARSER_SCRIPT, ...paths], { maxBuffer: 256 * 1024 * 1024 });
    const parsed = JSON.parse(stdout) as { path: string; bozo: number; error: string; version: string; entries: { id: string; title: string; text: string; updated?: string }[] }[];
    const stored = new Map<string, Article>();
    for (const id of await store.listArticleIds()) stored.set(id, (await store.getArticle(id)) as Article);
    assert.equal(parsed.length, names.length);
    for (const [index, feed] of parsed.entries()) {
      const name = names[index] as string;
      assert.equal(feed.bozo, 0, `${name}: ${feed.error}`);
      const sourceId = name.split('.')[0] as string;
      const expected = sourceId === 'all' ? Math.min(200, stored.size) : articles.filter((article) => article.sourceId === sourceId).length;
      assert.equal(feed.entries.length, expected, `${name}: every item`);
      for (const entry of feed.entries) {
        const article = stored.get(entry.id.replace('urn:newsmirror:article:', ''));
        assert.ok(article !== undefined, `${name}: ${entry.id} is a stored article`);
        assert.equal(entry.title.replace(/\s+/g, ' ').trim(), article.title.replace(/\s+/g, ' ').trim(), `${name}: title of ${article.id}`);
        assert.equal(entry.text, plainText(article.bodyHtml), `${name}: full text of ${article.id}`);
      }
    }
    const rfaAtom = parsed[names.indexOf('rfa.atom')];
    assert.ok(rfaAtom?.entries.some((entry) => entry.text.endsWith('编者按：本文已更新。')), 'the edited version is the one served');
  });

  it('FV-02 the Atom output validates against the RFC 4287 RELAX NG schema (jing)', { skip: corpus.skip }, async (t) => {
    if (!onPath('jing')) return skipOrFail(t, 'jing');
    const paths = await Promise.all([...CORPUS_SOURCES.map((source) => `${source.id}.atom`), 'all.atom?limit=200'].map(saveFeed));
    // One jing run for every file: it names each invalid file and line in its output.
    const result = await run('jing', ['-c', SCHEMA, ...paths]).then(
      () => ({ ok: true, output: '' }),
      (error: { stdout?: string }) => ({ ok: false, output: error.stdout ?? String(error) }),
    );
    assert.ok(result.ok, result.output);
    // The schema really checks: an entry without its required <id> is refused.
    const broken = join(workDir, 'broken.atom');
    await writeFile(broken, (await readFile(paths[0] as string, 'utf8')).replace(/<entry>\n<id>[^<]*<\/id>/, '<entry>'));
    await assert.rejects(run('jing', ['-c', SCHEMA, broken]), 'an entry without id fails validation');
  });

  it('FV-03 the RSS output is well-formed XML (xmllint)', { skip: corpus.skip }, async (t) => {
    if (!onPath('xmllint')) return skipOrFail(t, 'xmllint');
    const paths = await Promise.all([...CORPUS_SOURCES.map((source) => `${source.id}.xml`), 'all.xml?limit=200'].map(saveFeed));
    await run('xmllint', ['--noout', ...paths]);
  });

  it('FV-04 JSON Feed 1.1: required fields, every item with id, url, title, full content_html and dates', { skip: corpus.skip }, async () => {
    const stored = new Map<string, Article>();
    for (const id of await store.listArticleIds()) stored.set(id, (await store.getArticle(id)) as Article);
    for (const name of [...CORPUS_SOURCES.map((source) => `${source.id}.json`), 'all.json?limit=200']) {
      const response = await fetch(`${server.url}/feeds/${name}`);
      assert.equal(response.headers.get('content-type'), 'application/feed+json; charset=utf-8');
      const feed = (await response.json()) as { version: string; title: string; feed_url: string; items: Record<string, unknown>[] };
      assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
      assert.equal(typeof feed.title, 'string');
      assert.ok(feed.feed_url.startsWith(server.url), name);
      assert.ok(feed.items.length > 0, name);
      for (const item of feed.items) {
        const article = stored.get(String(item.id).replace('urn:newsmirror:article:', ''));
        assert.ok(article !== undefined, `${name}: ${String(item.id)}`);
        assert.equal(item.url, article.url);
        assert.equal(item.title, article.title);
        assert.equal(plainText(String(item.content_html)), plainText(article.bodyHtml), `${name}: full text of ${article.id}`);
        assert.equal(item.date_published, new Date(article.published).toISOString().replace('.000', ''));
        assert.equal(item.date_modified, article.version > 1 ? new Date(article.updated as number).toISOString().replace('.000', '') : undefined);
      }
    }
  });
});
