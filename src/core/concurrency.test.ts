import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { mapLimit } from './concurrency.js';

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
