/**
 * The stored raw item: what the sync received for an article version, kept so that cleaning can be
 * re-run (`reclean`) without refetching. One schema, used by every writer (sync, rebuild) and every
 * reader (reclean), so a change of shape cannot go unnoticed by one of them.
 */
import { z } from 'zod';
import type { Entry, RawItem } from '../model/index.js';
import { NewsmirrorError } from '../errors.js';

/**
 * ReceivedItem is what the store keeps as the raw item: the entry as parsed, and the page's extracted
 * HTML when the body came from the article page.
 */
export interface ReceivedItem {
  entry: Entry;
  extracted?: { html: string; method: string; url: string };
}

const PERSON = z.object({ name: z.string().optional(), email: z.string().optional(), url: z.string().optional() });
const ENCLOSURE = z.object({ url: z.string(), type: z.string().optional(), length: z.number().optional() });

// Lists default to empty: an entry written without them (an archive rebuilt by hand) is still usable.
const RECEIVED_ITEM = z.object({
  entry: z.object({
    id: z.string().optional(),
    title: z.string().optional(),
    link: z.string().optional(),
    summary: z.string().optional(),
    content: z.string().optional(),
    published: z.number().optional(),
    updated: z.number().optional(),
    authors: z.array(PERSON).default([]),
    categories: z.array(z.string()).default([]),
    enclosures: z.array(ENCLOSURE).default([]),
    rights: z.string().optional(),
    language: z.string().optional(),
  }),
  extracted: z.object({ html: z.string(), method: z.string(), url: z.string() }).optional(),
});

/** rawItemOf is the raw item that stores `received` for one version of an article. */
export function rawItemOf(articleId: string, version: number, received: ReceivedItem, fetchedFrom: string): RawItem {
  return { articleId, version, entryJson: JSON.stringify(received), fetchedFrom };
}

/**
 * parseReceivedItem reads a stored raw item back. Stored JSON that is not a received item throws a
 * `store` NewsmirrorError naming the article and the first field at fault, never a half-read item.
 *
 * @example
 * parseReceivedItem(raw).entry.content
 */
export function parseReceivedItem(raw: RawItem): ReceivedItem {
  let data: unknown;
  try {
    data = JSON.parse(raw.entryJson);
  } catch (error) {
    throw new NewsmirrorError('store', 'store', `raw item of article ${raw.articleId} v${raw.version} is not JSON`, { cause: error });
  }
  const parsed = RECEIVED_ITEM.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? '(top level)' : issue.path.map(String).join('.');
  throw new NewsmirrorError('store', 'store', `raw item of article ${raw.articleId} v${raw.version} is not a received item: ${where}: ${issue?.message ?? 'invalid'}`);
}

/** receivedBody is the HTML cleaning starts from: the page's extraction when there was one, else the feed's. */
export function receivedBody(received: ReceivedItem): string {
  return received.extracted?.html ?? received.entry.content ?? received.entry.summary ?? '';
}
