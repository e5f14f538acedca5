/**
 * Secrets never leave the config: a source URL with credentials and a token parameter, fetched by
 * the real CLI (`bin/newsmirror.js`, which runs `dist/`: `npm run build` first) from servers on
 * 127.0.0.1, and every place newsmirror shows or writes a URL searched for the secrets.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { buildRss, type FeedItem } from '../helpers/corpus.js';
import { startServer, type FixtureServer } from '../helpers/fixture-server.js';
import { gitSync, testGitEnv } from '../helpers/git.js';
import { makeTempDir } from '../helpers/tmp.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const USER = 'reader';
const PASSWORD = 'S3cretPassw0rd';
const TOKEN = 'T0kenValue42';
const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
/** Every spelling of a secret that must not appear: the password, the token, the Basic header, the user info. */
const SECRETS = [PASSWORD, TOKEN, BASIC.slice('Basic '.length), `${USER}:`, `${USER}@`];

const LONG_BODY = `<p>${'这是一篇只在订阅源里出现的文章，没有可用的链接。'.repeat(12)}</p><p><a href="/a/inside">站内链接</a></p>`;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** cli runs `node bin/newsmirror.js …` as a child process, as a user would. */
function cli(args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'bin/newsmirror.js'), ...args], { cwd: REPO, env: testGitEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** serve starts `newsmirror serve --port 0` and returns its base URL and a way to stop it. */
async function serve(config: string): Promise<{ url: string; stop(): Promise<void>; output(): string }> {
  const child = spawn(process.execPath, [join(REPO, 'bin/newsmirror.js'), 'serve', '--config', config, '--port', '0', '-v'], { cwd: REPO, env: testGitEnv() });
  let output = '';
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /serving (http:\/\/[^\s/]+)\//.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
  return {
    url,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await closed;
    },
  };
}

async function filesUnder(dir: string): Promise<string[]> {
  // Git's objects are compressed: the commit messages are read through `git log` instead.
  const gitDir = join(dir, '.git');
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile() && !entry.parentPath.startsWith(gitDir)).map((entry) => join(entry.parentPath, entry.name));
}

function assertClean(text: string, where: string): void {
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `${where} shows ${JSON.stringify(secret)}:\n${text.slice(0, 2000)}`);
}

describe('secrets never leave the config', () => {
  let temp: { dir: string; cleanup(): Promise<void> };
  let feedHost: FixtureServer;
  let otherOrigin: FixtureServer;
  let config: string;
  let lockedItems: FeedItem[];
  const syncs: CliRun[] = [];

  before(async () => {
    temp = await makeTempDir('newsmirror-secrets-');
    otherOrigin = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(
        buildRss({ title: 'moved', link: 'https://example.com/' }, [{ title: '搬走的订阅源', guid: 'moved-1', pubDate: Date.UTC(2026, 0, 2), html: LONG_BODY }]),
      );
    });
    lockedItems = [
      // No link at all, a GUID that is not a URL: the article's link is the fallback.
      { title: '没有链接的文章', guid: 'no-link-1', pubDate: Date.UTC(2026, 0, 1, 8), html: LONG_BODY },
      // An unusable link and a short summary: no article page to read, and the fallback again.
      { title: '不能用的链接', link: 'javascript:void(0)', guid: 'bad-link-2', pubDate: Date.UTC(2026, 0, 1, 9), html: '<p>短摘要。</p>' },
      // A relative link, resolved against the URL the feed came from.
      { title: '相对链接', link: '/a/relative-3', pubDate: Date.UTC(2026, 0, 1, 10), html: LONG_BODY },
    ];
    feedHost = await startServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname.startsWith('/a/')) return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html><body><article><p>页面</p></article></body></html>');
      if (req.headers.authorization !== BASIC) return void res.writeHead(401, { 'www-authenticate': 'Basic realm="feeds"' }).end();
      if (url.pathname === '/moved.xml') return void res.writeHead(302, { location: `${otherOrigin.url}/feed.xml` }).end();
      if (url.pathname === '/feeds/locked.xml' && url.searchParams.get('token') === TOKEN) {
        return void res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(buildRss({ title: 'locked', link: `${feedHost.url}/` }, lockedItems));
      }
      res.writeHead(403).end();
    });
    const base = feedHost.url.replace('http://', `http://${USER}:${PASSWORD}@`);
    config = join(temp.dir, 'newsmirror.yaml');
    await writeFile(
      config,
      [
        'archive: ./archive',
        'database: ./store.db',
        'network:',
        '  allowPrivateNetworks: true',
        '  retries: 0',
        '  timeoutSeconds: 10',
        'media: { enabled: false }',
        'sources:',
        `  - { id: locked, name: "加锁的源", url: "${base}/feeds/locked.xml?token=${TOKEN}&lang=zh" }`,
        `  - { id: moved, name: "搬家的源", url: "${base}/moved.xml?access_token=${TOKEN}" }`,
        // The server refuses this token: the source fails and its error is shown everywhere.
        `  - { id: denied, name: "被拒的源", url: "${base}/feeds/denied.xml?api_key=${TOKEN}" }`,
        '',
      ].join('\n'),
    );
    syncs.push(await cli(['sync', '--config', config, '-v']));
    // An article stored before links were made public carries the feed URL as its link; its next
    // version must not write that link again, and the reader must not show it.
    const db = new Database(join(temp.dir, 'store.db'));
    db.prepare("UPDATE articles SET url = ? WHERE source_id = 'locked' AND title = '没有链接的文章'").run(`${base}/feeds/locked.xml?token=${TOKEN}&lang=zh`);
    db.close();
    lockedItems[0] = { ...lockedItems[0], html: `${LONG_BODY}<p>更正。</p>` };
    syncs.push(await cli(['sync', '--config', config, '-v']));
    syncs.push(await cli(['publish', '--config', config, '-v']));
  });

  after(async () => {
    await feedHost?.close();
    await otherOrigin?.close();
    await temp?.cleanup();
  });

  it('SEC-01 the syncs and the publish ran: articles from both reachable sources, the refused one failed', async () => {
    const [first, second, publish] = syncs;
    assert.equal(first?.code, 1, first?.stderr);
    assert.equal(second?.code, 1, second?.stderr);
    assert.equal(publish?.code, 0, publish?.stderr);
    const db = new Database(join(temp.dir, 'store.db'), { readonly: true });
    const rows = db.prepare('SELECT source_id, title, url, version FROM articles ORDER BY title').all() as { source_id: string; title: string; url: string; version: number }[];
    db.close();
    // The fallback link is the configured feed URL without its secrets (also for the next version of
    // an article stored with the secret link); the relative link resolves without user info.
    const publicFeed = `${feedHost.url}/feeds/locked.xml?lang=zh`;
    assert.deepEqual(
      rows.map((row) => [row.source_id, row.title, row.url, row.version]),
      [
        ['locked', '不能用的链接', publicFeed, 1],
        ['moved', '搬走的订阅源', `${feedHost.url}/moved.xml`, 1],
        ['locked', '没有链接的文章', publicFeed, 2],
        ['locked', '相对链接', `${feedHost.url}/a/relative-3`, 1],
      ].sort((a, b) => (String(a[1]) < String(b[1]) ? -1 : 1)),
    );
  });

  it('SEC-02 no file of the archive (articles, lists, README, STATUS) and no commit message holds a secret', async () => {
    const archive = join(temp.dir, 'archive');
    const files = await filesUnder(archive);
    assert.ok(files.some((file) => file.endsWith('STATUS.md')), 'publish wrote STATUS.md');
    assert.ok(files.some((file) => file.endsWith('README.md')), 'sync wrote README.md');
    assert.ok(files.filter((file) => file.endsWith('.md')).length >= 6, files.join('\n'));
    let fallbackSeen = false;
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      assertClean(text, file);
      fallbackSeen ||= text.includes(`${feedHost.url}/feeds/locked.xml?lang=zh`);
    }
    assert.ok(fallbackSeen, 'an article file links to the public feed URL');
    assertClean(gitSync(archive, ['log', '--format=%B']), 'git log');
  });

  it('SEC-03 logs and reports on stderr and stdout hold no secret', () => {
    for (const run of syncs) {
      assertClean(run.stdout, 'stdout');
      assertClean(run.stderr, 'stderr');
    }
    assert.match(syncs[0]?.stderr ?? '', /denied/, 'the failing source is reported');
  });

  it('SEC-04 status, plain and --json, names the failure without the secrets', async () => {
    const plain = await cli(['status', '--config', config]);
    const json = await cli(['status', '--config', config, '--json']);
    assertClean(plain.stdout + plain.stderr, 'status');
    assertClean(json.stdout + json.stderr, 'status --json');
    assert.match(json.stdout, /denied/);
    assert.match(json.stdout, /403/);
  });

  it('SEC-05 export-opml strips the secrets; --with-secrets keeps the URLs as configured', async () => {
    const plain = await cli(['export-opml', '--config', config]);
    assert.equal(plain.code, 0, plain.stderr);
    assertClean(plain.stdout, 'export-opml');
    assert.match(plain.stdout, new RegExp(`xmlUrl="${feedHost.url}/feeds/locked.xml\\?lang=zh"`));
    const full = await cli(['export-opml', '--config', config, '--with-secrets']);
    assert.equal(full.code, 0, full.stderr);
    assert.ok(full.stdout.includes(PASSWORD) && full.stdout.includes(TOKEN), full.stdout);
  });

  it('SEC-06 the reader (API, feeds, pages, search) shows the public URLs only', async () => {
    // An article link stored before links were made public, never synced since: the reader cleans it.
    const db = new Database(join(temp.dir, 'store.db'));
    const secretLink = `${feedHost.url.replace('http://', `http://${USER}:${PASSWORD}@`)}/a/relative-3?token=${TOKEN}`;
    db.prepare("UPDATE articles SET url = ? WHERE title = '相对链接'").run(secretLink);
    db.close();
    const server = await serve(config);
    try {
      const get = async (path: string): Promise<string> => {
        const response = await fetch(`${server.url}${path}`);
        assert.equal(response.status, 200, path);
        return response.text();
      };
      const sources = await get('/api/sources');
      assertClean(sources, '/api/sources');
      assert.ok(sources.includes(`${feedHost.url}/feeds/locked.xml?lang=zh`), sources);
      const list = JSON.parse(await get('/api/articles?limit=200')) as { results: { id: string }[] };
      assert.equal(list.results.length, 4);
      const paths = ['/', '/sources/locked', '/sources/moved', '/sources/denied', '/search?q=链接', '/api/search?q=链接', '/api/articles?limit=200'];
      for (const id of ['locked', 'moved', 'all']) for (const format of ['xml', 'atom', 'json']) paths.push(`/feeds/${id}.${format}`);
      for (const { id } of list.results) paths.push(`/articles/${id}`, `/api/articles/${id}`);
      for (const path of paths) assertClean(await get(path), path);
      assert.match(await get('/feeds/locked.xml'), new RegExp(`<source url="${feedHost.url}/feeds/locked.xml\\?lang=zh">`));
    } finally {
      await server.stop();
    }
    assertClean(server.output(), 'serve output');
  });

  it('SEC-07 a redirect to another origin carries neither the Authorization header nor the token', () => {
    const movedRequests = feedHost.requests.filter((request) => request.url.startsWith('/moved.xml'));
    assert.ok(movedRequests.length >= 2, 'the source was fetched from its configured origin');
    assert.ok(movedRequests.every((request) => request.headers.authorization === BASIC), 'the configured origin got the credentials');
    assert.ok(otherOrigin.requests.length >= 2, 'the redirect was followed');
    for (const request of otherOrigin.requests) {
      assert.equal(request.headers.authorization, undefined);
      assert.equal(request.headers.cookie, undefined);
      assert.ok(!request.url.includes(TOKEN), request.url);
      assertClean(JSON.stringify(request.headers), 'headers sent to the other origin');
    }
  });

  it('SEC-08 an entry without a usable link has no article page read: the feed is fetched once per sync', () => {
    const feedFetches = feedHost.requests.filter((request) => request.url.startsWith('/feeds/locked.xml'));
    assert.equal(feedFetches.length, 2);
  });
});
