/** RETRY_STATUSES are the HTTP statuses worth another try: timeouts, rate limits and passing outages. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * parseRetryAfter reads a Retry-After value, delay-seconds or an HTTP date (RFC 9110 §10.2.3),
 * as milliseconds from `now`; a date in the past means 0. Unreadable values give undefined.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** BackoffPolicy shapes the waits between attempts. */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Returns a number in [0, 1); injected so tests are deterministic. */
  random: () => number;
}

/**
 * backoffDelay is exponential backoff with "equal jitter": half the doubled delay is fixed and
 * half random, so retries from many workers spread out but never collapse to zero.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (ceiling / 2) * policy.random());
}
