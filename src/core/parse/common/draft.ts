import type { Enclosure, Entry, Person } from '../../model/feed.js';
import { resolveUrl } from './urls.js';

/** DraftFields are the scalar fields shared by entries and feeds while they are being read. */
export interface DraftFields {
  id?: string;
  title?: string;
  link?: string;
  summary?: string;
  content?: string;
  published?: number;
  updated?: number;
  rights?: string;
  language?: string;
  ttl?: number;
}

/**
 * Draft collects an entry's or a feed's fields from elements met in any order. Several elements can
 * fill one field (pubDate, dc:date, atom:published…); the one with the highest priority wins, and
 * among equals the first one met.
 */
export class Draft {
  readonly values: DraftFields = {};
  readonly authors: Person[] = [];
  /** Authors used only when no better-named ones exist (itunes:author). */
  readonly fallbackAuthors: Person[] = [];
  readonly categories: string[] = [];
  readonly enclosures: Enclosure[] = [];
  private readonly priority: Partial<Record<keyof DraftFields, number>> = {};

  /** put sets a field unless a value of equal or higher priority is already there. */
  put<K extends keyof DraftFields>(field: K, value: DraftFields[K] | undefined, priority: number): void {
    if (value === undefined || value === '') return;
    const current = this.priority[field];
    if (current !== undefined && current >= priority) return;
    this.values[field] = value;
    this.priority[field] = priority;
  }

  /** addEnclosure appends a media file, resolved against `base`, unless its URL is already listed. */
  addEnclosure(url: string | undefined, base: string | undefined, type?: string, length?: string): void {
    const trimmed = url?.trim();
    if (!trimmed) return;
    const resolved = resolveUrl(trimmed, base) ?? trimmed;
    if (this.enclosures.some((e) => e.url === resolved)) return;
    const enclosure: Enclosure = { url: resolved };
    const cleanType = type?.trim();
    if (cleanType) enclosure.type = cleanType;
    const size = length === undefined ? NaN : Number.parseInt(length.trim(), 10);
    if (Number.isFinite(size) && size >= 0) enclosure.length = size;
    this.enclosures.push(enclosure);
  }

  /** toEntry returns the finished entry, leaving out fields that were never found. */
  toEntry(): Entry {
    const v = this.values;
    const entry: Entry = {
      authors: this.authors.length > 0 ? this.authors : this.fallbackAuthors,
      categories: this.categories,
      enclosures: this.enclosures,
    };
    if (v.id !== undefined) entry.id = v.id;
    if (v.title !== undefined) entry.title = v.title;
    if (v.link !== undefined) entry.link = v.link;
    if (v.summary !== undefined) entry.summary = v.summary;
    if (v.content !== undefined) entry.content = v.content;
    if (v.published !== undefined) entry.published = v.published;
    if (v.updated !== undefined) entry.updated = v.updated;
    if (v.rights !== undefined) entry.rights = v.rights;
    if (v.language !== undefined) entry.language = v.language;
    return entry;
  }
}
