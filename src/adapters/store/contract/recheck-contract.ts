/**
 * The behaviour every RecheckStore must have, as one node:test suite run against SQLite
 * (src/adapters/store/sqlite/recheck.test.ts) and PostgreSQL (src/adapters/store/postgres/recheck.test.ts).
 * Each test gets a fresh, empty store and the re-check store over the same database.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { articleId } from '../../../core/identity/index.js';
import type { Article, RecheckState, Removal } from '../../../core/model/index.js';
import type { RecheckStore, Store } from '../../../core/ports.js';

/** RecheckHarness is a fresh store, the re-check store over its database, and their disposal. */
export interface RecheckHarness {
  store: Store;
  recheck: RecheckStore;
  cleanup(): Promise<void>;
}

const BASE = Date.UTC(2024, 2, 1, 8, 0);
const HOUR = 3_600_000;

function sample(sourceId: string, n: number, overrides: Partial<Article> = {}): Article {
  const key = `https://example.test/${sourceId}/${n}`;
  const id = articleId(sourceId, key);
  return {
    id,
    sourceId,
    key,
    url: key,
    canonicalUrl: key,
    title: `标题 ${n}`,
    bodyHtml: `<p>正文 ${n}</p>`,
    published: BASE + n * 60_000,
    dateMissing: false,
    firstSeen: BASE + n * 60_000,
    contentHash: `hash-${n}`,
    version: 1,
    path: `articles/${sourceId}/2024/03/01/${String(n).padStart(4, '0')}-${id}.md`,
    method: 'feed',
    authors: [],
    categories: [],
    lastSeen: BASE + n * 60_000,
    ...overrides,
  };
}

async function add(store: Store, articles: Article[]): Promise<void> {
  await store.applyChanges(
    articles.map((article) => ({ kind: 'new', article, raw: { articleId: article.id, version: 1, entryJson: '{}', fetchedFrom: 'https://example.test/feed' } })),
  );
  await store.markFilesWritten(await store.listPendingFiles());
}

function gone(article: Article, at: number, confirmedAt?: number): Removal {
  const removal: Removal = { articleId: article.id, sourceId: article.sourceId, firstGoneAt: at, evidence: [{ at, status: 404, finalUrl: article.url, rule: 'http-404' }] };
  if (confirmedAt !== undefined) {
    removal.confirmedAt = confirmedAt;
    removal.evidence.push({ at: confirmedAt, status: 410, finalUrl: article.url, rule: 'http-410' });
  }
  return removal;
}

function stateOf(article: Article, fields: Partial<RecheckState>): RecheckState {
  return { articleId: article.id, sourceId: article.sourceId, goneChecks: 0, ...fields };
}

/** runRecheckContract registers the suite under `name`, opening a fresh harness per test with `open`. */
export function runRecheckContract(name: string, open: () => Promise<RecheckHarness>): void {
  describe(`RecheckStore contract: ${name}`, () => {
    let h: RecheckHarness;
    beforeEach(async () => {
      h = await open();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('RC-01 an article never re-checked is due at first sight plus the first step, not before; of the sources asked', async () => {
      const a = sample('rfi', 1);
      const b = sample('bbc', 2);
      await add(h.store, [a, b]);
      assert.deepEqual(await h.recheck.listDue({ now: a.firstSeen + HOUR - 1, firstCheckAfterMs: HOUR, lastCheckAfterMs: 1000 * HOUR, limit: 10 }), []);
      const due = await h.recheck.listDue({ now: b.firstSeen + HOUR, firstCheckAfterMs: HOUR, lastCheckAfterMs: 1000 * HOUR, limit: 10 });
      assert.deepEqual(due, [
        { articleId: a.id, sourceId: 'rfi', firstSeen: a.firstSeen },
        { articleId: b.id, sourceId: 'bbc', firstSeen: b.firstSeen },
      ]);
      assert.deepEqual(
        (await h.recheck.listDue({ now: b.firstSeen + HOUR, firstCheckAfterMs: HOUR, lastCheckAfterMs: 1000 * HOUR, sourceIds: ['bbc'], limit: 10 })).map((t) => t.articleId),
        [b.id],
      );
      assert.equal((await h.recheck.listDue({ now: b.firstSeen + HOUR, firstCheckAfterMs: HOUR, lastCheckAfterMs: 1000 * HOUR, limit: 1 })).length, 1);
      assert.deepEqual(
        (await h.recheck.listDue({ now: a.firstSeen + 30 * HOUR, firstCheckAfterMs: HOUR, lastCheckAfterMs: 30 * HOUR, limit: 10 })).map((t) => t.articleId),
        [b.id],
      );
    });

    it('RC-02 a saved state round-trips; its next check decides when it is due; a finished schedule is never due; notCheckedSince lists by last check', async () => {
      const a = sample('rfi', 1);
      const b = sample('rfi', 2);
      await add(h.store, [a, b]);
      const state = stateOf(a, {
        nextCheckAt: BASE + 6 * HOUR,
        lastCheckAt: BASE + HOUR,
        lastStatus: 200,
        lastOutcome: 'unchanged',
        etag: '"e1"',
        lastModified: 'Fri, 01 Mar 2024 09:00:00 GMT',
        pageHash: 'p1',
        earlyFor: BASE,
      });
      await h.recheck.saveCheck({ state, markFile: false });
      await h.recheck.saveCheck({ state: stateOf(b, { lastCheckAt: BASE + 2 * HOUR, lastOutcome: 'unreachable' }), markFile: false });
      assert.deepEqual(await h.recheck.listDue({ now: BASE + 6 * HOUR - 1, firstCheckAfterMs: HOUR, lastCheckAfterMs: 1000 * HOUR, limit: 10 }), []);
      const [due] = await h.recheck.listDue({ now: BASE + 6 * HOUR, firstCheckAfterMs: HOUR, lastCheckAfterMs: 1000 * HOUR, limit: 10 });
      assert.deepEqual(due, { articleId: a.id, sourceId: 'rfi', firstSeen: a.firstSeen, state });
      const since = await h.recheck.listDue({ now: BASE, firstCheckAfterMs: HOUR, lastCheckAfterMs: 1000 * HOUR, notCheckedSince: BASE + 2 * HOUR, limit: 10 });
      assert.deepEqual(since.map((t) => t.articleId), [a.id]);
      assert.equal((await h.recheck.listDue({ now: BASE, firstCheckAfterMs: HOUR, lastCheckAfterMs: 1000 * HOUR, notCheckedSince: BASE + 3 * HOUR, limit: 10 })).length, 2);
    });

    it('RC-03 a removal is standing once confirmed: listed newest first with its article, counted, and its file marked pending', async () => {
      const a = sample('rfi', 1);
      const b = sample('rfi', 2);
      const c = sample('bbc', 3);
      await add(h.store, [a, b, c]);
      await h.recheck.saveCheck({ state: stateOf(a, { goneChecks: 1 }), removal: gone(a, BASE + HOUR), markFile: false });
      assert.deepEqual(await h.store.listPendingFiles(), []);
      assert.equal((await h.recheck.getRemovals([a.id])).size, 0);
      const [target] = await h.recheck.listDue({ now: BASE, firstCheckAfterMs: HOUR, lastCheckAfterMs: 1000 * HOUR, notCheckedSince: BASE + 10 * HOUR, limit: 1 });
      assert.deepEqual(target?.removal, gone(a, BASE + HOUR));

      await h.recheck.saveCheck({ state: stateOf(a, { goneChecks: 2 }), removal: gone(a, BASE + HOUR, BASE + 7 * HOUR), markFile: true });
      await h.recheck.saveCheck({ state: stateOf(c, { goneChecks: 2 }), removal: gone(c, BASE + 2 * HOUR, BASE + 9 * HOUR), markFile: true });
      assert.deepEqual((await h.store.listPendingFiles()).map((file) => file.id).sort(), [a.id, c.id].sort());
      assert.deepEqual(await h.recheck.getRemovals([a.id, b.id]), new Map([[a.id, gone(a, BASE + HOUR, BASE + 7 * HOUR)]]));
      const removed = await h.recheck.listRemoved({ limit: 10 });
      assert.deepEqual(removed.map((r) => [r.articleId, r.confirmedAt, r.title, r.path]), [
        [c.id, BASE + 9 * HOUR, c.title, c.path],
        [a.id, BASE + 7 * HOUR, a.title, a.path],
      ]);
      assert.deepEqual((await h.recheck.listRemoved({ limit: 10, before: { confirmedAt: BASE + 9 * HOUR, articleId: c.id } })).map((r) => r.articleId), [a.id]);
      assert.deepEqual((await h.recheck.listRemoved({ limit: 10, sourceIds: ['rfi'] })).map((r) => r.articleId), [a.id]);
      assert.deepEqual(await h.recheck.countRemoved(), new Map([['bbc', 1], ['rfi', 1]]));
    });

    it('RC-04 a withdrawn removal stops standing and stays in the history; a later one is a new episode', async () => {
      const a = sample('rfi', 1);
      await add(h.store, [a]);
      const first = gone(a, BASE + HOUR, BASE + 7 * HOUR);
      await h.recheck.saveCheck({ state: stateOf(a, { goneChecks: 2 }), removal: first, markFile: true });
      const withdrawn = { ...first, withdrawnAt: BASE + 30 * HOUR };
      await h.recheck.saveCheck({ state: stateOf(a, { lastOutcome: 'unchanged' }), removal: withdrawn, markFile: true });
      assert.equal((await h.recheck.getRemovals([a.id])).size, 0);
      assert.deepEqual(await h.recheck.listRemoved({ limit: 10 }), []);
      assert.deepEqual(await h.recheck.countRemoved(), new Map());
      const again = gone(a, BASE + 40 * HOUR);
      await h.recheck.saveCheck({ state: stateOf(a, { goneChecks: 1 }), removal: again, markFile: false });
      assert.deepEqual(await h.recheck.listRemovalHistory(a.id), [withdrawn, again]);
    });

    it('RC-05 an early request makes an article due sooner, never later', async () => {
      const a = sample('rfi', 1);
      const b = sample('rfi', 2);
      await add(h.store, [a, b]);
      await h.recheck.saveCheck({ state: stateOf(b, { nextCheckAt: BASE + 2 * HOUR }), markFile: false });
      await h.recheck.requestEarly([
        { articleId: a.id, sourceId: 'rfi', at: BASE + 10, earlyFor: a.lastSeen },
        { articleId: b.id, sourceId: 'rfi', at: BASE + 5 * HOUR, earlyFor: b.lastSeen },
      ]);
      const due = await h.recheck.listDue({ now: BASE + 2 * HOUR, firstCheckAfterMs: 100 * HOUR, lastCheckAfterMs: 1000 * HOUR, limit: 10 });
      assert.deepEqual(due.map((t) => [t.articleId, t.state?.nextCheckAt, t.state?.earlyFor]), [
        [a.id, BASE + 10, a.lastSeen],
        [b.id, BASE + 2 * HOUR, b.lastSeen],
      ]);
    });

    it('RC-06 presence lists what the last sync saw, latest first, up to that sync', async () => {
      const a = sample('rfi', 1, { lastSeen: BASE + 5 * HOUR });
      const b = sample('rfi', 2, { lastSeen: BASE + 3 * HOUR });
      const c = sample('rfi', 3, { lastSeen: BASE + 9 * HOUR });
      await add(h.store, [a, b, c]);
      assert.deepEqual(await h.recheck.listPresence('rfi', 10), { articles: [] });
      await h.store.saveSourceState({ sourceId: 'rfi', consecutiveFailures: 0, lastSuccessAt: BASE + 5 * HOUR });
      await h.recheck.requestEarly([{ articleId: b.id, sourceId: 'rfi', at: BASE, earlyFor: b.lastSeen }]);
      assert.deepEqual(await h.recheck.listPresence('rfi', 10), {
        lastSyncAt: BASE + 5 * HOUR,
        articles: [
          { articleId: a.id, published: a.published, lastSeen: a.lastSeen },
          { articleId: b.id, published: b.published, lastSeen: b.lastSeen, earlyFor: b.lastSeen },
        ],
      });
    });

    it('RC-07 clearing the articles clears their re-check state and removals', async () => {
      const a = sample('rfi', 1);
      await add(h.store, [a]);
      await h.recheck.saveCheck({ state: stateOf(a, { goneChecks: 2, nextCheckAt: BASE }), removal: gone(a, BASE, BASE + 7 * HOUR), markFile: false });
      await h.store.clearArticles();
      await add(h.store, [a]);
      assert.deepEqual(await h.recheck.listRemovalHistory(a.id), []);
      assert.deepEqual(await h.recheck.listDue({ now: BASE, firstCheckAfterMs: HOUR, lastCheckAfterMs: 1000 * HOUR, limit: 10 }), []);
    });
  });
}
