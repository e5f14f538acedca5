/** MediaRetryPolicy shapes the backoff between attempts at an image that failed. */
export interface MediaRetryPolicy {
  /** Wait after the first failure, in ms. Default one hour. */
  firstDelayMs?: number;
  /** Longest wait between attempts, in ms. Default seven days. */
  maxDelayMs?: number;
  /** Attempts after which the image is given up (kept as missing, never retried). Default 8. */
  maxAttempts?: number;
}

/**
 * PERMANENT_MEDIA_CODES are failures that the same bytes would repeat, so retrying them only costs
 * the publisher bandwidth: not an accepted image, an unsafe SVG, over the size cap, a private or
 * malformed address.
 */
export const PERMANENT_MEDIA_CODES: ReadonlySet<string> = new Set(['unsupported-media', 'too-large', 'private-address', 'bad-url']);

/**
 * planMediaRetry returns when an image that has now failed `attempts` times should be tried again
 * (epoch ms), or undefined when it is given up: a permanent failure, or too many attempts. The wait
 * grows fourfold per attempt (1 h, 4 h, 16 h, …) up to the cap.
 *
 * @example
 * planMediaRetry(1, 'http-status', now) // now + 1 h
 */
export function planMediaRetry(attempts: number, code: string, now: number, policy: MediaRetryPolicy = {}): number | undefined {
  const maxAttempts = policy.maxAttempts ?? 8;
  if (PERMANENT_MEDIA_CODES.has(code) || attempts >= maxAttempts) return undefined;
  const first = policy.firstDelayMs ?? 60 * 60 * 1000;
  const max = policy.maxDelayMs ?? 7 * 24 * 60 * 60 * 1000;
  return now + Math.min(max, first * 4 ** Math.max(0, attempts - 1));
}
