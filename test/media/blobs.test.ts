import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { createArchiveWriter } from '../../src/adapters/archive/index.js';
import { createHttpClient } from '../../src/adapters/http/index.js';
import { blobOf } from '../../src/adapters/media/contract/index.js';
import {
  createBlobMediaSink,
  createImageMirror,
  createMemoryMediaState,
  flushMediaBlobs,
  openPostgresMediaBlobs,
  openSqliteMediaBlobs,
} from '../../src/adapters/media/index.js';
import type { ArchiveWriter, MediaBlobs } from '../../src/core/ports.js';
import { createTestSchema, TEST_POSTGRES } from '../helpers/postgres.js';
import { startServer } from '../helpers/fixture-server.js';
import { makeTempDir } from '../helpers/tmp.js';
import { jpeg, png } from './images.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function tempDir(prefix: string): Promise<string> {
  const temp = await makeTempDir(prefix);
  cleanups.push(temp.cleanup);
  return temp.dir;
}

/** mediaFiles lists every file below root/media, relative to root, sorted. */
async function mediaFiles(root: string): Promise<string[]> {
  const entries = await readdir(join(root, 'media'), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1))
    .sort();
}

/** failingAfter is a writer that dies (as a killed archiver would) once it has written `count` files. */
function failingAfter(writer: ArchiveWriter, count: number): ArchiveWriter {
  let left = count;
  return {
    ...writer,
    async write(path, content) {
      if (left-- <= 0) throw new Error('killed');
      return writer.write(path, content);
    },
  };
}

const IMAGES = Array.from({ length: 7 }, (_, n) => jpeg(`blob ${n}`));

function blobSuite(name: string, open: () => Promise<{ blobs: MediaBlobs; close(): Promise<void> }>): void {
  describe(`media blobs on ${name}`, () => {
    it(`BLOB-01 ${name}: the mirror with a blob sink keeps the images in the store, the archiver writes them`, async () => {
      const { blobs, close } = await open();
      cleanups.push(close);
      const shared = png(1, 2, 3);
      const server = await startServer((req, res) => {
        const bytes = req.url === '/a.jpg' ? IMAGES[0] : req.url === '/shared.png' ? shared : undefined;
        if (bytes === undefined) res.writeHead(404).end();
        else res.writeHead(200, { 'content-type': 'image/jpeg' }).end(bytes);
      });
      cleanups.push(() => server.close());
      const http = createHttpClient({ allowPrivateNetworks: true, env: {}, retries: 0, timeoutSeconds: 2 });
      cleanups.push(() => http.close());
      // Two workers: their own mirrors over the one store (its blobs, its retry state).
      const state = createMemoryMediaState();
      const worker = () => createImageMirror({ http, sink: createBlobMediaSink(blobs), state, clock: { now: () => 0 } });
      const mirror = worker();
      const html = `<p><img src="${server.url}/a.jpg"><img src="${server.url}/shared.png"></p>`;
      const input = { sourceId: 'rfi', articleId: 'a1', articlePath: 'articles/rfi/2023/10/20/1815-a1.md', html };
      const first = await mirror.mirrorArticleImages(input);
      assert.equal(first.mirrored, 2);
      assert.deepEqual(first.failed, []);
      assert.match(first.html, new RegExp(`src="../../../../../${blobOf(IMAGES[0] ?? new Uint8Array(), 'jpg')}"`));
      // Once in the store an image is not fetched again, by this worker or another.
      const again = await worker().mirrorArticleImages({ ...input, articleId: 'a2' });
      assert.equal(again.mirrored, 2);
      assert.equal(server.requests.length, 2);
      assert.deepEqual((await blobs.listPending(10)).map((item) => item.path), [blobOf(IMAGES[0] ?? new Uint8Array(), 'jpg'), blobOf(shared)].sort());

      const archive = await tempDir('newsmirror-archive-');
      assert.deepEqual(await flushMediaBlobs(blobs, createArchiveWriter(archive)), { written: 2, unchanged: 0 });
      assert.deepEqual(await mediaFiles(archive), first.images.map((image) => image.path).sort());
      assert.deepEqual(new Uint8Array(await readFile(join(archive, blobOf(shared)))), shared);
      assert.deepEqual(await blobs.listPending(10), []);
      assert.deepEqual(await flushMediaBlobs(blobs, createArchiveWriter(archive)), { written: 0, unchanged: 0 });
    });

    it(`BLOB-02 ${name}: a flush killed midway is completed by the next one; a blob put meanwhile is written too`, async () => {
      const { blobs, close } = await open();
      cleanups.push(close);
      for (const bytes of IMAGES) await blobs.put(blobOf(bytes, 'jpg'), bytes);
      const archive = await tempDir('newsmirror-archive-');
      const writer = createArchiveWriter(archive);
      await assert.rejects(flushMediaBlobs(blobs, failingAfter(writer, 5), { batch: 3 }), /killed/);
      const paths = IMAGES.map((bytes) => blobOf(bytes, 'jpg')).sort();
      assert.equal((await mediaFiles(archive)).length, 5);
      // The first batch was cleared; the second was written but not cleared; the third never started.
      assert.deepEqual((await blobs.listPending(10)).map((item) => item.path), paths.slice(3));

      const late = jpeg('put while the archiver was down');
      await blobs.put(blobOf(late, 'jpg'), late);
      assert.deepEqual(await flushMediaBlobs(blobs, writer, { batch: 3 }), { written: 3, unchanged: 2 });
      assert.deepEqual(await mediaFiles(archive), [...paths, blobOf(late, 'jpg')].sort());
      for (const bytes of [...IMAGES, late]) assert.deepEqual(new Uint8Array(await readFile(join(archive, blobOf(bytes, 'jpg')))), bytes);
      assert.deepEqual(await blobs.listPending(10), []);
    });

    it(`BLOB-03 ${name}: the flush writes inside the media folder only, through the archive writer's checks`, async () => {
      const { blobs, close } = await open();
      cleanups.push(close);
      const bytes = IMAGES[1] ?? new Uint8Array();
      await blobs.put(blobOf(bytes, 'jpg'), bytes);
      const base = await tempDir('newsmirror-media-dir-');
      await flushMediaBlobs(blobs, createArchiveWriter(base));
      assert.deepEqual(await readdir(base), ['media']);
    });
  });
}

blobSuite('SQLite', async () => {
  const dir = await tempDir('newsmirror-blobs-db-');
  const blobs = openSqliteMediaBlobs(join(dir, 'newsmirror.db'));
  return { blobs, close: () => blobs.close() };
});

describe('PostgreSQL', { skip: TEST_POSTGRES.skip }, () => {
  blobSuite('PostgreSQL', async () => {
    const schema = await createTestSchema();
    const blobs = await openPostgresMediaBlobs(schema.url, { schema: schema.schema });
    return {
      blobs,
      close: async () => {
        await blobs.close();
        await schema.drop();
      },
    };
  });
});
