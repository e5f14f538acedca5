/**
 * The behaviour every MediaBlobs must have, as one node:test suite, run against SQLite and PostgreSQL
 * (src/adapters/media/media-blobs.test.ts). Each test gets a fresh, empty store.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isNewsmirrorError } from '../../../core/errors.js';
import { mediaPath } from '../../../core/media/index.js';
import type { MediaBlobs } from '../../../core/ports.js';

/** MediaBlobsHarness is a freshly opened, empty blob store and the function that disposes of it. */
export interface MediaBlobsHarness {
  blobs: MediaBlobs;
  cleanup(): Promise<void>;
}

/** blobOf returns the media path of `bytes` (content-addressed, as the image mirror names them). */
export function blobOf(bytes: Uint8Array, ext = 'png'): string {
  return mediaPath(createHash('sha256').update(bytes).digest('hex'), ext);
}

const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);

/**
 * runMediaBlobsContract registers the media blobs suite under `name`. `open` must return a new,
 * empty store for every test, and `cleanup` must release and delete it.
 *
 * @example
 * runMediaBlobsContract('sqlite', async () => ({ blobs: openSqliteMediaBlobs(file), cleanup }));
 */
export function runMediaBlobsContract(name: string, open: () => Promise<MediaBlobsHarness>): void {
  describe(`MediaBlobs contract: ${name}`, () => {
    let harness: MediaBlobsHarness;
    let blobs: MediaBlobs;

    beforeEach(async () => {
      harness = await open();
      blobs = harness.blobs;
    });

    afterEach(async () => {
      await harness.cleanup();
    });

    it('MB-01 put then read and size give the bytes back; unknown paths are undefined', async () => {
      const bytes = new Uint8Array(70_000).map((_, n) => (n * 7) % 256);
      const path = blobOf(bytes, 'jpg');
      assert.equal(await blobs.read(path), undefined);
      assert.equal(await blobs.size(path), undefined);
      await blobs.put(path, bytes);
      assert.deepEqual(await blobs.read(path), bytes);
      assert.equal(await blobs.size(path), bytes.length);
      const empty = new Uint8Array(0);
      await blobs.put(blobOf(empty), empty);
      assert.deepEqual(await blobs.read(blobOf(empty)), empty);
    });

    it('MB-02 a put is idempotent by content: one blob, the bytes kept, pending once', async () => {
      const bytes = bytesOf('GIF89a one');
      const path = blobOf(bytes, 'gif');
      await blobs.put(path, bytes);
      await blobs.put(path, bytes.slice());
      assert.deepEqual(await blobs.read(path), bytes);
      const pending = await blobs.listPending(10);
      assert.deepEqual(pending.map((item) => item.path), [path]);
    });

    it('MB-03 bytes that do not hash to the path, and paths that are not media paths, are refused', async () => {
      const bytes = bytesOf('real');
      const isStoreError = (error: unknown): boolean => isNewsmirrorError(error) && error.code === 'store';
      await assert.rejects(blobs.put(blobOf(bytesOf('other')), bytes), isStoreError);
      await assert.rejects(blobs.put(`../${blobOf(bytes)}`, bytes), isStoreError);
      await assert.rejects(blobs.put(blobOf(bytes).toUpperCase(), bytes), isStoreError);
      assert.deepEqual(await blobs.listPending(10), []);
    });

    it('MB-04 listPending pages by path; markWritten clears the listed marks only', async () => {
      const all = Array.from({ length: 5 }, (_, n) => bytesOf(`image ${n}`));
      for (const bytes of all) await blobs.put(blobOf(bytes), bytes);
      const paths = all.map((bytes) => blobOf(bytes)).sort();
      const first = await blobs.listPending(3);
      assert.deepEqual(first.map((item) => item.path), paths.slice(0, 3));
      await blobs.markWritten(first);
      const rest = await blobs.listPending(3);
      assert.deepEqual(rest.map((item) => item.path), paths.slice(3));
      await blobs.markWritten([...rest, { path: blobOf(bytesOf('never put')), mark: 1 }]);
      assert.deepEqual(await blobs.listPending(10), []);
      await blobs.markWritten([]);
    });

    it('MB-05 a put after the listing raises the mark: clearing the listed mark leaves it pending', async () => {
      const bytes = bytesOf('slow writer');
      const path = blobOf(bytes);
      await blobs.put(path, bytes);
      const listed = await blobs.listPending(10);
      await blobs.put(path, bytes);
      await blobs.markWritten(listed);
      const still = await blobs.listPending(10);
      assert.equal(still.length, 1);
      assert.ok((still[0]?.mark ?? 0) > (listed[0]?.mark ?? 0));
      await blobs.markWritten(still);
      assert.deepEqual(await blobs.listPending(10), []);
      await blobs.put(path, bytes);
      assert.deepEqual((await blobs.listPending(10)).map((item) => item.path), [path]);
    });

    it('MB-06 markWritten releases the bytes and keeps the size; a later put stores them again', async () => {
      const bytes = new Uint8Array(50_000).map((_, n) => (n * 13) % 256);
      const path = blobOf(bytes, 'jpg');
      const other = bytesOf('still pending');
      await blobs.put(path, bytes);
      await blobs.put(blobOf(other), other);
      await blobs.markWritten((await blobs.listPending(10)).filter((item) => item.path === path));
      assert.equal(await blobs.read(path), undefined);
      assert.equal(await blobs.size(path), bytes.length);
      assert.deepEqual(await blobs.read(blobOf(other)), other);
      await blobs.put(path, bytes);
      assert.deepEqual(await blobs.read(path), bytes);
      const pending = await blobs.listPending(10);
      assert.deepEqual(pending.map((item) => item.path).sort(), [path, blobOf(other)].sort());
      await blobs.put(path, bytes);
      assert.deepEqual(await blobs.read(path), bytes);
    });
  });
}
