/**
 * The reading side of a sync: what the source serves (the feed, then the pages of summary-only
 * items) and what the store holds for it. Every effect of a sync before the writes is here; what
 * to do with it is decided by the pure `planChanges`.
 */
import { LIMITS, type Entry, type KnownArticle, type Source, type SourceState } from '../model/index.js';
import type { IdentifiedEntry } from '../identity/index.js';
import { NewsmirrorError, errorMessage, isNewsmirrorError } from '../errors.js';
import { parseFeed } from '../parse/index.js';
import { decodeText } from '../decode/index.js';
import { extractArticle } from '../extract/index.js';
import { parseCacheControlMaxAge } from '../schedule/index.js';
import { needsFullText } from './fulltext.js';
import { mapLimit } from '../concurrency.js';
import { ARTICLES_PER_READ, ITEMS_IN_FLIGHT, type PipelineDeps } from './deps.js';
import { atStage, stageError } from './stage.js';
import { itemLink, keepNewest, newArticleFolders, type CurrentVersion, type PageExtraction } from './plan.js';

const FEED_ACCEPT = 'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5';
const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5';

/** ScheduleHints are what the last exchange with the server said about when to come back. */
export interface ScheduleHints {
  retryAfterMs?: number;
  cacheMaxAgeSeconds?: number;
  ttlMinutes?: number;
}

/** SourceRead is what a source served: nothing new (304), or its entries with the response's validators. */
export type SourceRead =
  | { notModified: true; hints: ScheduleHints }
  | {
      notModified: false;
      hints: ScheduleHints;
      entries: Entry[];
      /** Parse warnings (and the items cap's), prefixed with their stage. */
      warnings: string[];
      /** True when the parser had to recover the document (FeedDoc.recovered). */
      recovered: boolean;
      /** The URL that finally answered: the base of relative links and the raw items' origin. */
      fetchedFrom: string;
      etag?: string;
      lastModified?: string;
    };

/**
 * readSource fetches a source's feed (conditionally, with the validators of `state`), then decodes
 * and parses it, keeping at most `limits.itemsPerFeed` entries, the newest. What it throws is a NewsmirrorError of the stage that failed (fetch, decode, parse).
 */
export async function readSource(deps: PipelineDeps, source: Source, state: SourceState): Promise<SourceRead> {
  const response = await atStage('fetch', () =>
    deps.http.get({ url: source.url, sourceId: source.id, etag: state.etag, lastModified: state.lastModified, accept: FEED_ACCEPT }),
  );
  const hints: ScheduleHints = { cacheMaxAgeSeconds: parseCacheControlMaxAge(response.headers['cache-control']) };
  if (response.notModified) return { notModified: true, hints };
  let doc;
  try {
    doc = parseFeed(response.body, { url: response.url, contentType: response.headers['content-type'], headers: response.headers, encoding: source.encoding });
  } catch (error) {
    // The parser throws NewsmirrorErrors for what it recognises (a decode failure among them); the rest is "not a feed".
    throw isNewsmirrorError(error) ? error : new NewsmirrorError('not-a-feed', 'parse', errorMessage(error), { sourceId: source.id, url: source.url, cause: error });
  }
  hints.ttlMinutes = doc.ttl;
  const warnings = doc.warnings.map((warning) => `parse: ${warning}`);
  const itemsPerFeed = deps.limits?.itemsPerFeed ?? LIMITS.itemsPerFeed;
  const entries = keepNewest(doc.entries, itemsPerFeed);
  if (entries.length < doc.entries.length) {
    warnings.push(`limits: the feed has ${doc.entries.length} items; kept the newest ${entries.length} (limits.itemsPerFeed)`);
  }
  return {
    notModified: false,
    hints,
    entries,
    warnings,
    recovered: doc.recovered,
    fetchedFrom: response.url,
    etag: response.etag,
    lastModified: response.lastModified,
  };
}

/** StoredView is what the store holds for one feed's entries: their known articles and the day folders' counts. */
export interface StoredView {
  known: Map<string, KnownArticle>;
  /** Paths already stored under each day folder a new article of this feed goes to. */
  folderCounts: Map<string, number>;
  /** Current title and body of each known article whose entry has a new content hash, by article id. */
  current: Map<string, CurrentVersion>;
}

/**
 * readStored reads the known-article records of the entries' keys, the counts of the day folders
 * new articles need, and the current bodies of the articles the feed changed (only those: an idle
 * sync reads no body), which the plan compares an edit with.
 */
export async function readStored(deps: PipelineDeps, sourceId: string, entries: IdentifiedEntry[], now: number): Promise<StoredView> {
  const known = await deps.store.findByKeys(sourceId, entries.map((item) => item.key));
  const folders = newArticleFolders(sourceId, entries, known, now, deps.timeZone);
  const counts = await Promise.all(folders.map(async (folder) => [folder, await deps.store.countPathsUnder(folder)] as const));
  const changed = entries.flatMap((item) => {
    const record = known.get(item.key);
    return record !== undefined && record.contentHash !== item.contentHash && record.suspectHash !== item.contentHash ? [record.id] : [];
  });
  const current = new Map<string, CurrentVersion>();
  for (let start = 0; start < changed.length; start += ARTICLES_PER_READ) {
    for (const article of await deps.store.getArticles(changed.slice(start, start + ARTICLES_PER_READ))) {
      current.set(article.id, { title: article.title, bodyHtml: article.bodyHtml });
    }
  }
  return { known, folderCounts: new Map(counts), current };
}

/** PageFailure is an article page that could not be used; the item keeps its feed body. */
export interface PageFailure {
  key: string;
  url: string;
  error: NewsmirrorError;
}

/**
 * readPages fetches and extracts the article page of every new entry whose feed body is only a
 * summary (see `needsFullText`). A page that fails is a PageFailure with its stage (fetch, decode,
 * extract), never an item failure: the feed's body is kept.
 */
export async function readPages(
  deps: PipelineDeps,
  source: Source,
  entries: IdentifiedEntry[],
  known: Map<string, KnownArticle>,
): Promise<{ pages: Map<string, PageExtraction>; failures: PageFailure[] }> {
  // An entry without a link of its own has no article page to read (its fallback link is the feed).
  const wanted = entries.filter((item) => item.url !== undefined && !known.has(item.key) && needsFullText(item.entry, source.fulltext));
  const pages = new Map<string, PageExtraction>();
  // Results come back in feed order whatever order the fetches finish in, so warnings are stable.
  const outcomes = await mapLimit(wanted, ITEMS_IN_FLIGHT, async (item): Promise<PageFailure | undefined> => {
    const url = itemLink(item, undefined, source.url);
    try {
      const page = await readPage(deps, source, url);
      if (page) pages.set(item.key, page);
      return undefined;
    } catch (error) {
      return { key: item.key, url, error: stageError(error, 'extract') };
    }
  });
  return { pages, failures: outcomes.filter((failure): failure is PageFailure => failure !== undefined) };
}

async function readPage(deps: PipelineDeps, source: Source, url: string): Promise<PageExtraction | undefined> {
  const response = await atStage('fetch', () => deps.http.get({ url, sourceId: source.id, accept: PAGE_ACCEPT }));
  if (response.notModified) return undefined;
  const { text } = await atStage('decode', () => decodeText(response.body, { contentType: response.headers['content-type'], kind: 'html' }));
  const extracted = await atStage('extract', () => extractArticle(text, response.url));
  if (extracted.method === 'none' || extracted.html === '') return undefined;
  return { html: extracted.html, method: extracted.method, title: extracted.title };
}
