import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { mapLimit, writeWindow } from './concurrency.js';

describe('mapLimit', () => {
  it('ML-01 keeps the order of results and never has more than `limit` tasks in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapLimit([5, 1, 4, 2, 3], 2, async (item, index) => {
      inFlight++;
      most = Math.max(most, inFlight);
      // Yield a few turns, more for larger items, so that tasks finish out of order.
      for (let turn = 0; turn < item; turn++) await Promise.resolve();
      inFlight--;
      return `${index}:${item}`;
    });
    assert.deepEqual(results, ['0:5', '1:1', '2:4', '3:2', '4:3']);
    assert.equal(most, 2);
  });

  it('ML-02 runs every item even with a limit below one, and nothing for no items', async () => {
    assert.deepEqual(await mapLimit([1, 2], 0, async (item) => item * 2), [2, 4]);
    assert.deepEqual(await mapLimit([], 3, async () => 1), []);
  });

  it('ML-03 rejects with the first failure', async () => {
    await assert.rejects(
      mapLimit([1, 2, 3], 3, async (item) => {
        if (item === 2) throw new Error('two');
        return item;
      }),
      /two/,
    );
  });
});

describe('writeWindow', () => {
  it('WW-01 never has more than `limit` writes in flight, and drain waits for every one', async () => {
    const writes = writeWindow(3);
    let running = 0;
    let most = 0;
    const done: number[] = [];
    for (let n = 0; n < 10; n++) {
      await writes.add(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 1 + (n % 3)));
        running--;
        done.push(n);
      });
    }
    await writes.drain();
    assert.equal(most, 3);
    assert.deepEqual([...done].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('WW-02 a failed write is thrown by the next add, and by drain once the others have ended', async () => {
    const writes = writeWindow(4);
    let ended = 0;
    await writes.add(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      ended++;
    });
    await writes.add(async () => {
      throw new Error('disk full');
    });
    await assert.rejects(writes.add(async () => undefined), /disk full/);
    await assert.rejects(writes.drain(), /disk full/);
    assert.equal(ended, 1);
  });
});
