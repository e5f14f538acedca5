/**
 * What every search adapter shares: the checks of a SearchQuery (usage errors for the web layer),
 * the document key that orders matches, the page cursor and the estimate of large totals. The
 * engines differ in how they find matches, not in what a query, a page or a total means.
 *
 * The document key `doc` = published second × SLOTS + a slot for articles of the same second (a
 * 65th goes to the nearest earlier second with room): newest first is `doc` descending, a date
 * range is a `doc` range, and the newest-order cursor is a `doc`.
 */
import { NewsmirrorError } from '../../core/errors.js';
import type { SearchHit, SearchQuery } from '../../core/ports.js';
import { highlight, type TextPiece } from '../../core/search/index.js';

/** MAX_SEARCH_LIMIT is the largest page size; larger limits are clamped to it. */
export const MAX_SEARCH_LIMIT = 100;

/** SLOTS is how many document keys the articles published in one second get. */
export const SLOTS = 64;
/** Published seconds are clamped so that every document key is a safe JavaScript integer. */
const MAX_SECOND = Math.floor(Number.MAX_SAFE_INTEGER / SLOTS) - 1;
const MAX_SOURCE_FILTER = 100;

/** SearchCursor is the state a page hands to the next one. */
export interface SearchCursor {
  v: 1;
  /** Fingerprint of the query and filters the cursor belongs to. */
  f: string;
  /** Total of the first page. */
  t: number;
  /** Newest order: the last document key returned. */
  k?: number;
  /** Relevance order: rows already returned. */
  n?: number;
  /** Relevance order: the key above the newest match ranked (see `relevanceWindow`). */
  u?: number;
}

/** CheckedQuery is a SearchQuery's page size, document-key range and sources, checked. */
export interface CheckedQuery {
  limit: number;
  /** Inclusive lower and exclusive upper document key. */
  low: number;
  high: number;
  /** Distinct source ids; empty means every source. */
  sources: string[];
}

/**
 * checkQuery validates a query's limit, order, times and sources (usage errors, as the web layer
 * answers 400). Bounds apply at whole seconds, the document key's resolution: `from` rounds down,
 * `to` rounds up.
 */
export function checkQuery(query: SearchQuery): CheckedQuery {
  const limit = checkLimit(query.limit);
  if (query.order !== 'newest' && query.order !== 'relevance') throw usage(`unknown search order ${String(query.order)}`);
  const low = query.from === undefined ? -MAX_SECOND * SLOTS : secondOf(Math.floor(checkTime(query.from, 'from') / 1000)) * SLOTS;
  const high = query.to === undefined ? (MAX_SECOND + 1) * SLOTS : secondOf(Math.ceil(checkTime(query.to, 'to') / 1000)) * SLOTS;
  return { limit, low, high, sources: checkSources(query.sourceIds) };
}

/** docSecond is the clamped published second of an article, the first part of its document key. */
export function docSecond(published: number): number {
  return secondOf(Math.floor((Number.isFinite(published) ? published : 0) / 1000));
}

/**
 * estimateTotal extrapolates a count capped at `cap`: the newest n matches span document keys
 * `first` down to `last`, and older ones are assumed to follow at the same density down to
 * `bottom`, the oldest indexed key in range. Rounded to three significant digits.
 */
export function estimateTotal(scan: { n: number; first: number | null; last: number | null }, cap: number, bottom: number): number {
  if (scan.n <= cap || scan.first === null || scan.last === null) return scan.n;
  if (scan.first <= scan.last || scan.last <= bottom) return scan.n;
  const estimate = 1 + ((scan.n - 1) * (scan.first - bottom)) / (scan.first - scan.last);
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(estimate)) - 2);
  return Math.max(scan.n, Math.round(estimate / unit) * unit);
}

/** usage is the error of a bad query, cursor or option. */
export function usage(message: string): NewsmirrorError {
  return new NewsmirrorError('usage', 'web', message);
}

function checkLimit(limit: unknown): number {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw usage(`search limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT}, got ${String(limit)}`);
  }
  return Math.min(limit, MAX_SEARCH_LIMIT);
}

function checkTime(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw usage(`search ${name} must be a time in epoch ms, got ${String(value)}`);
  return value;
}

function checkSources(ids: unknown): string[] {
  if (ids === undefined) return [];
  if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || id === '')) throw usage('search sources must be source ids');
  if (ids.length > MAX_SOURCE_FILTER) throw usage(`search takes at most ${MAX_SOURCE_FILTER} sources, got ${ids.length}`);
  return [...new Set(ids as string[])];
}

function secondOf(second: number): number {
  return Math.min(MAX_SECOND, Math.max(-MAX_SECOND, second));
}

/** encodeCursor writes a cursor as an opaque URL-safe string. */
export function encodeCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/** decodeCursor reads a cursor back, refusing one of another query, filter or order (usage errors). */
export function decodeCursor(raw: string, fingerprint: string, order: SearchQuery['order']): SearchCursor {
  const bad = (why: string): NewsmirrorError => usage(`bad search cursor: ${why}`);
  if (typeof raw !== 'string' || raw.length > 512 || !/^[A-Za-z0-9_-]+$/.test(raw)) throw bad('not a cursor from a previous result');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw bad('not a cursor from a previous result');
  }
  if (typeof value !== 'object' || value === null) throw bad('not a cursor from a previous result');
  const cursor = value as Partial<SearchCursor>;
  if (cursor.v !== 1 || typeof cursor.f !== 'string' || !isCount(cursor.t)) throw bad('not a cursor from a previous result');
  if (cursor.f !== fingerprint) throw bad('it belongs to another query, filter or order');
  if (order === 'newest' ? !Number.isSafeInteger(cursor.k) : !isCount(cursor.n) || !Number.isSafeInteger(cursor.u)) throw bad('it belongs to another order');
  return cursor as SearchCursor;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** fingerprintOf is a short, stable fingerprint; it tells cursors apart, it is not a security check. */
export function fingerprintOf(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

/** DocRow is one indexed article as both engines store it (`doc` is the ordered document key). */
export interface DocRow {
  doc: number;
  id: string;
  source_id: string;
  published: number;
  title: string;
  url: string;
  body: string;
}

/** hitsOf turns the rows of the chosen documents into hits, in `docs` order, each with its snippet. */
export function hitsOf(docs: readonly number[], rowOf: (doc: number) => DocRow | undefined, highlights: readonly TextPiece[], snippetLength: number): SearchHit[] {
  const hits: SearchHit[] = [];
  for (const doc of docs) {
    const row = rowOf(doc);
    if (row === undefined) continue;
    hits.push({
      id: row.id,
      sourceId: row.source_id,
      title: row.title,
      url: row.url,
      published: row.published,
      snippet: highlight(row.body === '' ? row.title : row.body, highlights, snippetLength),
    });
  }
  return hits;
}
