/**
 * Images end to end on PostgreSQL, as real processes of the built CLI (`npm run build` first): two
 * `worker --once` processes download the images of the articles they store into the store's blobs,
 * then `archiver --once` writes the blobs and the article files. The archive's images and the
 * articles' rewritten `src` must be byte for byte what one SQLite `sync` writes on its own.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildRss, FIXTURE_CORPUS, loadCorpusRows, rowToItem } from '../helpers/corpus.js';
import { startServer, type FixtureServer } from '../helpers/fixture-server.js';
import { createTestSchema, TEST_POSTGRES, type TestSchema } from '../helpers/postgres.js';
import { finished, startCli } from '../helpers/cli-process.js';
import { runCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/tmp.js';
import { snapshotTree } from '../helpers/tree.js';
import { png } from '../helpers/png.js';
import { openPostgresMediaBlobs } from '../../src/adapters/media/index.js';

const SOURCES = 8;
const ITEMS = 4;
const CLOCK = { NEWSMIRROR_CLOCK: String(Date.UTC(2026, 11, 7, 8, 0)) };
// Rows without pictures of their own: the only images are the local server's (no test touches the internet).
const rows = loadCorpusRows(FIXTURE_CORPUS).filter((row) => typeof row.link === 'string' && row.link.startsWith('http') && row.flags.length === 0 && !/<img/i.test(row.html));
const sourceIds = Array.from({ length: SOURCES }, (_, n) => `m${n}`);
// Every article's own picture, and one that every source's first article shows (stored once).
const imageNames = [...sourceIds.flatMap((id) => Array.from({ length: ITEMS }, (_, i) => `${id}-${i}`)), 'shared'];
const images = new Map(imageNames.map((name, n) => [name, png(2 + (n % 5), 1 + (n % 3), [n * 7, 255 - n, 90])]));

function feedOf(s: number, base: string): string {
  const items = Array.from({ length: ITEMS }, (_, i) => {
    const row = rows[(s * ITEMS + i) % rows.length]!;
    const item = rowToItem(row);
    const shared = i === 0 ? `<p><img src="${base}/img/shared.png" alt="共用"></p>` : '';
    return { ...item, link: `${row.link}${row.link.includes('?') ? '&' : '?'}m=${s}-${i}`, html: `${item.html ?? ''}<p><img src="${base}/img/${sourceIds[s]!}-${i}.png" alt="图"></p>${shared}` };
  });
  return buildRss({ title: sourceIds[s]!, link: `https://${sourceIds[s]!}.test/` }, items);
}

async function writeConfig(dir: string, database: string, base: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'newsmirror.yaml');
  const sources = sourceIds.map((id) => `  - { id: ${id}, name: "${id} 图", url: "${base}/feeds/${id}.xml", fulltext: feed }`).join('\n');
  const lines = ['archive: ./archive', `database: "${database}"`, 'network: { allowPrivateNetworks: true, retries: 0, concurrency: 4 }', 'workers: { leaseSeconds: 5, pollSeconds: 0.2 }', 'sources:', sources, ''];
  await writeFile(file, lines.join('\n'));
  return file;
}

const archived = (tree: Map<string, { sha: string }>): [string, string][] =>
  [...tree].filter(([path]) => path.startsWith('articles/') || path.startsWith('media/')).map(([path, entry]) => [path, entry.sha]);

describe('images from workers through the store to the archiver, on PostgreSQL', { skip: TEST_POSTGRES.skip }, () => {
  let server: FixtureServer;
  let schema: TestSchema;
  let temp: { dir: string; cleanup(): Promise<void> };
  const fetched = new Map<string, number>();
  let slow = false;

  before(async () => {
    server = await startServer(async (req, res) => {
      const feed = /^\/feeds\/m(\d)\.xml$/.exec(req.url ?? '');
      // Slow feeds in WK-05: each worker holds its first claims long enough for the other to claim the rest.
      if (feed && slow) await sleep(500);
      if (feed) return void res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(feedOf(Number(feed[1]), server.url));
      const name = /^\/img\/([a-z0-9-]+)\.png$/.exec(req.url ?? '')?.[1] ?? '';
      const bytes = images.get(name);
      if (bytes === undefined) return void res.writeHead(404).end();
      fetched.set(name, (fetched.get(name) ?? 0) + 1);
      // A slow answer, so that two workers fetching one image at once would both be counted; the
      // shared image slower still in WK-05, so that the two workers' drains surely overlap on it.
      await sleep(name === 'shared' && slow ? 1000 : 20);
      res.writeHead(200, { 'content-type': 'image/png' }).end(bytes);
    });
    schema = await createTestSchema();
    temp = await makeTempDir('newsmirror-workers-media-');
  });
  after(async () => {
    await server?.close();
    await schema?.drop();
    await temp?.cleanup();
  });

  it('WK-03 two workers and an archiver write the same images and the same rewritten articles as one SQLite sync', async () => {
    const sqliteDir = join(temp.dir, 'sqlite');
    const sync = await runCli(['sync', '--config', await writeConfig(sqliteDir, './store.db', server.url)], CLOCK);
    assert.equal(sync.code, 0, sync.stderr);
    const reference = archived(await snapshotTree(join(sqliteDir, 'archive')));
    assert.equal(reference.filter(([path]) => path.startsWith('media/')).length, images.size, 'the sync mirrored every image once');
    const articles = reference.filter(([path]) => path.startsWith('articles/'));
    assert.equal(articles.length, SOURCES * ITEMS);
    for (const [path] of articles) {
      const text = await readFile(join(sqliteDir, 'archive', path), 'utf8');
      assert.match(text, /<img src="(?:\.\.\/)+media\/[0-9a-f]{2}\/[0-9a-f]{64}\.png"/, `${path} shows its mirrored image`);
      assert.equal(text.includes(` src="${server.url}/img/`), false, `${path} shows no remote image`);
    }
    fetched.clear();

    const pgDir = join(temp.dir, 'postgres');
    const config = await writeConfig(pgDir, `${schema.url}?schema=${schema.schema}`, server.url);
    const workers = [0, 1].map(() => startCli(['worker', '--once', '--config', config], CLOCK));
    for (const [n, worker] of workers.entries()) await finished(worker, `worker ${n}`);
    const own = imageNames.filter((name) => name !== 'shared');
    assert.deepEqual(
      own.filter((name) => fetched.get(name) !== 1),
      [],
      'each article image was fetched once, by one of the workers',
    );
    await finished(startCli(['archiver', '--once', '--config', config], CLOCK), 'archiver --once');

    assert.deepEqual(archived(await snapshotTree(join(pgDir, 'archive'))), reference, 'the same images and article files, byte for byte');

    // Written out, the bytes are released: the archive's files are their one copy, as after a sync.
    const blobs = await openPostgresMediaBlobs(schema.url, { schema: schema.schema });
    try {
      assert.deepEqual(await blobs.listPending(100), []);
      for (const [path] of reference.filter(([media]) => media.startsWith('media/'))) {
        assert.equal(await blobs.read(path), undefined, `${path} released`);
        assert.ok(((await blobs.size(path)) ?? 0) > 0, `${path} still known to the workers`);
      }
    } finally {
      await blobs.close();
    }
  });

  it('WK-05 an image that articles of both workers show is fetched once: one worker downloads it, the other waits for its copy', async () => {
    const other = await createTestSchema();
    try {
      fetched.clear();
      slow = true;
      const config = await writeConfig(join(temp.dir, 'shared'), `${other.url}?schema=${other.schema}`, server.url);
      const workers = [0, 1].map(() => startCli(['worker', '--once', '--config', config], CLOCK));
      for (const [n, worker] of workers.entries()) await finished(worker, `worker ${n}`);
      assert.ok(workers.every((worker) => worker.lines.some((line) => / [1-9]\d* new/.test(line))), 'both workers stored articles that show the shared image');
      assert.equal(fetched.get('shared'), 1, 'the shared image was fetched by one worker only');
      assert.deepEqual(imageNames.filter((name) => fetched.get(name) !== 1), [], 'and every other image once');
      const dir = join(temp.dir, 'shared');
      await finished(startCli(['archiver', '--once', '--config', config], CLOCK), 'archiver --once');
      const files = archived(await snapshotTree(join(dir, 'archive'))).filter(([path]) => path.startsWith('articles/'));
      assert.equal(files.length, SOURCES * ITEMS);
      for (const [path] of files) assert.equal((await readFile(join(dir, 'archive', path), 'utf8')).includes(` src="${server.url}/img/`), false, `${path} shows its images mirrored`);
    } finally {
      slow = false;
      await other.drop();
    }
  });
});
