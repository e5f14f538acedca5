/**
 * The behaviour every MediaStateStore must have, as one node:test suite, run against the memory,
 * SQLite and PostgreSQL states (src/adapters/media/media-state.test.ts). Each test gets a fresh,
 * empty state.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { MediaItemState, MediaStateStore } from '../../../core/ports.js';

/** MediaStateHarness is a freshly opened, empty media state and the function that disposes of it. */
export interface MediaStateHarness {
  state: MediaStateStore;
  cleanup(): Promise<void>;
}

const NOW = Date.UTC(2023, 9, 20, 10, 15);
const HOUR = 60 * 60 * 1000;

const mirrored: MediaItemState = { url: 'https://img.test/a.jpg', path: 'media/ab/ab12.jpg', bytes: 20_480, attempts: 0, updatedAt: NOW };
const failing: MediaItemState = {
  url: 'https://img.test/b.jpg',
  attempts: 2,
  nextAttemptAt: NOW + HOUR,
  lastError: { code: 'http-status', message: 'fetch: https://img.test/b.jpg: 503' },
  updatedAt: NOW,
};
const givenUp: MediaItemState = { url: 'https://img.test/c.jpg', attempts: 1, lastError: { code: 'unsupported-media', message: 'not an image' }, updatedAt: NOW };

/**
 * runMediaStateContract registers the media state suite under `name`. `open` must return a new,
 * empty state for every test, and `cleanup` must release and delete it.
 *
 * @example
 * runMediaStateContract('memory', async () => ({ state: createMemoryMediaState(), cleanup: async () => {} }));
 */
export function runMediaStateContract(name: string, open: () => Promise<MediaStateHarness>): void {
  describe(`MediaStateStore contract: ${name}`, () => {
    let harness: MediaStateHarness;
    let state: MediaStateStore;

    beforeEach(async () => {
      harness = await open();
      state = harness.state;
    });

    afterEach(async () => {
      await harness.cleanup();
    });

    it('MS-01 items round trip by URL, unknown URLs absent, a save replaces the whole item', async () => {
      assert.equal((await state.getItems([mirrored.url])).size, 0);
      await state.saveItems([mirrored, failing, givenUp]);
      assert.deepEqual(await state.getItems([failing.url, 'https://img.test/none.jpg', mirrored.url, givenUp.url]), new Map([
        [failing.url, failing],
        [mirrored.url, mirrored],
        [givenUp.url, givenUp],
      ]));
      const recovered: MediaItemState = { url: failing.url, path: 'media/cd/cd34.png', bytes: 99, attempts: 0, updatedAt: NOW + 2 * HOUR };
      await state.saveItems([recovered]);
      assert.deepEqual((await state.getItems([failing.url])).get(failing.url), recovered);
      assert.equal((await state.getItems([])).size, 0);
    });

    it('MS-02 the last of two saves of one URL in a batch wins; 1,200 URLs read at once', async () => {
      await state.saveItems([failing, { ...failing, attempts: 3 }]);
      assert.equal((await state.getItems([failing.url])).get(failing.url)?.attempts, 3);
      const many = Array.from({ length: 1200 }, (_, n): MediaItemState => ({ url: `https://img.test/${n}.jpg`, attempts: n % 4, updatedAt: NOW + n }));
      await state.saveItems(many);
      const found = await state.getItems(many.map((item) => item.url));
      assert.equal(found.size, many.length);
      assert.deepEqual(found.get(many[777]?.url as string), many[777]);
      assert.equal((await state.getItems(["https://img.test/0.jpg' OR 1=1 --"])).size, 0);
    });

    it('MS-03 dueArticles: articles lacking an unmirrored image whose next attempt is due, sorted, once each', async () => {
      await state.saveItems([mirrored, failing, givenUp]);
      await state.setArticleMissing('art-b', 'rfi', [failing.url, givenUp.url]);
      await state.setArticleMissing('art-a', 'voa', [failing.url]);
      await state.setArticleMissing('art-c', 'rfi', [givenUp.url, 'https://img.test/never-saved.jpg']);
      assert.deepEqual(await state.dueArticles(NOW), []);
      assert.deepEqual(await state.dueArticles(NOW + HOUR), ['art-a', 'art-b']);
      await state.saveItems([{ ...failing, path: 'media/ef/ef56.jpg', attempts: 0 }]);
      assert.deepEqual(await state.dueArticles(NOW + HOUR), []);
    });

    it('MS-04 setArticleMissing replaces the set, an empty list clears it; missingBySource counts per article and image', async () => {
      assert.deepEqual(await state.missingBySource(), new Map());
      await state.setArticleMissing('art-a', 'rfi', [failing.url, givenUp.url]);
      await state.setArticleMissing('art-b', 'rfi', [failing.url]);
      await state.setArticleMissing('art-c', 'voa', [givenUp.url, givenUp.url]);
      assert.deepEqual(await state.missingBySource(), new Map([['rfi', 3], ['voa', 1]]));
      await state.setArticleMissing('art-a', 'rfi', [givenUp.url]);
      assert.deepEqual(await state.missingBySource(), new Map([['rfi', 2], ['voa', 1]]));
      await state.setArticleMissing('art-c', 'voa', []);
      assert.deepEqual(await state.missingBySource(), new Map([['rfi', 2]]));
    });
  });
}
