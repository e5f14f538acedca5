/**
 * The pure middle of a sync: from a feed's identified entries, what the store already knows of them
 * and the pages already read, decide every change. No I/O and no clock: the same input always gives
 * the same plan, so a unit test drives it without a server or a database.
 */
import type { Article, Entry, ErrorInfo, KnownArticle, Source } from '../model/index.js';
import type { ArticleChange } from '../ports.js';
import type { IdentifiedEntry } from '../identity/index.js';
import type { Stage } from '../errors.js';
import { cleanArticle, cleanTitle } from '../clean/index.js';
import { articleDayFolder, articlePath, overflowFor } from '../render/index.js';
import { visibleText } from '../html/index.js';
import { rawItemOf, type ReceivedItem } from './received-item.js';
import { toErrorInfo } from './stage.js';

/** PageExtraction is the main text read from an item's article page. */
export interface PageExtraction {
  html: string;
  /** How it was found: `jsonld`, `rule:…`, `generic`… */
  method: string;
  title?: string;
}

/** PlanInput is everything one feed's plan depends on. */
export interface PlanInput {
  source: Pick<Source, 'id' | 'url'>;
  /** The feed's entries with their identity settled, one per key, in feed order. */
  entries: IdentifiedEntry[];
  /** Known-article records by key (see `Store.findByKeys`). */
  known: Map<string, KnownArticle>;
  /** Paths stored under each day folder before this sync (see `newArticleFolders`). */
  folderCounts: Map<string, number>;
  /** Article pages already read, by key, for new entries whose feed body is only a summary. */
  pages: Map<string, PageExtraction>;
  /** The sync's time: first/last seen, and the date of an item without one. */
  now: number;
  timeZone: string;
  /** The URL the feed came from (the raw items' origin). */
  fetchedFrom: string;
}

/** PlannedChange is a change of the plan with the entry it came from (image mirroring reads its enclosures). */
export interface PlannedChange {
  change: ArticleChange;
  entry: Entry;
  /** How reports name the item: its link, else its id or title. */
  label: string;
}

/** ItemFailure is an entry the plan could not turn into an article, with the stage that failed. */
export interface ItemFailure {
  label: string;
  error: ErrorInfo;
}

/** SyncPlan is what one sync of a feed will write, and what it could not. */
export interface SyncPlan {
  /** New articles, each with its archive path allocated, in feed order. */
  added: PlannedChange[];
  /** New versions of known articles (same id, same path), in feed order. */
  edited: PlannedChange[];
  /** Ids of known articles seen again with the same content hash. */
  unchanged: string[];
  failures: ItemFailure[];
}

/** itemLabel names an entry in reports: its link, else its id or title. */
export function itemLabel(entry: Entry): string {
  return entry.link ?? entry.id ?? entry.title ?? '?';
}

/** itemLink is the link an article gets: the entry's own, else the stored article's, else the source's. */
export function itemLink(item: IdentifiedEntry, known: KnownArticle | undefined, sourceUrl: string): string {
  return item.url ?? known?.url ?? sourceUrl;
}

function publishedOf(entry: Entry, now: number): number {
  return entry.published ?? entry.updated ?? now;
}

/** newArticleFolders lists the day folders the feed's new articles go to, so their counts can be read before planning. */
export function newArticleFolders(sourceId: string, entries: IdentifiedEntry[], known: Map<string, KnownArticle>, now: number, timeZone: string): string[] {
  const folders = new Set<string>();
  for (const item of entries) {
    if (!known.has(item.key)) folders.add(articleDayFolder(sourceId, publishedOf(item.entry, now), timeZone));
  }
  return [...folders];
}

function authorNames(entry: Entry): string[] {
  return entry.authors.map((person) => person.name ?? person.email ?? '').filter(Boolean);
}

/**
 * planChanges decides, for every entry of a feed: unchanged (known key, same content hash), edited
 * (known key, new hash: the next version, same id and path) or new (its path allocated in feed
 * order, after the paths already stored in its day folder). A new entry's body is its article
 * page's when the page holds more text than the feed. An entry that fails is an ItemFailure with
 * the stage that failed; the others are planned all the same.
 *
 * @example
 * const plan = planChanges({ source, entries, known: new Map(), folderCounts: new Map(), pages: new Map(), now, timeZone: 'Asia/Shanghai', fetchedFrom: source.url });
 * plan.added.length // every entry is new in an empty store
 */
export function planChanges(input: PlanInput): SyncPlan {
  const plan: SyncPlan = { added: [], edited: [], unchanged: [], failures: [] };
  const allocated = new Map<string, number>();
  for (const item of input.entries) {
    const known = input.known.get(item.key);
    if (known && known.contentHash === item.contentHash) {
      plan.unchanged.push(known.id);
      continue;
    }
    const label = itemLabel(item.entry);
    let stage: Stage = 'clean';
    try {
      const body = assembleBody(input, item, known);
      if (known) {
        plan.edited.push({ change: editOf(input, item, known, body), entry: item.entry, label });
        continue;
      }
      stage = 'archive';
      const published = publishedOf(item.entry, input.now);
      const folder = articleDayFolder(input.source.id, published, input.timeZone);
      const before = (input.folderCounts.get(folder) ?? 0) + (allocated.get(folder) ?? 0);
      const path = articlePath(input.source.id, published, item.id, input.timeZone, overflowFor(before));
      allocated.set(folder, (allocated.get(folder) ?? 0) + 1);
      plan.added.push({ change: newArticle(input, item, body, published, path), entry: item.entry, label });
    } catch (error) {
      plan.failures.push({ label, error: toErrorInfo(error, stage) });
    }
  }
  return plan;
}

/** AssembledBody is an item's cleaned body, its title and what the raw item keeps of it. */
interface AssembledBody {
  link: string;
  title: string;
  column?: string;
  html: string;
  method: string;
  received: ReceivedItem;
}

function assembleBody(input: PlanInput, item: IdentifiedEntry, known: KnownArticle | undefined): AssembledBody {
  const { entry } = item;
  const link = itemLink(item, known, input.source.url);
  const feedHtml = entry.content ?? entry.summary ?? '';
  // Only a new article reads its page; an edit takes the feed's new body.
  const page = known ? undefined : input.pages.get(item.key);
  const usePage = page !== undefined && visibleText(page.html).length > visibleText(feedHtml).length;
  const bodyHtml = usePage ? page.html : feedHtml;
  const method = usePage ? page.method : 'feed';
  const cleaned = cleanArticle(bodyHtml, { url: link, sourceId: input.source.id });
  // Title rules (site suffix, column) shape what is shown; the identity and content hash keep the feed's title.
  const { title, column } = cleanTitle(entry.title ?? (usePage ? page.title : undefined) ?? '', input.source.id);
  const received: ReceivedItem = usePage ? { entry, extracted: { html: bodyHtml, method, url: link } } : { entry };
  return { link, title: title || visibleText(cleaned.html).slice(0, 40) || '(untitled)', column, html: cleaned.html, method, received };
}

function editOf(input: PlanInput, item: IdentifiedEntry, known: KnownArticle, body: AssembledBody): ArticleChange {
  const { entry } = item;
  const article: Article = {
    ...known,
    sourceId: input.source.id,
    title: body.title,
    ...(body.column === undefined ? {} : { column: body.column }),
    url: body.link,
    bodyHtml: body.html,
    contentHash: item.contentHash,
    version: known.version + 1,
    updated: entry.updated ?? input.now,
    lastSeen: input.now,
    authors: authorNames(entry),
    categories: entry.categories,
  };
  return { kind: 'edit', article, raw: rawItemOf(article.id, article.version, body.received, input.fetchedFrom) };
}

function newArticle(input: PlanInput, item: IdentifiedEntry, body: AssembledBody, published: number, path: string): ArticleChange {
  const { entry } = item;
  const article: Article = {
    id: item.id,
    sourceId: input.source.id,
    key: item.key,
    url: body.link,
    canonicalUrl: item.canonicalUrl ?? body.link,
    guid: item.guid,
    title: body.title,
    ...(body.column === undefined ? {} : { column: body.column }),
    bodyHtml: body.html,
    published,
    dateMissing: entry.published === undefined && entry.updated === undefined,
    updated: entry.updated,
    firstSeen: input.now,
    contentHash: item.contentHash,
    version: 1,
    path,
    method: body.method,
    authors: authorNames(entry),
    categories: entry.categories,
    lastSeen: input.now,
  };
  return { kind: 'new', article, raw: rawItemOf(article.id, 1, body.received, input.fetchedFrom) };
}
