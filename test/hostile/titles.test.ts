/**
 * Titles are text in every file a git host renders. A feed served from 127.0.0.1 carries titles that
 * arrive escaped twice, open an HTML comment or tag, hold backticks, emphasis or a leading `#`; the
 * real CLI syncs and publishes it; the article files, lists, README and STATUS must hold no raw
 * markup from a title, and the one reader must give back exactly the stored title. The republished
 * feeds carry the titles as plain text. Every title of the corpus round-trips through the format.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteSearchIndex } from '../../src/adapters/search/index.js';
import { openSqliteStore } from '../../src/adapters/store/sqlite/index.js';
import type { Article, Source } from '../../src/core/model/index.js';
import { parseArticleFile, renderArticleFile, renderSourceList } from '../../src/core/render/index.js';
import { createWebApp } from '../../src/web/index.js';
import { runCli } from '../helpers/cli.js';
import { CORPORA, SEED_FILE, loadCorpusRows } from '../helpers/corpus.js';
import { startServer, type FixtureServer } from '../helpers/fixture-server.js';
import { makeTempDir } from '../helpers/tmp.js';

interface HostileTitle {
  /** What the feed's `<title>` element holds, exactly as served. */
  raw: string;
  /** The title as text after the feed parser's one decoding. */
  text: string;
}

// One line per case in fixtures/hostile-titles.tsv: the raw <title> content, a tab, the expected text.
const HOSTILE: HostileTitle[] = readFileSync(new URL('./fixtures/hostile-titles.tsv', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => {
    const [raw, text] = line.split('\t');
    return { raw: raw as string, text: text as string };
  });

// Raw markup a title could smuggle into Markdown: a tag, a comment, a code span.
const RAW_MARKUP = /<[a-zA-Z!/]|(?<!\\)`/;

function article(title: string, n: number): Article {
  const url = `https://news.example.org/a/${n}`;
  return {
    id: `hostile${String(n).padStart(9, '0')}`,
    sourceId: 'hostile',
    key: url,
    url,
    canonicalUrl: url,
    title,
    bodyHtml: '<p>正文</p>',
    published: Date.UTC(2024, 0, 1) + n * 60_000,
    dateMissing: false,
    firstSeen: 0,
    contentHash: '0',
    version: 1,
    path: `articles/hostile/2024/01/01/0000-hostile${n}.md`,
    method: 'feed',
    authors: [],
    categories: [],
    lastSeen: 0,
  };
}

// The `[title](link)` line of an article file.
function titleLines(text: string): string[] {
  return text.split('\n').filter((line) => /^\[.*\]\(/.test(line));
}

// The article lines of a list: `YYYY-MM-DD HH:mm [title](…)`.
function listLines(text: string): string[] {
  return text.split('\n').filter((line) => /^\d{4}-\d\d-\d\d \d\d:\d\d \[/.test(line));
}

describe('hostile titles: the format', () => {
  it('HT-01 every hostile title is written without raw markup and read back exactly', () => {
    assert.ok(HOSTILE.length >= 12, 'the fixture has the hostile cases');
    for (const [n, { text }] of HOSTILE.entries()) {
      const file = renderArticleFile(article(text, n));
      const line = titleLines(file)[0] as string;
      assert.doesNotMatch(line, RAW_MARKUP, `${JSON.stringify(text)} → ${line}`);
      assert.ok(line.startsWith('['), 'the title line starts the link, so a leading # is no heading');
      assert.equal(parseArticleFile(file).title, text, line);
    }
    const list = renderSourceList({ id: 'hostile', name: '<b>名</b>' }, HOSTILE.map(({ text }, n) => ({ id: `id${n}`, sourceId: 'hostile', url: `https://news.example.org/a/${n}`, dateMissing: false, title: text, published: Date.UTC(2024, 0, 1), path: `articles/hostile/x${n}.md` })), [], 'Asia/Shanghai');
    for (const line of listLines(list)) assert.doesNotMatch(line, RAW_MARKUP, line);
    assert.equal(listLines(list).length, HOSTILE.length);
    assert.doesNotMatch(list, /<!--|<img|<script|<b>/);
  });

  it('HT-02 files of format 1 (old escaping) and of the original system read as they always did', () => {
    const format1 = renderArticleFile(article('x', 1))
      .replace('[x](', '[a \\[b\\] <i>&amp; c\\\\d `e`](')
      .replace('"format":2', '"format":1');
    assert.equal(parseArticleFile(format1).title, 'a [b] <i>&amp; c\\d `e`');
    const seed = readFileSync(SEED_FILE, 'utf8');
    const seedLine = seed.split('\n')[1] as string;
    assert.equal(parseArticleFile(seed).title, seedLine.slice(1, seedLine.lastIndexOf('](')));
  });

  for (const corpus of CORPORA) {
    it(`HT-03 every title of the corpus round-trips through the format (${corpus.name} corpus)`, { skip: corpus.skip }, () => {
      let checked = 0;
      for (const [n, row] of loadCorpusRows(corpus).entries()) {
        if (typeof row.title !== 'string') continue;
        const collapsed = row.title.replace(/[ \t\n\v\f\r\u0085\u2028\u2029]+/g, ' ').trim();
        const file = renderArticleFile(article(row.title, n));
        assert.equal(parseArticleFile(file).title, collapsed, row.path);
        assert.doesNotMatch(titleLines(file)[0] as string, RAW_MARKUP, row.path);
        checked++;
      }
      assert.ok(checked >= (corpus.name === 'shared' ? 3000 : 40), `${checked} titles`);
    });
  }
});

describe('hostile titles: sync, publish and the republished feeds', () => {
  let temp: { dir: string; cleanup(): Promise<void> };
  let server: FixtureServer;

  before(async () => {
    temp = await makeTempDir('newsmirror-hostile-');
    const items = HOSTILE.map(
      ({ raw }, n) =>
        `<item><title>${raw}</title><link>https://news.example.org/a/${n}</link><guid>https://news.example.org/a/${n}</guid><pubDate>${new Date(Date.UTC(2024, 0, 1, 0, n)).toUTCString()}</pubDate><description><![CDATA[<p>正文 ${n}</p>]]></description></item>`,
    );
    const feed = `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>hostile</title><link>https://news.example.org/</link><description>t</description>\n${items.join('\n')}\n</channel></rss>\n`;
    server = await startServer((req, res) => {
      if (req.url === '/feed.xml') res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(feed);
      else res.writeHead(404).end();
    });
    await writeFile(
      join(temp.dir, 'newsmirror.yaml'),
      `archive: ./archive\ndatabase: ./store.db\nnetwork:\n  allowPrivateNetworks: true\n  retries: 0\n  timeoutSeconds: 10\nmedia: { enabled: false }\nsources:\n  - { id: hostile, name: "<!-- 敌意 -->", url: "${server.url}/feed.xml", fulltext: feed }\n`,
    );
  });
  after(async () => {
    await server.close();
    await temp.cleanup();
  });

  it('HT-04 article files, lists, README and STATUS hold no raw markup and give back the stored titles', async () => {
    const config = join(temp.dir, 'newsmirror.yaml');
    const sync = await runCli(['sync', '--config', config]);
    assert.equal(sync.code, 0, sync.stderr);
    const publish = await runCli(['publish', '--config', config]);
    assert.equal(publish.code, 0, publish.stderr);

    const db = new Database(join(temp.dir, 'store.db'), { readonly: true });
    const stored = new Map((db.prepare('SELECT url, title FROM articles').all() as { url: string; title: string }[]).map((row) => [row.url, row.title]));
    db.close();
    assert.equal(stored.size, HOSTILE.length);
    for (const [n, { text }] of HOSTILE.entries()) assert.equal(stored.get(`https://news.example.org/a/${n}`), text, `title ${n} in the store`);

    const archive = join(temp.dir, 'archive');
    const files = (await readdir(join(archive, 'articles'), { recursive: true })).filter((name) => name.endsWith('.md'));
    assert.equal(files.length, HOSTILE.length);
    for (const name of files) {
      const text = await readFile(join(archive, 'articles', name), 'utf8');
      const parsed = parseArticleFile(text);
      assert.equal(parsed.title, stored.get(parsed.link), name);
      assert.doesNotMatch(titleLines(text)[0] as string, RAW_MARKUP, name);
    }
    const list = await readFile(join(archive, 'lists', 'hostile.md'), 'utf8');
    assert.equal(listLines(list).length, HOSTILE.length);
    for (const line of listLines(list)) assert.doesNotMatch(line, RAW_MARKUP, line);
    for (const name of ['README.md', 'STATUS.md']) {
      const text = await readFile(join(archive, name), 'utf8');
      assert.doesNotMatch(text, /<!--|<img|<script/, name);
      assert.match(text, /敌意/, `${name} names the source`);
    }
  });

  it('HT-05 the republished RSS, Atom and JSON feeds carry the titles as plain text; reader pages escape them', async () => {
    const store = openSqliteStore(join(temp.dir, 'store.db'));
    const search = openSqliteSearchIndex(join(temp.dir, 'store.db'));
    try {
      const hostileSource: Source = { id: 'hostile', name: '<!-- 敌意 -->', url: `${server.url}/feed.xml`, enabled: true, guidPolicy: 'auto', fulltext: 'feed', intervalMinutes: 60 };
      const app = createWebApp({ store, search, sources: [hostileSource], timeZone: 'Asia/Shanghai' });
      const rss = await (await app.request('/feeds/hostile.xml')).text();
      const atom = await (await app.request('/feeds/hostile.atom')).text();
      const json = JSON.parse(await (await app.request('/feeds/hostile.json')).text()) as { items: { title: string }[] };
      const rssTitles = [...rss.matchAll(/<item>\n<title>([^<]*)<\/title>/g)].map((m) => m[1] as string);
      const atomTitles = [...atom.matchAll(/<title type="text">([^<]*)<\/title>/g)].map((m) => m[1] as string).slice(1);
      const xmlText = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
      const expected = HOSTILE.map(({ text }) => text).sort();
      assert.deepEqual(rssTitles.map(xmlText).sort(), expected);
      assert.deepEqual(atomTitles.map(xmlText).sort(), expected);
      assert.deepEqual(json.items.map((item) => item.title).sort(), expected);
      for (const body of [rss, atom]) assert.doesNotMatch(body, /<title[^>]*>[^<]*<(?!\/title>)/, 'no markup inside a title element');
      // The web reader's own pages escape titles too: the source page lists them all, with no raw tag.
      const page = await (await app.request('/sources/hostile')).text();
      assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt; 双重转义的标题/);
      assert.doesNotMatch(page, /<script>alert|<img src=x|<!-- 隐藏/);
    } finally {
      search.close?.();
      await store.close();
    }
  });
});
