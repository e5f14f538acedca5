/**
 * The behaviour every SourceLeases must have (SQLite and PostgreSQL), as one node:test suite. Each
 * test gets a fresh store and `open` lease instances on it, one per simulated worker process.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { LeaseClaim, SourceLeases, Store, WorkClaim, WorkLeases } from '../../../core/ports.js';

/** LeaseHarness is a fresh store, a way to open leases over it (one per worker) and its disposal. */
export interface LeaseHarness {
  store: Store;
  openLeases(): Promise<SourceLeases>;
  /** Per-item work leases over the same store (one per worker). */
  openWorkLeases(): Promise<WorkLeases>;
  cleanup(): Promise<void>;
}

const NOW = Date.UTC(2026, 11, 7, 8, 0);
const MINUTE = 60_000;
// An expired lease without waiting: leases run on the database's clock, not on the test's.
const EXPIRED = -MINUTE;

function request(owner: string, sourceIds: string[], overrides: Partial<LeaseClaim> = {}): LeaseClaim {
  return { owner, sourceIds, dueAt: NOW, limit: 100, leaseMs: 5 * MINUTE, ...overrides };
}

function work(owner: string, keys: string[], overrides: Partial<WorkClaim> = {}): WorkClaim {
  return { kind: 'recheck', owner, keys, leaseMs: 5 * MINUTE, ...overrides };
}

/**
 * runLeaseContract runs the lease suite against one engine.
 *
 * @example
 * runLeaseContract('sqlite', async () => ({ store, openLeases: async () => openSqliteLeases(file), cleanup }));
 */
export function runLeaseContract(name: string, open: () => Promise<LeaseHarness>): void {
  describe(`Lease contract: ${name}`, () => {
    let harness: LeaseHarness;
    let leases: SourceLeases;
    const opened: { close(): Promise<void> }[] = [];

    beforeEach(async () => {
      harness = await open();
      leases = await harness.openLeases();
      opened.push(leases);
    });

    afterEach(async () => {
      for (const each of opened.splice(0)) await each.close();
      await harness.cleanup();
    });

    it('LS-01 a claim creates the missing state rows and leases the due sources, soonest first, up to its limit', async () => {
      await harness.store.saveSourceState({ sourceId: 'later', consecutiveFailures: 0, nextCheckAt: NOW + MINUTE });
      await harness.store.saveSourceState({ sourceId: 'soon', consecutiveFailures: 0, nextCheckAt: NOW - MINUTE });
      const ids = ['a', 'b', 'later', 'soon'];
      const first = await leases.claim(request('w1', ids, { limit: 2 }));
      assert.deepEqual(first, { claimed: ['a', 'b'], busy: 0 }, 'never-checked sources (next check 0) come first');
      assert.deepEqual((await harness.store.listSourceStates()).map((state) => state.sourceId), ['a', 'b', 'later', 'soon']);
      assert.deepEqual(await harness.store.readSourceState('a'), { state: { sourceId: 'a', consecutiveFailures: 0 }, version: 0 });
      const second = await leases.claim(request('w2', ids));
      assert.deepEqual(second, { claimed: ['soon'], busy: 2 }, 'a live lease is skipped and counted busy; a source not due is left');
      assert.deepEqual(await leases.claim(request('w1', ids)), { claimed: [], busy: 1 }, 'an owner does not count its own leases as busy');
    });

    it('LS-02 an expired lease is claimed by another worker; renew keeps only what is still held; release frees', async () => {
      const ids = ['a', 'b'];
      assert.deepEqual((await leases.claim(request('dead', ['a'], { leaseMs: EXPIRED }))).claimed, ['a']);
      assert.deepEqual((await leases.claim(request('w1', ids))).claimed, ['a', 'b'], 'the dead worker lease expired');
      assert.deepEqual(await leases.renew('dead', ['a'], 5 * MINUTE), [], 'the dead worker no longer holds it');
      assert.deepEqual(await leases.renew('w1', ids, 5 * MINUTE), ['a', 'b']);
      await leases.release('w2', ids);
      assert.deepEqual(await leases.claim(request('w2', ids)), { claimed: [], busy: 2 }, 'another owner cannot release them');
      await leases.release('w1', ['a']);
      assert.deepEqual(await leases.claim(request('w2', ids)), { claimed: ['a'], busy: 1 });
    });

    it('LS-03 with notClaimedSince every source not claimed since then is due, once, whatever its next check', async () => {
      await harness.store.saveSourceState({ sourceId: 'later', consecutiveFailures: 0, nextCheckAt: NOW + 60 * MINUTE });
      const since = await leases.now();
      const ids = ['a', 'later'];
      assert.deepEqual((await leases.claim(request('w1', ids, { notClaimedSince: since }))).claimed, ['a', 'later']);
      await leases.release('w1', ids);
      assert.deepEqual(await leases.claim(request('w2', ids, { notClaimedSince: since })), { claimed: [], busy: 0 });
    });

    it('LS-08 a claim first ends its owner\'s leases on `release`, and neither claims nor counts those sources', async () => {
      const ids = ['a', 'b', 'c'];
      assert.deepEqual((await leases.claim(request('w1', ids, { limit: 2 }))).claimed, ['a', 'b']);
      assert.deepEqual(await leases.claim(request('w2', ids, { release: ['a'] })), { claimed: ['c'], busy: 1 }, "w1's lease is not w2's to end");
      assert.deepEqual(await leases.renew('w1', ids, 5 * MINUTE), ['a', 'b']);
      assert.deepEqual(await leases.claim(request('w1', ids, { release: ['a'] })), { claimed: [], busy: 1 }, 'released, not claimed again');
      assert.deepEqual(await leases.renew('w1', ids, 5 * MINUTE), ['b']);
      assert.deepEqual(await leases.claim(request('w3', ids)), { claimed: ['a'], busy: 2 }, 'a released source is free for the others');
    });

    it('LS-09 source ids with quotes, backslashes, commas and braces are claimed as they are', async () => {
      const ids = ['a"b', 'c\\d', 'e,f', '{g}', 'h i'];
      assert.deepEqual((await leases.claim(request('w1', ids))).claimed, [...ids].sort());
      assert.deepEqual(await leases.claim(request('w2', ids)), { claimed: [], busy: 5 });
    });

    it('LS-04 workers claiming at once never get the same source', async () => {
      const ids = Array.from({ length: 60 }, (_, n) => `s${String(n).padStart(2, '0')}`);
      const workers = [leases, ...(await Promise.all([1, 2, 3].map(() => harness.openLeases())))];
      opened.push(...workers.slice(1));
      const claimed: string[] = [];
      await Promise.all(
        workers.map(async (worker, n) => {
          for (;;) {
            const result = await worker.claim(request(`w${n}`, ids, { limit: 3 }));
            if (result.claimed.length === 0) return;
            claimed.push(...result.claimed);
          }
        }),
      );
      assert.deepEqual(claimed.sort(), ids);
    });

    describe('work leases (re-checks, images)', () => {
      let items: WorkLeases;
      beforeEach(async () => {
        items = await harness.openWorkLeases();
        opened.push(items);
      });

      it('LS-05 an item is leased by one owner at a time; its own claim extends it; release and expiry free it; kinds are apart', async () => {
        assert.deepEqual(await items.claim(work('w1', ['b', 'a'])), ['a', 'b']);
        assert.deepEqual(await items.claim(work('w2', ['a', 'b', 'c'])), ['c'], 'live leases of another owner are skipped');
        assert.deepEqual(await items.claim(work('w1', ['a'])), ['a'], 'an owner extends its own lease');
        assert.deepEqual(await items.claim(work('w2', ['a'], { kind: 'images' })), ['a'], 'a re-check lease does not hold the images');
        await items.release('recheck', 'w2', ['a']);
        assert.deepEqual(await items.claim(work('w3', ['a'])), [], 'another owner cannot release it');
        await items.release('recheck', 'w1', ['a']);
        assert.deepEqual(await items.claim(work('w3', ['a'])), ['a']);
        assert.deepEqual(await items.claim(work('dead', ['d'], { leaseMs: EXPIRED })), ['d']);
        assert.deepEqual(await items.claim(work('w1', ['d'])), ['d'], 'an expired lease is taken over');
        assert.deepEqual(await items.claim(work('w1', [])), []);
      });

      it('LS-06 with notClaimedSince an item another owner claimed or released since then is refused', async () => {
        assert.deepEqual(await items.claim(work('w1', ['old', 'late'])), ['late', 'old']);
        await items.release('recheck', 'w1', ['old']);
        // Claims and releases are stamped in ms: `since` comes strictly after the first ones.
        await new Promise((resolve) => setTimeout(resolve, 5));
        const since = await items.now();
        assert.deepEqual(await items.claim(work('w1', ['done'])), ['done']);
        await items.release('recheck', 'w1', ['done', 'late']);
        assert.deepEqual(
          await items.claim(work('w2', ['old', 'done', 'late', 'new'], { notClaimedSince: since })),
          ['new', 'old'],
          'done was claimed, and late still held, after w2 listed them',
        );
        assert.deepEqual(await items.claim(work('w3', ['done'])), ['done'], 'without notClaimedSince a released item is free');
      });

      it('LS-07 workers claiming one list of items at once, one by one, never get the same item', async () => {
        const keys = Array.from({ length: 40 }, (_, n) => `a${String(n).padStart(2, '0')}`);
        const workers = [items, ...(await Promise.all([1, 2, 3].map(() => harness.openWorkLeases())))];
        opened.push(...workers.slice(1));
        const claimed: string[] = [];
        await Promise.all(
          workers.map(async (worker, n) => {
            for (const key of keys) claimed.push(...(await worker.claim(work(`w${n}`, [key]))));
          }),
        );
        assert.deepEqual(claimed.sort(), keys);
      });
    });
  });
}
