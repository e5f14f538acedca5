import type { Entry, Person } from '../../model/feed.js';
import { parseDate } from '../common/dates.js';
import { Draft } from '../common/draft.js';
import { addPerson, addUnique } from '../common/people.js';
import { cleanText, nonEmpty, textToHtml, titleText } from '../common/text.js';
import { resolveHtmlUrls, resolveUrl } from '../common/urls.js';

type Json = Record<string, unknown>;

/**
 * parseJsonEntry maps a JSON Feed item: content_html is the content, or content_text turned into
 * escaped HTML when there is no content_html; summary (plain text) becomes escaped HTML.
 */
export function parseJsonEntry(item: Json, base: string | undefined): Entry {
  const draft = new Draft();
  const id = item.id;
  draft.put('id', typeof id === 'number' ? String(id) : nonEmpty(str(item.id)), 1);
  const title = str(item.title);
  draft.put('title', title === undefined ? undefined : nonEmpty(titleText(title)), 1);
  draft.put('link', url(item.url, base), 2);
  draft.put('link', url(item.external_url, base), 1);
  const html = str(item.content_html);
  draft.put('content', html === undefined ? undefined : nonEmpty(resolveHtmlUrls(html, base)), 2);
  const text = str(item.content_text);
  draft.put('content', text === undefined ? undefined : nonEmpty(textToHtml(text)), 1);
  const summary = str(item.summary);
  draft.put('summary', summary === undefined ? undefined : nonEmpty(textToHtml(summary)), 1);
  draft.put('published', parseDate(str(item.date_published)), 1);
  draft.put('updated', parseDate(str(item.date_modified)), 1);
  draft.put('language', nonEmpty(str(item.language)), 1);
  addPeople(draft.authors, item, base);
  if (Array.isArray(item.tags)) for (const tag of item.tags) if (typeof tag === 'string') addUnique(draft.categories, tag);
  if (Array.isArray(item.attachments)) {
    for (const attachment of item.attachments) {
      if (!isObject(attachment)) continue;
      const size = attachment.size_in_bytes;
      draft.addEnclosure(str(attachment.url), base, str(attachment.mime_type), typeof size === 'number' ? String(size) : undefined);
    }
  }
  draft.addEnclosure(str(item.image), base);
  draft.addEnclosure(str(item.banner_image), base);
  return draft.toEntry();
}

/** parseJsonTop reads the feed-level fields of a JSON Feed. */
export function parseJsonTop(feed: Json, base: string | undefined): Draft {
  const draft = new Draft();
  draft.put('title', cleanOrUndefined(str(feed.title)), 1);
  draft.put('link', url(feed.home_page_url, base), 1);
  draft.put('id', nonEmpty(str(feed.feed_url)), 1);
  // The feed description ends up as plain text (tags stripped); generators do put HTML in it.
  draft.put('summary', nonEmpty(str(feed.description)), 1);
  draft.put('language', nonEmpty(str(feed.language)), 1);
  addPeople(draft.authors, feed, base);
  return draft;
}

/** itemsOf returns the feed's item objects, skipping anything that is not an object. */
export function itemsOf(feed: Json): Json[] {
  return Array.isArray(feed.items) ? feed.items.filter(isObject) : [];
}

function addPeople(list: Person[], owner: Json, base: string | undefined): void {
  const people = Array.isArray(owner.authors) ? owner.authors : owner.author === undefined ? [] : [owner.author];
  for (const raw of people) {
    if (typeof raw === 'string') {
      addPerson(list, { name: cleanText(raw) });
      continue;
    }
    if (!isObject(raw)) continue;
    const person: Person = {};
    const name = cleanOrUndefined(str(raw.name));
    if (name !== undefined) person.name = name;
    const link = url(raw.url, base);
    if (link !== undefined) {
      if (link.startsWith('mailto:')) person.email = link.slice(7);
      else person.url = link;
    }
    addPerson(list, person);
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function cleanOrUndefined(value: string | undefined): string | undefined {
  return value === undefined ? undefined : nonEmpty(cleanText(value));
}

function url(value: unknown, base: string | undefined): string | undefined {
  const text = nonEmpty(str(value));
  return text === undefined ? undefined : resolveUrl(text, base);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
