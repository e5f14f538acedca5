/**
 * Query-string parsing for pages and the API. Everything a client can send is checked here and
 * refused with a `usage` NewsmirrorError (answered 400), so handlers only ever see valid values.
 */
import { NewsmirrorError } from '../core/errors.js';
import { zonedMidnight, zonedTime } from '../core/render/index.js';

// A search query is at most this long (the index's own limit too); longer ones are refused, not cut.
const MAX_QUERY_CHARS = 200;

/** usage builds the error every bad parameter becomes. */
export function usage(message: string): NewsmirrorError {
  return new NewsmirrorError('usage', 'web', message);
}

/** parseLimit reads a page size: a whole number from 1 to `max`, `fallback` when absent. */
export function parseLimit(raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,6}$/.test(raw)) throw usage(`limit must be a whole number from 1 to ${max}`);
  const value = Number(raw);
  if (value < 1 || value > max) throw usage(`limit must be a whole number from 1 to ${max}`);
  return value;
}

/** ListCursor is the last item of a page: the next page starts after it. */
export interface ListCursor {
  published: number;
  id: string;
}

/** encodeCursor makes an opaque, URL-safe cursor from the last item of a page. */
export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(`${cursor.published}.${cursor.id}`, 'utf8').toString('base64url');
}

/** decodeCursor reads a cursor made by `encodeCursor`; anything else is a usage error. */
export function decodeCursor(raw: string | undefined): ListCursor | undefined {
  if (raw === undefined || raw === '') return undefined;
  const bad = usage('cursor is not one this server handed out');
  if (raw.length > 64 || !/^[A-Za-z0-9_-]+$/.test(raw)) throw bad;
  const match = /^(-?\d{1,16})\.([a-z0-9]{1,32})$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (!match) throw bad;
  const published = Number(match[1]);
  if (!Number.isSafeInteger(published)) throw bad;
  return { published, id: match[2] as string };
}

/**
 * parseDateBound reads `from` / `to`: a day `YYYY-MM-DD` in the configured zone or an ISO 8601
 * time with an offset. Days are inclusive at both ends: `to=2020-07-20` includes that whole day.
 * Returns epoch ms: inclusive for `from`, exclusive for `to`.
 */
export function parseDateBound(raw: string | undefined, bound: 'from' | 'to', timeZone: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  if (day) {
    const year = Number(day[1]);
    const month = Number(day[2]);
    const date = Number(day[3]);
    const check = new Date(Date.UTC(year, month - 1, date));
    if (year < 1970 || year > 9999 || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) {
      throw usage(`${bound} is not a calendar date: ${raw}`);
    }
    return zonedMidnight(year, month - 1, date + (bound === 'to' ? 1 : 0), timeZone);
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/.test(raw)) {
    const time = Date.parse(raw);
    if (Number.isFinite(time)) return time;
  }
  throw usage(`${bound} must be a date (YYYY-MM-DD) or an ISO 8601 time with offset, not ${JSON.stringify(raw.slice(0, 40))}`);
}

/** dayKey is the `YYYY-MM-DD` calendar day of an instant in a time zone. */
export function dayKey(epochMs: number, timeZone: string): string {
  const t = zonedTime(epochMs, timeZone);
  return `${t.year}-${t.month}-${t.day}`;
}

/**
 * parseSourceFilter reads `source` (repeated or comma-separated) and refuses unknown ids, so a typo
 * is an error instead of an empty result.
 */
export function parseSourceFilter(values: string[], known: ReadonlySet<string>): string[] | undefined {
  const ids = values.flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
  if (ids.length === 0) return undefined;
  for (const id of ids) {
    if (!known.has(id)) throw usage(`unknown source ${JSON.stringify(id.slice(0, 64))}`);
  }
  return [...new Set(ids)];
}

/** parseOrder reads the search order: `newest` (default) or `relevance`. */
export function parseOrder(raw: string | undefined): 'newest' | 'relevance' {
  if (raw === undefined || raw === '' || raw === 'newest') return 'newest';
  if (raw === 'relevance') return 'relevance';
  throw usage('order must be newest or relevance');
}

/** parseQuery trims a search query and refuses empty or overlong ones. */
export function parseQuery(raw: string | undefined): string {
  const q = (raw ?? '').trim();
  if (q === '') throw usage('q (the search query) is required');
  if ([...q].length > MAX_QUERY_CHARS) throw usage(`q is longer than ${MAX_QUERY_CHARS} characters`);
  return q;
}

/** parseVersion reads a version number (`from`, `to`): a whole number from 1, absent when not given. */
export function parseVersion(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^[1-9]\d{0,5}$/.test(raw)) throw usage(`${name} must be a version number (1, 2, …)`);
  return Number(raw);
}

/** parseDiffMode reads the diff layout: `inline` (default) or `side`. */
export function parseDiffMode(raw: string | undefined): 'inline' | 'side' {
  if (raw === undefined || raw === '' || raw === 'inline') return 'inline';
  if (raw === 'side') return 'side';
  throw usage('view must be inline or side');
}
