/**
 * A degraded feed must not overwrite what we have (issue 11): the real CLI (`bin/newsmirror.js`, so
 * `npm run build` first) against a feed served on 127.0.0.1 that is cut off mid-item, has a proxy's
 * error page appended, or shrinks an article, over a real SQLite file and archive folder.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { startServer, type FixtureServer } from '../helpers/fixture-server.js';
import { makeTempDir } from '../helpers/tmp.js';

const BIN = fileURLToPath(new URL('../../bin/newsmirror.js', import.meta.url));
const PARAGRAPH = '法国国际广播电台报道，欧洲议会周三就对华贸易政策举行辩论，多名议员要求加强对关键供应链的审查。';

/** newsmirror runs the built CLI in `cwd` and resolves with its exit code and output (never rejects on a non-zero exit). */
function newsmirror(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

function item(n: number, body: string, title = `欧洲议会辩论对华政策 ${n}`): string {
  return `<item><title>${title}</title><link>https://www.rfi.fr/cn/article-${n}</link><guid>https://www.rfi.fr/cn/article-${n}</guid><pubDate>Wed, 0${n} Nov 2023 08:00:00 GMT</pubDate><description><![CDATA[${body}]]></description></item>`;
}

function feed(items: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>法广</title><link>https://www.rfi.fr/cn/</link>\n${items.join('\n')}\n</channel></rss>\n`;
}

const fullBody = (n: number): string => Array.from({ length: 8 }, (_, i) => `<p>${n}-${i} ${PARAGRAPH}</p>`).join('');
const WHOLE = feed([1, 2, 3].map((n) => item(n, fullBody(n))));

describe('hostile: a degraded feed never overwrites the stored text', () => {
  let temp: { dir: string; cleanup(): Promise<void> };
  let server: FixtureServer;
  let served = WHOLE;
  let db: Database.Database | undefined;

  const query = <T>(sql: string, ...params: unknown[]): T[] => {
    db ??= new Database(join(temp.dir, 'store.db'), { readonly: true, fileMustExist: true });
    return db.prepare(sql).all(...params) as T[];
  };
  const articleFile = async (n: number): Promise<string> => {
    const [row] = query<{ path: string }>('SELECT path FROM articles WHERE key LIKE ?', `%article-${n}`);
    assert.ok(row, `article ${n} is stored`);
    return readFile(join(temp.dir, 'archive', row.path), 'utf8');
  };
  const versions = (n: number): number =>
    query<{ count: number }>('SELECT count(*) AS count FROM article_versions v JOIN articles a ON a.id = v.article_id WHERE a.key LIKE ?', `%article-${n}`)[0]?.count ?? 0;
  const pendingSuspects = (): { reason: string; title: string; body_html: string }[] =>
    query("SELECT reason, title, body_html FROM suspect_versions WHERE state = 'pending' ORDER BY seen_at");

  before(async () => {
    temp = await makeTempDir();
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(served);
    });
    await writeFile(
      join(temp.dir, 'newsmirror.yaml'),
      `archive: ./archive\ndatabase: ./store.db\nnetwork:\n  allowPrivateNetworks: true\n  retries: 0\n  timeoutSeconds: 10\nmedia: { enabled: false }\n` +
        `sources:\n  - { id: rfi, name: 法广, url: "${server.url}/rfi.xml", fulltext: feed }\n`,
    );
  });
  after(async () => {
    db?.close();
    await server.close();
    await temp.cleanup();
  });

  it('HOS-D01 the first sync stores three whole articles and exits 0', async () => {
    const run = await newsmirror(temp.dir, 'sync', '--config', 'newsmirror.yaml');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /new 3, edited 0/);
    assert.match(await articleFile(2), /2-7 法国国际广播电台报道/);
  });

  it('HOS-D02 a feed cut off mid-item: exit 1 with the reason, the cut version stored as suspect, the archive file keeps the full text', async () => {
    served = WHOLE.slice(0, WHOLE.indexOf('2-2 '));
    const run = await newsmirror(temp.dir, 'sync', '--config', 'newsmirror.yaml');
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /\[parse\/recovered\]/);
    assert.match(run.stdout, /\[store\/suspect\] 1 suspect version\(s\) held back/);
    assert.match(run.stdout, /edited 0/);
    const file = await articleFile(2);
    assert.match(file, /2-7 法国国际广播电台报道/, 'the archive file (what rebuild restores from) keeps the full text');
    assert.equal(versions(2), 1, 'the cut text is not a new version');
    const suspects = pendingSuspects();
    assert.equal(suspects.length, 1);
    assert.equal(suspects[0]?.reason, 'recovered');
    assert.match(suspects[0]?.body_html ?? '', /2-1 法国国际广播电台报道/);
    assert.doesNotMatch(suspects[0]?.body_html ?? '', /2-2 /);
    const status = await newsmirror(temp.dir, 'status', '--config', 'newsmirror.yaml');
    assert.match(status.stdout, /^rfi .* 1 suspect version\(s\) held back/m);
  });

  it('HOS-D03 the same cut feed again changes nothing: no new suspect, no edit (both hashes compared)', async () => {
    const run = await newsmirror(temp.dir, 'sync', '--config', 'newsmirror.yaml');
    assert.equal(run.code, 1, 'still a recovered feed');
    assert.match(run.stdout, /new 0, edited 0, unchanged 2/);
    assert.doesNotMatch(run.stdout, /\[store\/suspect\]/);
    assert.equal(pendingSuspects().length, 1);
  });

  it('HOS-D04 the whole feed with a proxy error page appended: recovered (exit 1), and the whole item dismisses the suspect', async () => {
    served = `${WHOLE}<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>\n`;
    const run = await newsmirror(temp.dir, 'sync', '--config', 'newsmirror.yaml');
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /\[parse\/recovered\]/);
    assert.match(run.stdout, /new 0, edited 0, unchanged 3/);
    assert.deepEqual(pendingSuspects(), []);
    const status = await newsmirror(temp.dir, 'status', '--config', 'newsmirror.yaml');
    assert.doesNotMatch(status.stdout, /suspect/);
  });

  it('HOS-D05 a well-formed feed with title "x" and an empty body: held back as empty, exit 1', async () => {
    served = feed([item(1, fullBody(1)), item(2, '', 'x'), item(3, fullBody(3))]);
    const run = await newsmirror(temp.dir, 'sync', '--config', 'newsmirror.yaml');
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.doesNotMatch(run.stdout, /\[parse\/recovered\]/);
    assert.match(run.stdout, /\[store\/suspect\] 1 suspect version/);
    assert.deepEqual(pendingSuspects().map((suspect) => [suspect.reason, suspect.title]), [['empty', 'x']]);
    assert.match(await articleFile(2), /^\[欧洲议会辩论对华政策 2\]/m);
  });

  it('HOS-D06 a shorter text confirmed by a later clean fetch becomes current as a normal edit', async () => {
    const shorter = `<p>2-0 ${PARAGRAPH}</p><p>更正：本文已删节。</p>`;
    served = feed([item(1, fullBody(1)), item(2, shorter), item(3, fullBody(3))]);
    const first = await newsmirror(temp.dir, 'sync', '--config', 'newsmirror.yaml');
    assert.equal(first.code, 1, first.stdout + first.stderr);
    assert.deepEqual(pendingSuspects().map((suspect) => suspect.reason), ['shorter'], 'the new shorter text replaced "x" as the pending suspect');
    assert.match(await articleFile(2), /2-7 法国国际广播电台报道/);
    const confirmed = await newsmirror(temp.dir, 'sync', '--config', 'newsmirror.yaml');
    assert.equal(confirmed.code, 0, confirmed.stdout + confirmed.stderr);
    assert.match(confirmed.stdout, /edited 1/);
    assert.deepEqual(pendingSuspects(), []);
    const file = await articleFile(2);
    assert.match(file, /更正：本文已删节。/);
    assert.doesNotMatch(file, /2-7 /);
    assert.equal(versions(2), 2);
  });
});
