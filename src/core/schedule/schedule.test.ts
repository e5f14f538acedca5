import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  DEFAULT_MAX_INTERVAL_MS,
  DEFAULT_MIN_INTERVAL_MS,
  MAX_SERVER_HINT_MS,
  STALE_FLOOR_MS,
  formatDuration,
  isStale,
  medianPublishGap,
  parseCacheControlMaxAge,
  parseRetryAfter,
  planNextCheck,
  staleThresholdMs,
} from './index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);

/** Publish times every `gap` ms ending `ago` ms before NOW. */
function cadence(count: number, gap: number, ago = 0): number[] {
  return Array.from({ length: count }, (_, i) => NOW - ago - i * gap);
}

describe('parseCacheControlMaxAge', () => {
  it('SC-CC01 reads max-age among other directives', () => {
    assert.equal(parseCacheControlMaxAge('public, max-age=600, must-revalidate'), 600);
  });
  it('SC-CC02 is case-insensitive and accepts a quoted value', () => {
    assert.equal(parseCacheControlMaxAge('Max-Age="120"'), 120);
  });
  it('SC-CC03 gives undefined without max-age, for s-maxage only, and for garbage', () => {
    assert.equal(parseCacheControlMaxAge(undefined), undefined);
    assert.equal(parseCacheControlMaxAge('no-cache'), undefined);
    assert.equal(parseCacheControlMaxAge('s-maxage=300'), undefined);
    assert.equal(parseCacheControlMaxAge('max-age=-5'), undefined);
    assert.equal(parseCacheControlMaxAge('max-age=ten'), undefined);
  });
  it('SC-CC04 takes the smallest of repeated max-age values', () => {
    assert.equal(parseCacheControlMaxAge('max-age=900, max-age=60'), 60);
  });
  it('SC-CC05 clamps huge values to 2^31 seconds', () => {
    assert.equal(parseCacheControlMaxAge('max-age=99999999999999999999'), 2 ** 31);
  });
});

describe('parseRetryAfter', () => {
  it('SC-RA01 reads delta-seconds as ms', () => {
    assert.equal(parseRetryAfter('120', NOW), 120_000);
    assert.equal(parseRetryAfter(' 0 ', NOW), 0);
  });
  it('SC-RA02 reads an IMF-fixdate relative to now', () => {
    assert.equal(parseRetryAfter('Fri, 27 Nov 2026 12:05:00 GMT', NOW), 5 * MIN);
  });
  it('SC-RA03 reads the obsolete RFC 850 and asctime forms as UTC', () => {
    assert.equal(parseRetryAfter('Friday, 27-Nov-26 13:00:00 GMT', NOW), HOUR);
    assert.equal(parseRetryAfter('Fri Nov 27 12:00:30 2026', NOW), 30_000);
  });
  it('SC-RA04 gives 0 for a date in the past', () => {
    assert.equal(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', NOW), 0);
  });
  it('SC-RA05 rejects garbage, negative numbers and impossible dates', () => {
    assert.equal(parseRetryAfter('soon', NOW), undefined);
    assert.equal(parseRetryAfter('-5', NOW), undefined);
    assert.equal(parseRetryAfter('1.5', NOW), undefined);
    assert.equal(parseRetryAfter('Tue, 31 Feb 2026 10:00:00 GMT', NOW), undefined);
    assert.equal(parseRetryAfter('Fri, 27 Nov 2026 25:00:00 GMT', NOW), undefined);
  });
});

describe('medianPublishGap', () => {
  it('SC-MG01 needs three distinct past times', () => {
    assert.equal(medianPublishGap([NOW, NOW - HOUR], NOW), undefined);
    assert.equal(medianPublishGap([NOW, NOW, NOW - HOUR], NOW), undefined);
    assert.equal(medianPublishGap(cadence(3, HOUR), NOW), HOUR);
  });
  it('SC-MG02 takes the median, so one long night does not dominate', () => {
    const times = [NOW, NOW - 10 * MIN, NOW - 20 * MIN, NOW - 30 * MIN, NOW - 10 * HOUR];
    assert.equal(medianPublishGap(times, NOW), 10 * MIN);
  });
  it('SC-MG03 averages the two middle gaps of an even count and ignores future times', () => {
    const times = [NOW + DAY, NOW, NOW - 10 * MIN, NOW - 40 * MIN, NOW - 100 * MIN];
    assert.equal(medianPublishGap(times, NOW), 30 * MIN);
  });
});

describe('planNextCheck', () => {
  it('SC-PN01 defaults to hourly for a source with unknown rhythm', () => {
    const plan = planNextCheck({ now: NOW, consecutiveFailures: 0 });
    assert.equal(plan.nextCheckAt, NOW + HOUR);
    assert.match(plan.reason, /base interval/);
  });
  it('SC-PN02 polls at half the median gap of a busy source', () => {
    const plan = planNextCheck({ now: NOW, consecutiveFailures: 0, recentPublishTimes: cadence(10, 40 * MIN) });
    assert.equal(plan.nextCheckAt, NOW + 20 * MIN);
    assert.match(plan.reason, /usual gap 40m/);
  });
  it('SC-PN03 clamps the adaptive interval to min and max', () => {
    const busy = planNextCheck({ now: NOW, consecutiveFailures: 0, recentPublishTimes: cadence(10, MIN) });
    assert.equal(busy.nextCheckAt, NOW + DEFAULT_MIN_INTERVAL_MS);
    const weekly = planNextCheck({ now: NOW, consecutiveFailures: 0, recentPublishTimes: cadence(5, 7 * DAY) });
    assert.equal(weekly.nextCheckAt, NOW + DEFAULT_MAX_INTERVAL_MS);
    const custom = planNextCheck({
      now: NOW,
      consecutiveFailures: 0,
      minIntervalMs: 30 * MIN,
      maxIntervalMs: 2 * HOUR,
      recentPublishTimes: cadence(10, MIN),
    });
    assert.equal(custom.nextCheckAt, NOW + 30 * MIN);
  });
  it('SC-PN04 stretches the interval for a source quiet for many usual gaps', () => {
    const plan = planNextCheck({ now: NOW, consecutiveFailures: 0, recentPublishTimes: cadence(10, 30 * MIN, 16 * HOUR) });
    assert.equal(plan.nextCheckAt, NOW + 2 * HOUR);
    assert.match(plan.reason, /quiet for 16h/);
  });
  it('SC-PN05 lastNewItemAt counts as recent activity for the quiet rule', () => {
    const plan = planNextCheck({
      now: NOW,
      consecutiveFailures: 0,
      recentPublishTimes: cadence(10, 30 * MIN, 16 * HOUR),
      lastNewItemAt: NOW - 5 * MIN,
    });
    assert.equal(plan.nextCheckAt, NOW + 15 * MIN);
  });
  it('SC-PN06 backs off exponentially from the usual interval, capped at max', () => {
    const at = (failures: number) => planNextCheck({ now: NOW, consecutiveFailures: failures }).nextCheckAt - NOW;
    assert.equal(at(1), HOUR);
    assert.equal(at(2), 2 * HOUR);
    assert.equal(at(3), 4 * HOUR);
    assert.equal(at(5), 16 * HOUR);
    assert.equal(at(6), DAY);
    assert.equal(at(500), DAY);
    assert.match(planNextCheck({ now: NOW, consecutiveFailures: 3 }).reason, /backoff after 3 failures/);
  });
  it('SC-PN07 adds bounded jitter only when a random source is injected', () => {
    const plain = planNextCheck({ now: NOW, consecutiveFailures: 2 });
    const low = planNextCheck({ now: NOW, consecutiveFailures: 2, random: () => 0 });
    const high = planNextCheck({ now: NOW, consecutiveFailures: 2, random: () => 0.999 });
    assert.equal(low.nextCheckAt, plain.nextCheckAt);
    assert.ok(high.nextCheckAt > plain.nextCheckAt);
    assert.ok(high.nextCheckAt - NOW <= 2 * HOUR * 1.1);
    const success = planNextCheck({ now: NOW, consecutiveFailures: 0, random: () => 0.999 });
    assert.equal(success.nextCheckAt, NOW + HOUR);
  });
  it('SC-PN08 Retry-After is authoritative over backoff and hints, in both directions', () => {
    const sooner = planNextCheck({ now: NOW, consecutiveFailures: 5, retryAfterMs: 20 * MIN, ttlMinutes: 600 });
    assert.equal(sooner.nextCheckAt, NOW + 20 * MIN);
    assert.match(sooner.reason, /retry-after 20m/);
    const later = planNextCheck({ now: NOW, consecutiveFailures: 0, retryAfterMs: 3 * DAY });
    assert.equal(later.nextCheckAt, NOW + 3 * DAY);
  });
  it('SC-PN09 Retry-After is bounded by the minimum interval and the server-hint cap', () => {
    const zero = planNextCheck({ now: NOW, consecutiveFailures: 1, retryAfterMs: 0 });
    assert.equal(zero.nextCheckAt, NOW + DEFAULT_MIN_INTERVAL_MS);
    const year = planNextCheck({ now: NOW, consecutiveFailures: 1, retryAfterMs: 365 * DAY });
    assert.equal(year.nextCheckAt, NOW + MAX_SERVER_HINT_MS);
  });
  it('SC-PN10 Cache-Control max-age and RSS ttl are lower bounds, never upper ones', () => {
    const maxAge = planNextCheck({ now: NOW, consecutiveFailures: 0, cacheMaxAgeSeconds: 2 * 3600 });
    assert.equal(maxAge.nextCheckAt, NOW + 2 * HOUR);
    assert.match(maxAge.reason, /max-age/);
    const ttl = planNextCheck({ now: NOW, consecutiveFailures: 0, cacheMaxAgeSeconds: 60, ttlMinutes: 180 });
    assert.equal(ttl.nextCheckAt, NOW + 3 * HOUR);
    assert.match(ttl.reason, /ttl/);
    const short = planNextCheck({ now: NOW, consecutiveFailures: 0, cacheMaxAgeSeconds: 60, ttlMinutes: 5 });
    assert.equal(short.nextCheckAt, NOW + HOUR);
  });
  it('SC-PN11 server hints beat the maximum interval but are capped at a week', () => {
    const twoDays = planNextCheck({ now: NOW, consecutiveFailures: 0, ttlMinutes: 2 * 24 * 60 });
    assert.equal(twoDays.nextCheckAt, NOW + 2 * DAY);
    const absurd = planNextCheck({ now: NOW, consecutiveFailures: 0, ttlMinutes: 99_999_999 });
    assert.equal(absurd.nextCheckAt, NOW + MAX_SERVER_HINT_MS);
  });
  it('SC-PN12 ignores unusable numbers instead of producing NaN', () => {
    const plan = planNextCheck({
      now: NOW,
      baseIntervalMs: Number.NaN,
      minIntervalMs: -1,
      consecutiveFailures: Number.NaN,
      retryAfterMs: Number.NaN,
      cacheMaxAgeSeconds: -10,
      ttlMinutes: Number.POSITIVE_INFINITY,
    });
    assert.equal(plan.nextCheckAt, NOW + HOUR);
  });
  it('SC-PN13 a custom base interval is used when the rhythm is unknown', () => {
    assert.equal(planNextCheck({ now: NOW, consecutiveFailures: 0, baseIntervalMs: 3 * HOUR }).nextCheckAt, NOW + 3 * HOUR);
  });
});

describe('isStale', () => {
  it('SC-ST01 flags a source answering 200 with items older than 48 h', () => {
    assert.equal(isStale({ now: NOW, lastSuccessAt: NOW - MIN, newestItemAt: NOW - 3 * DAY }), true);
  });
  it('SC-ST02 does not flag a fresh source or one inside the floor', () => {
    assert.equal(isStale({ now: NOW, lastSuccessAt: NOW - MIN, newestItemAt: NOW - HOUR }), false);
    assert.equal(isStale({ now: NOW, lastSuccessAt: NOW - MIN, newestItemAt: NOW - 47 * HOUR }), false);
  });
  it('SC-ST03 waits ten usual gaps for a slow source', () => {
    const weekly = cadence(5, 7 * DAY, 20 * DAY);
    assert.equal(staleThresholdMs(weekly, NOW), 70 * DAY);
    assert.equal(isStale({ now: NOW, lastSuccessAt: NOW - MIN, recentPublishTimes: weekly }), false);
    const daily = cadence(5, DAY, 11 * DAY);
    assert.equal(isStale({ now: NOW, lastSuccessAt: NOW - MIN, recentPublishTimes: daily }), true);
  });
  it('SC-ST04 a failing source (no recent success) is not also stale', () => {
    assert.equal(isStale({ now: NOW, newestItemAt: NOW - 10 * DAY }), false);
    assert.equal(isStale({ now: NOW, lastSuccessAt: NOW - 9 * DAY, newestItemAt: NOW - 10 * DAY }), false);
  });
  it('SC-ST05 a source without dated items cannot be judged', () => {
    assert.equal(isStale({ now: NOW, lastSuccessAt: NOW }), false);
    assert.equal(staleThresholdMs(undefined, NOW), STALE_FLOOR_MS);
  });
});

describe('formatDuration', () => {
  it('SC-FD01 renders short human durations', () => {
    assert.deepEqual(
      [45_000, 30 * MIN, 2 * HOUR + 30 * MIN, 2 * HOUR, 3 * DAY].map(formatDuration),
      ['45s', '30m', '2h30m', '2h', '3d'],
    );
  });
});

describe('planNextCheck invariants', () => {
  const optionalNumber = fc.option(fc.oneof(fc.double({ noNaN: false }), fc.integer({ min: 0, max: 10 * DAY })), { nil: undefined });
  const input = fc.record({
    baseIntervalMs: optionalNumber,
    minIntervalMs: optionalNumber,
    maxIntervalMs: optionalNumber,
    consecutiveFailures: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double()),
    retryAfterMs: optionalNumber,
    cacheMaxAgeSeconds: optionalNumber,
    ttlMinutes: optionalNumber,
    recentPublishTimes: fc.option(fc.array(fc.integer({ min: NOW - 30 * DAY, max: NOW + DAY }), { maxLength: 30 }), { nil: undefined }),
    lastNewItemAt: fc.option(fc.integer({ min: NOW - 30 * DAY, max: NOW }), { nil: undefined }),
  });

  it('SC-PI01 the next check is finite, never sooner than the minimum interval, never later than max(a week, the maximum interval)', () => {
    fc.assert(
      fc.property(input, (fields) => {
        const plan = planNextCheck({ now: NOW, ...fields });
        const delay = plan.nextCheckAt - NOW;
        const usable = (value: number | undefined) => (value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined);
        const min = usable(fields.minIntervalMs) ?? DEFAULT_MIN_INTERVAL_MS;
        const max = Math.max(min, usable(fields.maxIntervalMs) ?? DEFAULT_MAX_INTERVAL_MS);
        assert.ok(Number.isFinite(plan.nextCheckAt), `finite: ${plan.reason}`);
        // Compared as instants, not as `nextCheckAt - NOW`: with intervals near 2^62 ms the subtraction
        // rounds, while adding to NOW rounds the same way on both sides (addition is monotonic).
        assert.ok(plan.nextCheckAt >= NOW + min, `not sooner than min: ${delay} ${plan.reason}`);
        assert.ok(plan.nextCheckAt <= NOW + Math.ceil(Math.max(MAX_SERVER_HINT_MS, max)), `bounded: ${delay} ${plan.reason}`);
        assert.ok(plan.reason.length > 0);
      }),
      { numRuns: 500 },
    );
  });

  it('SC-PI02 without Retry-After, a server hint is always honoured as a lower bound', () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 0, max: 3 * 24 * 3600 }), (fields, maxAge) => {
        const plan = planNextCheck({ now: NOW, ...fields, retryAfterMs: undefined, cacheMaxAgeSeconds: maxAge });
        assert.ok(plan.nextCheckAt - NOW >= maxAge * 1000);
      }),
    );
  });
});
