/**
 * parseCacheControlMaxAge returns the `max-age` directive of a Cache-Control header in seconds, or
 * `undefined` when there is none or it is malformed.
 *
 * Lenient on purpose (RFC 9111 §5.2): directive names are case-insensitive, the value may be quoted,
 * and when a header repeats `max-age` the smallest value wins, because the scheduler uses it as a
 * lower bound and the smaller bound is the one that never makes us miss news. Values beyond 2^31
 * seconds are clamped to 2^31 as RFC 9111 §1.2.2 asks. `s-maxage` is for shared caches and ignored.
 *
 * @example parseCacheControlMaxAge('public, max-age=600') // 600
 */
export function parseCacheControlMaxAge(header?: string): number | undefined {
  if (header === undefined) return undefined;
  let result: number | undefined;
  for (const part of header.split(',')) {
    const match = /^\s*max-age\s*=\s*(?:"(\d+)"|(\d+))\s*$/i.exec(part);
    if (!match) continue;
    const digits = match[1] ?? match[2] ?? '';
    const seconds = Math.min(Number(digits), MAX_DELTA_SECONDS);
    if (!Number.isFinite(seconds)) continue;
    result = result === undefined ? seconds : Math.min(result, seconds);
  }
  return result;
}

const MAX_DELTA_SECONDS = 2 ** 31;

/**
 * parseRetryAfter turns a Retry-After value (delta-seconds or an HTTP-date) into a delay in
 * milliseconds from `now`, or `undefined` when the value is unusable. A date in the past gives 0.
 *
 * HTTP-dates are parsed by hand in all three forms RFC 9110 §5.6.7 lists (IMF-fixdate, RFC 850 and
 * asctime) instead of `Date.parse`, which reads an asctime date (no zone) in the machine's local
 * time zone and accepts many non-HTTP formats.
 *
 * @example parseRetryAfter('120', now) // 120000
 * @example parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', now)
 */
export function parseRetryAfter(value: string, now: number): number | undefined {
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const seconds = Math.min(Number(text), MAX_DELTA_SECONDS);
    return seconds * 1000;
  }
  const at = parseHttpDate(text);
  if (at === undefined) return undefined;
  return Math.max(0, at - now);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** parseHttpDate reads the three HTTP-date forms; always UTC. */
function parseHttpDate(text: string): number | undefined {
  // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
  let match = /^[a-z]{3},\s+(\d{1,2})\s+([a-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2}):(\d{2})\s+GMT$/i.exec(text);
  if (match) return buildDate(match[3], match[2], match[1], match[4], match[5], match[6]);
  // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT (two-digit years are read as 19xx/20xx per RFC 9110: within 50 years)
  match = /^[a-z]+,\s+(\d{1,2})-([a-z]{3})-(\d{2})\s+(\d{2}):(\d{2}):(\d{2})\s+GMT$/i.exec(text);
  if (match) {
    const yy = Number(match[3]);
    const year = yy < 70 ? 2000 + yy : 1900 + yy;
    return buildDate(String(year), match[2], match[1], match[4], match[5], match[6]);
  }
  // asctime: Sun Nov  6 08:49:37 1994
  match = /^[a-z]{3}\s+([a-z]{3})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(\d{4})$/i.exec(text);
  if (match) return buildDate(match[6], match[1], match[2], match[3], match[4], match[5]);
  return undefined;
}

function buildDate(
  year: string | undefined,
  monthName: string | undefined,
  day: string | undefined,
  hour: string | undefined,
  minute: string | undefined,
  second: string | undefined,
): number | undefined {
  const month = MONTHS.indexOf((monthName ?? '').toLowerCase());
  const d = Number(day);
  const h = Number(hour);
  const m = Number(minute);
  const s = Number(second);
  if (month < 0 || d < 1 || d > 31 || h > 23 || m > 59 || s > 60) return undefined;
  const time = Date.UTC(Number(year), month, d, h, m, Math.min(s, 59));
  // Date.UTC rolls 31 Feb over into March; such a date is malformed, not a March date.
  if (!Number.isFinite(time) || new Date(time).getUTCDate() !== d) return undefined;
  return time;
}
