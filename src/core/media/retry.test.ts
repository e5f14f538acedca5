import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { planMediaRetry } from './retry.js';

const HOUR = 60 * 60 * 1000;

describe('planMediaRetry', () => {
  it('MT-01 backs off fourfold from one hour up to a week, then gives up', () => {
    assert.equal(planMediaRetry(1, 'http-status', 0), HOUR);
    assert.equal(planMediaRetry(2, 'timeout', 0), 4 * HOUR);
    assert.equal(planMediaRetry(3, 'timeout', 0), 16 * HOUR);
    assert.equal(planMediaRetry(7, 'timeout', 0), 7 * 24 * HOUR);
    assert.equal(planMediaRetry(8, 'timeout', 0), undefined);
  });

  it('MT-02 never retries what the same bytes would repeat', () => {
    for (const code of ['unsupported-media', 'too-large', 'private-address', 'bad-url']) assert.equal(planMediaRetry(1, code, 0), undefined);
  });

  it('MT-03 follows a custom policy', () => {
    assert.equal(planMediaRetry(2, 'network', 100, { firstDelayMs: 10, maxDelayMs: 30, maxAttempts: 3 }), 130);
    assert.equal(planMediaRetry(3, 'network', 100, { firstDelayMs: 10, maxDelayMs: 30, maxAttempts: 3 }), undefined);
  });
});
