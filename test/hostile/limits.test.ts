/**
 * Limits that keep one bad item small (issue 11): a 10 MB title and a feed with more items than
 * `limits.itemsPerFeed`, served on 127.0.0.1 to the real CLI (`bin/newsmirror.js`, so `npm run build`
 * first), cost what a normal feed costs, with warnings in the report and exit 0; `newsmirror serve`
 * shows bounded titles.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { LIMITS } from '../../src/core/model/index.js';
import { highlight, parseQuery } from '../../src/core/search/index.js';
import { startServer, type FixtureServer } from '../helpers/fixture-server.js';
import { makeTempDir } from '../helpers/tmp.js';

const BIN = fileURLToPath(new URL('../../bin/newsmirror.js', import.meta.url));
// '长' is 3 bytes of UTF-8: a title of 10 MB.
const LONG_CHARS = Math.floor((10 * 1024 * 1024) / 3);
const ITEMS = 450;
const KEEP = 300;
const HOUR = 3_600_000;
const NEWEST = Date.UTC(2023, 10, 1, 12, 0);

function newsmirror(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** serve starts `newsmirror serve` on a free port and resolves with its URL and a stop function. */
async function serve(cwd: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--config', 'newsmirror.yaml', '--host', '127.0.0.1', '--port', '0'], { cwd });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /serving (http:\/\/\S+?)\/ /.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The feed lists its items oldest first, so keeping the first N would keep the wrong ones. */
function hostileFeed(): string {
  const items: string[] = [];
  for (let n = ITEMS - 1; n >= 0; n--) {
    const title = n === 0 ? `巨型标题${'长'.repeat(LONG_CHARS)}` : `新闻标题 ${n}`;
    items.push(
      `<item><title>${title}</title><link>https://www.rfa.org/mandarin/item-${n}.html</link><pubDate>${new Date(NEWEST - n * HOUR).toUTCString()}</pubDate>` +
        `<description><![CDATA[<p>第 ${n} 条新闻的正文，记者报道。</p>]]></description></item>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>自由亚洲电台</title><link>https://www.rfa.org/mandarin/</link>\n${items.join('\n')}\n</channel></rss>\n`;
}

describe('hostile: limits keep one bad item small', () => {
  let temp: { dir: string; cleanup(): Promise<void> };
  let server: FixtureServer;

  before(async () => {
    temp = await makeTempDir();
    const body = hostileFeed();
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body);
    });
    await writeFile(
      join(temp.dir, 'newsmirror.yaml'),
      `archive: ./archive\ndatabase: ./store.db\nnetwork:\n  allowPrivateNetworks: true\n  retries: 0\n  timeoutSeconds: 60\nmedia: { enabled: false }\n` +
        `limits:\n  itemsPerFeed: ${KEEP}\nsources:\n  - { id: rfa, name: 自由亚洲电台, url: "${server.url}/rfa.xml", fulltext: feed }\n`,
    );
  });
  after(async () => {
    await server.close();
    await temp.cleanup();
  });

  it('HOS-L01 a 10 MB title and too many items: the newest items kept, the title cut, warnings, exit 0', async () => {
    const run = await newsmirror(temp.dir, 'sync', '--config', 'newsmirror.yaml');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, new RegExp(`limits: the feed has ${ITEMS} items; kept the newest ${KEEP} \\(limits\\.itemsPerFeed\\)`));
    assert.match(run.stdout, new RegExp(`limits: title of item https://www\\.rfa\\.org/mandarin/item-0\\.html cut from ${LONG_CHARS + 4} to ${LIMITS.titleChars} characters`));
    assert.match(run.stdout, new RegExp(`new ${KEEP}, edited 0`));

    const db = new Database(join(temp.dir, 'store.db'), { readonly: true, fileMustExist: true });
    try {
      const kept = db.prepare('SELECT key, title, path FROM articles ORDER BY published DESC').all() as { key: string; title: string; path: string }[];
      assert.equal(kept.length, KEEP);
      assert.ok(kept.every((row) => Number(/item-(\d+)/.exec(row.key)?.[1]) < KEEP), 'the newest items are the ones kept');
      const [huge] = kept;
      assert.equal(huge?.title.length, LIMITS.titleChars);
      assert.ok(huge?.title.endsWith('…'));
      const file = await stat(join(temp.dir, 'archive', huge?.path ?? ''));
      assert.ok(file.size < 20_000, `the article file is ${file.size} bytes`);
    } finally {
      db.close();
    }
    const list = await readFile(join(temp.dir, 'archive', 'lists', 'rfa.md'), 'utf8');
    assert.ok(list.length < 200_000, `the source list is ${list.length} characters`);
    const status = await newsmirror(temp.dir, 'status', '--config', 'newsmirror.yaml');
    assert.equal(status.code, 0, status.stdout + status.stderr);
  });

  it('HOS-L02 search results and pages show bounded titles and snippets, whatever is stored', async () => {
    const search = await newsmirror(temp.dir, 'search', '巨型标题', '--config', 'newsmirror.yaml', '--json');
    assert.equal(search.code, 0, search.stdout + search.stderr);
    assert.ok(search.stdout.length < 20_000, `the search answer is ${search.stdout.length} characters`);
    assert.match(search.stdout, /巨型标题/);

    const reader = await serve(temp.dir);
    try {
      const tooLong = '长'.repeat(LIMITS.pageTitleChars);
      for (const path of ['/sources/rfa', `/search?q=${encodeURIComponent('巨型标题')}`]) {
        const response = await fetch(`${reader.url}${path}`);
        assert.equal(response.status, 200, path);
        const page = await response.text();
        assert.match(page, /巨型标题/, path);
        assert.ok(!page.includes(tooLong), `${path} shows a title of at most ${LIMITS.pageTitleChars} characters`);
      }
    } finally {
      await reader.stop();
    }
    const snippet = highlight(`巨型标题${'长'.repeat(LONG_CHARS)}`, parseQuery('巨型').highlights, 100_000);
    assert.ok(snippet.length <= LIMITS.snippetChars + 40, `the snippet is ${snippet.length} characters`);
  });
});
