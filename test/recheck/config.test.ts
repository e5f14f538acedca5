import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/config/index.js';
import { recheckPolicyOf } from '../../src/main/recheck.js';

const HOUR = 3_600_000;

describe('config: recheck', () => {
  it('RCFG-01 defaults, and per-source overrides of the schedule and the confirmation time', () => {
    const result = parseConfig('recheck:\n  sources:\n    cdt: { schedule: [30m, 2h], confirmHours: 12 }\n');
    assert.ok(result.ok);
    const policyOf = recheckPolicyOf(result.config);
    assert.deepEqual(policyOf('rfi').stepsMs, [1, 6, 24, 72, 168, 720].map((hours) => hours * HOUR));
    assert.equal(policyOf('rfi').confirmMs, 6 * HOUR);
    assert.deepEqual(policyOf('cdt').stepsMs, [0.5 * HOUR, 2 * HOUR]);
    assert.equal(policyOf('cdt').confirmMs, 12 * HOUR);
  });

  it('RCFG-02 a malformed or shrinking schedule is refused with every error at once', () => {
    const result = parseConfig('recheck:\n  schedule: [6h, 1h, 2x]\n');
    assert.ok(!result.ok);
    assert.deepEqual(result.errors, ['recheck.schedule[2]: not a duration: a number and m, h or d (e.g. 6h, 3d)', 'recheck.schedule: steps must grow: each later than the one before']);
  });
});
