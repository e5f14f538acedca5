import { medianPublishGap, newestTime } from './cadence.js';

/** STALE_FLOOR_MS is the shortest silence ever called stale: two days covers weekends and holidays. */
export const STALE_FLOOR_MS = 48 * 60 * 60 * 1000;
/** STALE_GAP_FACTOR: a source is stale once its newest item is this many usual gaps old. */
export const STALE_GAP_FACTOR = 10;

/** IsStaleInput is the health a source has when it is checked for staleness. */
export interface IsStaleInput {
  now: number;
  /** Publish time of the newest item the source has given us (defaults to the newest of recentPublishTimes). */
  newestItemAt?: number;
  /** When the source last answered with a usable feed. */
  lastSuccessAt?: number;
  /** Publish times of recent items, to learn the source's usual gap. */
  recentPublishTimes?: number[];
}

/**
 * staleThresholdMs is how old the newest item may be before its source is stale:
 * max(STALE_FLOOR_MS, STALE_GAP_FACTOR × the median gap between recent items).
 */
export function staleThresholdMs(recentPublishTimes: readonly number[] | undefined, now: number): number {
  const gap = medianPublishGap(recentPublishTimes, now);
  return Math.max(STALE_FLOOR_MS, gap === undefined ? 0 : gap * STALE_GAP_FACTOR);
}

/**
 * isStale flags a source that keeps answering but only with old items (a known failure of the feedx
 * mirrors): its last successful answer came more than staleThresholdMs after its newest item, and
 * that item is older than the threshold now.
 *
 * A source that never succeeded, or whose last success is itself old, is failing rather than stale;
 * its error says so, and it is not flagged twice. A source without any dated item cannot be judged
 * and is not stale.
 */
export function isStale(input: IsStaleInput): boolean {
  const { now, lastSuccessAt } = input;
  if (lastSuccessAt === undefined || !Number.isFinite(lastSuccessAt)) return false;
  const newest = newestTime(now, [input.newestItemAt], input.recentPublishTimes);
  if (newest === undefined) return false;
  const threshold = staleThresholdMs(input.recentPublishTimes, now);
  return lastSuccessAt - newest > threshold && now - newest > threshold;
}
