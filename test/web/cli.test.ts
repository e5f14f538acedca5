/** The web-facing CLI commands run in-process against a real config, store and search index. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { openSqliteSearchIndex } from '../../src/adapters/search/index.js';
import { openSqliteStore } from '../../src/adapters/store/sqlite/index.js';
import { SOURCE_SCHEMA } from '../../src/config/index.js';
import { isNewsmirrorError } from '../../src/core/errors.js';
import { parseOpml } from '../../src/core/render/index.js';
import { exportOpmlCommand, importOpmlCommand } from '../../src/cli/commands/opml.js';
import { searchCommand } from '../../src/cli/commands/search.js';
import { listenAddress, serveUntil } from '../../src/cli/commands/serve.js';
import type { CommandArgs, CommandIO } from '../../src/cli/io.js';
import { CORPUS_SOURCES, asNewChanges, readCorpusArticles } from '../helpers/web-articles.js';
import { FIXTURE_CORPUS } from '../helpers/corpus.js';

let root: string;
let configFile: string;

function capture(): { io: CommandIO; out: () => string; err: () => string } {
  let stdout = '';
  let stderr = '';
  return {
    io: { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, env: {}, cwd: root },
    out: () => stdout,
    err: () => stderr,
  };
}

function args(positionals: string[], flags: CommandArgs['flags'] = {}, sources: string[] = []): CommandArgs {
  return { config: configFile, sources, positionals, flags };
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsmirror-webcli-'));
  configFile = join(root, 'newsmirror.yaml');
  const sources = CORPUS_SOURCES.slice(0, 3)
    .map((source) => `  # ${source.name}\n  - id: ${source.id}\n    name: ${source.name}\n    url: ${source.url}\n`)
    .join('');
  await writeFile(configFile, `archive: ./archive\ndatabase: ./data/newsmirror.db\ntimezone: Asia/Shanghai\nsources:\n${sources}`);
  const articles = readCorpusArticles(FIXTURE_CORPUS, { perSource: 10 }).filter((article) => ['rfi', 'reuters', 'voa'].includes(article.sourceId));
  const store = openSqliteStore(join(root, 'data', 'newsmirror.db'));
  await store.applyChanges(asNewChanges(articles));
  await store.close();
  const search = openSqliteSearchIndex(join(root, 'data', 'newsmirror.db'));
  await search.index(articles);
  await search.close();
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('web CLI commands', () => {
  it('CLI-W01 search prints the API JSON with --json, highlighted lines otherwise, filters by --source', async () => {
    const json = capture();
    assert.equal(await searchCommand.run(args(['美国'], { json: true }), json.io), 0);
    const result = JSON.parse(json.out()) as { total: number; results: { source: string; snippet: string }[]; next: string | null };
    assert.ok(result.total > 0, 'some hits');
    assert.deepEqual(Object.keys(result), ['total', 'results', 'next']);
    const filtered = capture();
    await searchCommand.run(args(['美国'], { json: true }, ['voa']), filtered.io);
    const voa = JSON.parse(filtered.out()) as { total: number; results: { source: string }[] };
    assert.ok(voa.total > 0 && voa.total < result.total, 'the source filter narrows');
    assert.ok(voa.results.every((hit) => hit.source === 'voa'), 'only voa');
    const text = capture();
    await searchCommand.run(args(['美国']), text.io);
    assert.match(text.out(), /^\d+ articles match "美国"/);
    assert.match(text.out(), /【美国】/);
    assert.match(text.out(), /\n\d{4}-\d{2}-\d{2} \d{2}:\d{2} {2}美国之音 {2}/);
  });

  it('CLI-W02 search refuses an empty or overlong query and an unknown source as usage errors', async () => {
    for (const [positionals, sources] of [[[], []], [['  '], []], [['长'.repeat(300)], []], [['美国'], ['nobody']]] as [string[], string[]][]) {
      await assert.rejects(searchCommand.run(args(positionals, {}, sources), capture().io), (error: unknown) => isNewsmirrorError(error) && error.code === 'usage');
    }
  });

  it('CLI-W03 export-opml round-trips the configured sources', async () => {
    const out = capture();
    assert.equal(await exportOpmlCommand.run(args([]), out.io), 0);
    assert.deepEqual(
      parseOpml(out.out()),
      CORPUS_SOURCES.slice(0, 3).map(({ id, name, url }) => ({ id, name, url })),
    );
  });

  it('CLI-W04 import-opml prints new, valid, uniquely named source entries and skips configured feeds', async () => {
    const file = join(root, 'reader.opml');
    await writeFile(
      file,
      `<?xml version="1.0"?><opml version="1.0"><head><title>x</title></head><body>
<outline text="News"><outline text="法广" xmlUrl="https://feedx.test/rfi.xml"/>
<outline text="端传媒" title="端传媒 Initium" type="rss" xmlUrl="https://theinitium.com/newsfeed/" htmlUrl="https://theinitium.com/"/>
<outline text="FT 1" xmlurl="https://www.ftchinese.com/rss/news"/><outline text="FT 2" xmlUrl="https://ftchinese.com/rss/news.xml"/>
<outline text="no feed"/><outline text="ftp" xmlUrl="ftp://x.test/feed"/><outline text="RFI again" xmlUrl="https://feedx.test/rfi.xml"/>
<outline text="id kept" xmlUrl="https://x.test/a.xml" newsmirrorId="rfi"/></outline></body></opml>`,
    );
    const out = capture();
    assert.equal(await importOpmlCommand.run(args([file]), out.io), 0);
    const entries = parse(out.out()) as { id: string; name: string; url: string }[];
    assert.deepEqual(entries, [
      { id: 'theinitium-com-newsfeed', name: '端传媒 Initium', url: 'https://theinitium.com/newsfeed/' },
      { id: 'ftchinese-com-rss-news', name: 'FT 1', url: 'https://www.ftchinese.com/rss/news' },
      { id: 'ftchinese-com-rss-news-2', name: 'FT 2', url: 'https://ftchinese.com/rss/news.xml' },
      { id: 'rfi-2', name: 'id kept', url: 'https://x.test/a.xml' },
    ]);
    for (const entry of entries) assert.ok(SOURCE_SCHEMA.safeParse(entry).success, `${entry.id} is a valid catalog entry`);
    assert.match(out.err(), /6 feeds in .*, 2 already configured or not http\(s\), 4 new/);
    const notOpml = join(root, 'not.opml');
    await writeFile(notOpml, '<rss version="2.0"><channel/></rss>');
    for (const bad of [[notOpml], [join(root, 'missing.opml')], []]) {
      await assert.rejects(importOpmlCommand.run(args(bad), capture().io), (error: unknown) => isNewsmirrorError(error) && error.code === 'usage');
    }
  });

  it('CLI-W05 serve listens on the given address, answers, and stops when told', async () => {
    const out = capture();
    const stop = new AbortController();
    const running = serveUntil(args([], { host: '127.0.0.1', port: '0' }), out.io, stop.signal);
    let url: string | undefined;
    for (let attempt = 0; attempt < 200 && url === undefined; attempt++) {
      url = /serving (http:\/\/127\.0\.0\.1:\d+)\//.exec(out.out())?.[1];
      if (url === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.ok(url, out.out());
    const home = await fetch(`${url}/`);
    assert.equal(home.status, 200);
    assert.match(await home.text(), /法广/);
    const port = Number(new URL(url).port);
    await assert.rejects(
      serveUntil(args([], { host: '127.0.0.1', port: String(port) }), capture().io, AbortSignal.abort()),
      (error: unknown) => isNewsmirrorError(error) && error.code === 'usage' && error.message.includes(`127.0.0.1:${port}`),
      'a taken port is a usage error',
    );
    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 503, 'no source synced yet');
    stop.abort();
    assert.equal(await running, 0);
    await assert.rejects(fetch(`${url}/`), 'the server is closed');
  });

  it('CLI-W06 --port and --host are checked', () => {
    const server = { host: '127.0.0.1', port: 8080 };
    assert.deepEqual(listenAddress(args([]), server), server);
    assert.deepEqual(listenAddress(args([], { host: '::1', port: '9000' }), server), { host: '::1', port: 9000 });
    for (const port of ['x', '-1', '65536', '80.5', '']) {
      assert.throws(() => listenAddress(args([], { port }), server), (error: unknown) => isNewsmirrorError(error) && error.code === 'usage', port);
    }
  });
});
