import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { backoffDelay, parseRetryAfter } from './retry.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-03-01T12:00:00Z');
  it('RA-01 reads delay-seconds', () => assert.equal(parseRetryAfter('120', now), 120_000));
  it('RA-02 reads an HTTP date relative to now', () =>
    assert.equal(parseRetryAfter('Fri, 01 Mar 2024 12:00:30 GMT', now), 30_000));
  it('RA-03 a past date means retry now', () => assert.equal(parseRetryAfter('Fri, 01 Mar 2024 11:00:00 GMT', now), 0));
  it('RA-04 ignores unreadable values', () => {
    assert.equal(parseRetryAfter(undefined, now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter('-5', now), undefined);
  });
});

describe('backoffDelay', () => {
  it('RA-05 doubles per attempt, stays within [ceiling/2, ceiling] and under the maximum', () => {
    const low = { baseMs: 1000, maxMs: 5000, random: () => 0 };
    const high = { baseMs: 1000, maxMs: 5000, random: () => 0.999999 };
    assert.deepEqual([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, low)), [500, 1000, 2000, 2500]);
    assert.deepEqual([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, high)), [1000, 2000, 4000, 5000]);
  });
});
