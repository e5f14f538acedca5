/**
 * The pure middle of a sync: from a feed's identified entries, what the store already knows of them
 * and the pages already read, decide every change. No I/O and no clock: the same input always gives
 * the same plan, so a unit test drives it without a server or a database.
 */
import { LIMITS, capText, type Article, type Entry, type ErrorInfo, type KnownArticle, type Source, type SuspectReason, type SuspectVersion } from '../model/index.js';
import type { ArticleChange } from '../ports.js';
import type { IdentifiedEntry } from '../identity/index.js';
import { publicUrl, type Stage } from '../errors.js';
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
  /** True when the feed document had to be recovered (FeedDoc.recovered): none of its edits is trusted. */
  recovered?: boolean;
  /** Current title and body of the known articles whose entry has a new content hash (see `readStored`). */
  current?: Map<string, CurrentVersion>;
  /** Cap on a title's characters (default `LIMITS.titleChars`). */
  titleChars?: number;
  /**
   * Bodies already cleaned (an import cleans on another thread, ahead of the plan): what
   * `cleanArticle` gives for a body at a link, or undefined to clean it here.
   */
  cleaned?: (html: string, url: string) => string | undefined;
}

/** CurrentVersion is what an edit is compared with to tell a degraded feed from a real edit. */
export interface CurrentVersion {
  title: string;
  bodyHtml: string;
}

/**
 * SUSPECT_TEXT_RATIO: a new version with less visible text than this share of the current one's is
 * suspect. Real corrections rarely drop more than a paragraph; a feed cut mid-item drops the rest.
 */
export const SUSPECT_TEXT_RATIO = 0.6;

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
  /** Ids of known articles seen again with the same content hash (or their pending suspect's, in a recovered feed). */
  unchanged: string[];
  /** New versions held back as suspect, in feed order: stored, not current (their articles are seen too). */
  suspects: SuspectVersion[];
  /** Ids of articles whose current version was seen again while a suspect version was pending: the suspect is refuted. */
  dismissed: string[];
  failures: ItemFailure[];
  /** What the plan changed to keep an item small (a title cut), for the report. */
  warnings: string[];
}

/** itemLabel names an entry in reports: its link, else its id or title. */
export function itemLabel(entry: Entry): string {
  return entry.link ?? entry.id ?? entry.title ?? '?';
}

/**
 * itemLink is the link an article gets: the entry's own, else the stored article's, else the
 * source's. A fallback is written to files, pages and feeds, so it is the public form of the URL
 * (see `publicUrl`): never the credentials or the token of the configured feed URL. Only the link
 * changes; the key of an entry without a link never came from it.
 */
export function itemLink(item: IdentifiedEntry, known: KnownArticle | undefined, sourceUrl: string): string {
  return item.url ?? publicUrl(known?.url ?? sourceUrl);
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
 * keepNewest caps a feed's entries at `max`, keeping the newest (by published, else updated date;
 * an undated entry counts as older than any dated one, and ties keep feed order) in feed order.
 *
 * @example
 * keepNewest(entries, 5000).length // at most 5,000
 */
export function keepNewest<T extends Pick<Entry, 'published' | 'updated'>>(entries: T[], max: number): T[] {
  if (entries.length <= max) return entries;
  const time = (entry: T): number => entry.published ?? entry.updated ?? Number.NEGATIVE_INFINITY;
  const order = entries.map((entry, index) => ({ time: time(entry), index }));
  order.sort((a, b) => (b.time === a.time ? a.index - b.index : b.time > a.time ? 1 : -1));
  const kept = new Set(order.slice(0, Math.max(0, max)).map((item) => item.index));
  return entries.filter((_, index) => kept.has(index));
}

/**
 * planChanges decides, for every entry of a feed: unchanged (known key, same content hash), edited
 * (known key, new hash: the next version, same id and path) or new (its path allocated in feed
 * order, after the paths already stored in its day folder). A new entry's body is its article
 * page's when the page holds more text than the feed. An entry that fails is an ItemFailure with
 * the stage that failed; the others are planned all the same.
 *
 * An edit is held back as a suspect version when its visible text is empty or under
 * SUSPECT_TEXT_RATIO of the current one's, or when the feed was recovered. Seeing the suspect's
 * content hash again in a clean feed promotes it (a normal edit); seeing the current hash again
 * dismisses it; seeing it again in a recovered feed changes nothing. Titles are cut to `titleChars`.
 *
 * @example
 * const plan = planChanges({ source, entries, known: new Map(), folderCounts: new Map(), pages: new Map(), now, timeZone: 'Asia/Shanghai', fetchedFrom: source.url });
 * plan.added.length // every entry is new in an empty store
 */
export function planChanges(input: PlanInput): SyncPlan {
  const plan: SyncPlan = { added: [], edited: [], unchanged: [], suspects: [], dismissed: [], failures: [], warnings: [] };
  const allocated = new Map<string, number>();
  for (const item of input.entries) {
    const known = input.known.get(item.key);
    if (known && known.contentHash === item.contentHash) {
      plan.unchanged.push(known.id);
      if (known.suspectHash !== undefined) plan.dismissed.push(known.id);
      continue;
    }
    const confirmsSuspect = known !== undefined && known.suspectHash === item.contentHash;
    if (confirmsSuspect && input.recovered === true) {
      plan.unchanged.push(known.id);
      continue;
    }
    const label = itemLabel(item.entry);
    let stage: Stage = 'clean';
    try {
      const body = assembleBody(input, item, known);
      if (body.fullTitleChars !== undefined) plan.warnings.push(`limits: title of item ${capText(label, 200)} cut from ${body.fullTitleChars} to ${body.title.length} characters`);
      if (known) {
        const reason = confirmsSuspect ? undefined : suspectReason(input, known, body);
        if (reason === undefined) plan.edited.push({ change: editOf(input, item, known, body), entry: item.entry, label });
        else plan.suspects.push(suspectOf(input, item, known, body, reason));
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
  /** The title's length before the cap, when it was cut. */
  fullTitleChars?: number;
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
  const html = input.cleaned?.(bodyHtml, link) ?? cleanArticle(bodyHtml, { url: link, sourceId: input.source.id }).html;
  // Title rules (site suffix, column) shape what is shown; the identity and content hash keep the feed's title.
  const { title: ruled, column } = cleanTitle(entry.title ?? (usePage ? page.title : undefined) ?? '', input.source.id);
  const fullTitle = ruled || visibleText(html).slice(0, 40) || '(untitled)';
  const title = capText(fullTitle, input.titleChars ?? LIMITS.titleChars);
  const received: ReceivedItem = usePage ? { entry, extracted: { html: bodyHtml, method, url: link } } : { entry };
  return { link, title, column, html, method, received, ...(title === fullTitle ? {} : { fullTitleChars: fullTitle.length }) };
}

function suspectReason(input: PlanInput, known: KnownArticle, body: AssembledBody): SuspectReason | undefined {
  if (input.recovered === true) return 'recovered';
  const current = input.current?.get(known.id);
  const before = current === undefined ? 0 : visibleText(current.bodyHtml).length;
  if (before === 0) return undefined;
  const after = visibleText(body.html).length;
  if (after === 0) return 'empty';
  return after < before * SUSPECT_TEXT_RATIO ? 'shorter' : undefined;
}

function suspectOf(input: PlanInput, item: IdentifiedEntry, known: KnownArticle, body: AssembledBody, reason: SuspectReason): SuspectVersion {
  return {
    articleId: known.id,
    sourceId: input.source.id,
    title: body.title,
    bodyHtml: body.html,
    contentHash: item.contentHash,
    reason,
    seenAt: input.now,
    entryJson: rawItemOf(known.id, known.version, body.received, input.fetchedFrom).entryJson,
    fetchedFrom: input.fetchedFrom,
  };
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
