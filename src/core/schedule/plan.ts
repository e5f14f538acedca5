import { medianPublishGap, newestTime } from './cadence.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** DEFAULT_BASE_INTERVAL_MS is the check interval of a source whose rhythm is unknown: hourly. */
export const DEFAULT_BASE_INTERVAL_MS = HOUR;
/** DEFAULT_MIN_INTERVAL_MS is the fastest we ever poll one feed, whatever it publishes. */
export const DEFAULT_MIN_INTERVAL_MS = 10 * MINUTE;
/** DEFAULT_MAX_INTERVAL_MS is the slowest adaptive or backoff interval: a source is checked at least daily. */
export const DEFAULT_MAX_INTERVAL_MS = DAY;
/**
 * MAX_SERVER_HINT_MS caps what the server can ask for (Retry-After, max-age, ttl): a misconfigured
 * `ttl` of 99999 or a hostile Retry-After must not silence a source for months.
 */
export const MAX_SERVER_HINT_MS = 7 * DAY;
/**
 * QUIET_FACTOR: once a source has been silent for longer than this many usual gaps, its silence
 * rather than its history sets the pace (night, weekend, a paused desk).
 */
const QUIET_FACTOR = 4;
/** JITTER_RATIO is the largest share added to a backoff delay when a random source is injected. */
const JITTER_RATIO = 0.1;

/** PlanNextCheckInput is everything the scheduler knows about a source after a check. */
export interface PlanNextCheckInput {
  now: number;
  /** Interval when the source's rhythm is unknown (default hourly). */
  baseIntervalMs?: number;
  /** Fastest allowed polling (default 10 min). */
  minIntervalMs?: number;
  /** Slowest adaptive or backoff interval (default 24 h). */
  maxIntervalMs?: number;
  /** Failures in a row, 0 after a success. */
  consecutiveFailures: number;
  /** The server's Retry-After, in ms from `now` (see parseRetryAfter). */
  retryAfterMs?: number;
  /** Cache-Control max-age of the last response (see parseCacheControlMaxAge). */
  cacheMaxAgeSeconds?: number;
  /** RSS `<ttl>` of the last feed, in minutes. */
  ttlMinutes?: number;
  /** Publish times (epoch ms) of the source's recent items, any order. */
  recentPublishTimes?: number[];
  /** When an item new to us was last seen. */
  lastNewItemAt?: number;
  /** Random source in [0, 1) for backoff jitter; without it the plan is fully deterministic. */
  random?: () => number;
}

/** NextCheckPlan is when to check a source again, and a short reason for logs and STATUS.md. */
export interface NextCheckPlan {
  nextCheckAt: number;
  reason: string;
}

/**
 * planNextCheck decides when a source is checked next. Pure: the caller passes `now`.
 *
 * Policy, in order:
 * 1. Retry-After is authoritative: it replaces every other rule, bounded only by the minimum
 *    interval (a `Retry-After: 0` must not become a tight loop) and MAX_SERVER_HINT_MS.
 * 2. The usual interval: half the median gap between recent publish times (so an item is rarely
 *    more than half a gap old when we see it), stretched when the source has been silent for more
 *    than QUIET_FACTOR usual gaps; the base interval when the rhythm is unknown. Clamped to
 *    [min, max].
 * 3. After failures: the usual interval doubled per failure beyond the first (the first failure is
 *    retried at the usual time, so failures never make us poll faster), capped at the maximum,
 *    plus up to 10 % jitter when `random` is injected.
 * 4. Cache-Control max-age and RSS ttl are lower bounds over all of that: we never poll faster than
 *    the server asked (up to MAX_SERVER_HINT_MS), even beyond the maximum interval.
 *
 * @example planNextCheck({ now, consecutiveFailures: 0 }) // { nextCheckAt: now + 1 h, reason: 'base interval 60m' }
 */
export function planNextCheck(input: PlanNextCheckInput): NextCheckPlan {
  const { now } = input;
  const minInterval = positive(input.minIntervalMs) ?? DEFAULT_MIN_INTERVAL_MS;
  const maxInterval = Math.max(minInterval, positive(input.maxIntervalMs) ?? DEFAULT_MAX_INTERVAL_MS);
  const baseInterval = positive(input.baseIntervalMs) ?? DEFAULT_BASE_INTERVAL_MS;

  const retryAfter = nonNegative(input.retryAfterMs);
  if (retryAfter !== undefined) {
    const delay = Math.min(Math.max(retryAfter, minInterval), Math.max(MAX_SERVER_HINT_MS, minInterval));
    return { nextCheckAt: now + Math.ceil(delay), reason: `retry-after ${formatDuration(retryAfter)}` };
  }

  let { interval, reason } = usualInterval(input, baseInterval);
  interval = clamp(interval, minInterval, maxInterval);

  const failures = Math.max(0, Math.floor(nonNegative(input.consecutiveFailures) ?? 0));
  if (failures > 0) {
    // 2 ** 40 is far beyond any cap; limiting the exponent keeps the arithmetic finite.
    const backoff = Math.min(interval * 2 ** Math.min(failures - 1, 40), maxInterval);
    const jitter = input.random ? Math.floor(backoff * JITTER_RATIO * clamp(input.random(), 0, 1)) : 0;
    interval = backoff + jitter;
    reason = `backoff after ${failures} failure${failures === 1 ? '' : 's'}`;
  }

  const maxAge = nonNegative(input.cacheMaxAgeSeconds);
  const maxAgeFloor = maxAge === undefined ? undefined : Math.min(maxAge * 1000, MAX_SERVER_HINT_MS);
  if (maxAgeFloor !== undefined && maxAgeFloor > interval) {
    interval = maxAgeFloor;
    reason = `cache-control max-age ${formatDuration(maxAgeFloor)}`;
  }
  const ttl = nonNegative(input.ttlMinutes);
  const ttlFloor = ttl === undefined ? undefined : Math.min(ttl * MINUTE, MAX_SERVER_HINT_MS);
  if (ttlFloor !== undefined && ttlFloor > interval) {
    interval = ttlFloor;
    reason = `rss ttl ${formatDuration(ttlFloor)}`;
  }
  // Whole milliseconds, rounded up so that no bound is undercut by rounding.
  return { nextCheckAt: now + Math.ceil(interval), reason };
}

function usualInterval(input: PlanNextCheckInput, baseInterval: number): { interval: number; reason: string } {
  const gap = medianPublishGap(input.recentPublishTimes, input.now);
  if (gap === undefined) return { interval: baseInterval, reason: `base interval ${formatDuration(baseInterval)}` };
  const newest = newestTime(input.now, input.recentPublishTimes, [input.lastNewItemAt]);
  const silence = newest === undefined ? 0 : input.now - newest;
  if (silence > QUIET_FACTOR * gap) {
    const interval = silence / QUIET_FACTOR / 2;
    return { interval, reason: `quiet for ${formatDuration(silence)} (usual gap ${formatDuration(gap)})` };
  }
  return { interval: gap / 2, reason: `half the usual gap ${formatDuration(gap)}` };
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

function nonNegative(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/** formatDuration renders ms as a short human duration for reasons: `45s`, `30m`, `2h30m`, `3d`. */
export function formatDuration(ms: number): string {
  if (ms < MINUTE) return `${Math.round(ms / 1000)}s`;
  if (ms < HOUR) return `${Math.round(ms / MINUTE)}m`;
  if (ms < 2 * DAY) {
    const hours = Math.floor(ms / HOUR);
    const minutes = Math.round((ms - hours * HOUR) / MINUTE);
    return minutes === 0 ? `${hours}h` : minutes === 60 ? `${hours + 1}h` : `${hours}h${minutes}m`;
  }
  return `${Math.round(ms / DAY)}d`;
}
