import type { Article, Entry, ErrorInfo, RunReport, Source, SourceReport, SourceState } from '../model/index.js';
import type { ArchiveWriter, ArticleChange, Clock, HttpClient, ImageMirror, Logger, SearchIndex, Store } from '../ports.js';
import { NewsmirrorError, errorMessage, isNewsmirrorError, type Stage } from '../errors.js';
import { parseFeed } from '../parse/index.js';
import { decodeText } from '../decode/index.js';
import { planIdentity, type IdentifiedEntry } from '../identity/index.js';
import { cleanArticle } from '../clean/index.js';
import { extractArticle } from '../extract/index.js';
import { articleDayFolder, articlePath, monthOfArticlePath, overflowFor, monthRange, renderArticleFile, renderMonthList, renderSourceList, renderArchiveReadme, LIST_LIMIT } from '../render/index.js';
import { mapLimit } from '../concurrency.js';
import { assessHealth } from './health.js';
import { renderStatus } from '../render/status.js';
import { DEFAULT_MIN_INTERVAL_MS, parseCacheControlMaxAge, planNextCheck } from '../schedule/index.js';
import { needsFullText } from './fulltext.js';
import { visibleText } from '../html/index.js';

/** PipelineDeps are the ports and settings one sync works with. */
export interface PipelineDeps {
  http: HttpClient;
  store: Store;
  archive: ArchiveWriter;
  clock: Clock;
  logger: Logger;
  timeZone: string;
  /** Mirrors images into the archive; absent when `media.enabled` is false. */
  media?: ImageMirror;
  /** Full-text index kept in step with the article files; absent when not wanted. */
  search?: SearchIndex;
  /** Bounds on how often a source is checked (the scheduler adapts within them). */
  schedule?: { minIntervalMs?: number; maxIntervalMs?: number };
}

/** SyncProgress is emitted as sources start and finish, for live display. */
export type SyncProgress = { type: 'start'; sourceId: string } | { type: 'done'; report: SourceReport };

const FILE_WRITES_IN_FLIGHT = 16;
// Items of one feed processed at once: page fetches and image downloads overlap, CPU work does not.
const ITEMS_IN_FLIGHT = 4;

const FEED_ACCEPT = 'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5';
const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5';

function emptyReport(sourceId: string): SourceReport {
  return { sourceId, status: 'ok', fetchedItems: 0, newArticles: 0, editedArticles: 0, unchangedArticles: 0, failedItems: 0, errors: [], warnings: [], durationMs: 0 };
}

function toErrorInfo(error: unknown, stage: Stage): ErrorInfo {
  if (isNewsmirrorError(error)) return { code: error.code, stage: error.stage, message: error.message };
  return { code: 'internal', stage, message: `${stage}: ${errorMessage(error)}` };
}

/**
 * ReceivedItem is what the store keeps as the raw item: the entry as parsed, and the page's extracted
 * HTML when the body came from the article page, so cleaning can be re-run without refetching.
 */
export interface ReceivedItem {
  entry: Entry;
  extracted?: { html: string; method: string; url: string };
}

/** ItemOutcome is what processing one feed entry decided. */
type ItemOutcome = { kind: 'unchanged'; id: string } | { kind: 'change'; change: ArticleChange };

/**
 * syncSource runs one source through fetch → decode → parse → identify → full text → clean → store →
 * archive files. It never throws for the source's own failures: they end up in the report, with
 * the source's health saved, and nothing already stored is lost.
 */
export async function syncSource(deps: PipelineDeps, source: Source): Promise<SourceReport> {
  const { clock, store, logger } = deps;
  const started = clock.now();
  const report = emptyReport(source.id);
  const previous = await store.getSourceState(source.id);
  const state: SourceState = { consecutiveFailures: 0, ...previous, sourceId: source.id, lastAttemptAt: started };

  const fail = async (error: unknown, stage: Stage): Promise<SourceReport> => {
    const info = toErrorInfo(error, stage);
    report.status = 'failed';
    report.errors.push(info);
    state.lastErrorCode = info.code;
    state.lastError = info.message;
    state.consecutiveFailures += 1;
    state.nextCheckAt = (await planSchedule(deps, source, state, { retryAfterMs: isNewsmirrorError(error) ? error.retryAfterMs : undefined })).nextCheckAt;
    await store.saveSourceState(state);
    logger.error(info.message, { source_id: source.id, code: info.code, stage: info.stage });
    report.durationMs = clock.now() - started;
    return report;
  };

  try {
    await flushPendingFiles(deps, source);
  } catch (error) {
    return fail(error, 'archive');
  }

  let response;
  try {
    response = await deps.http.get({ url: source.url, sourceId: source.id, etag: state.etag, lastModified: state.lastModified, accept: FEED_ACCEPT });
  } catch (error) {
    return fail(error, 'fetch');
  }

  const hints: ScheduleHints = { cacheMaxAgeSeconds: parseCacheControlMaxAge(response.headers['cache-control']) };
  const succeed = async (): Promise<SourceReport> => {
    state.lastSuccessAt = clock.now();
    state.consecutiveFailures = 0;
    if (report.failedItems > 0) {
      state.lastErrorCode = 'bad-item';
      state.lastError = `${report.failedItems} item(s) failed: ${report.errors[0]?.message ?? ''}`;
    } else {
      delete state.lastErrorCode;
      delete state.lastError;
    }
    state.nextCheckAt = (await planSchedule(deps, source, state, hints)).nextCheckAt;
    await store.saveSourceState(state);
    report.durationMs = clock.now() - started;
    return report;
  };

  if (response.notModified) {
    report.status = 'not-modified';
    return succeed();
  }

  let entries: Entry[];
  try {
    const doc = parseFeed(response.body, { url: response.url, contentType: response.headers['content-type'], headers: response.headers, encoding: source.encoding });
    entries = doc.entries;
    hints.ttlMinutes = doc.ttl;
    for (const warning of doc.warnings) report.warnings.push(`parse: ${warning}`);
  } catch (error) {
    return fail(isNewsmirrorError(error) ? error : new NewsmirrorError('not-a-feed', 'parse', errorMessage(error), { sourceId: source.id, url: source.url, cause: error }), 'parse');
  }
  report.fetchedItems = entries.length;

  const now = clock.now();
  let changes: ArticleChange[];
  const unchanged: string[] = [];
  try {
    const plan = planIdentity(source.id, entries, source.guidPolicy, state.guidPolicy, { baseUrl: response.url });
    state.guidPolicy = plan.policy;
    for (const duplicate of plan.duplicates) {
      report.warnings.push(`identify: item ${duplicate.index} repeats the key of item ${duplicate.keptIndex} (${duplicate.key}); kept once`);
    }
    const known = await store.findByKeys(source.id, plan.entries.map((item) => item.key));
    const folderCounts: FolderCounts = { stored: new Map(), allocated: new Map() };
    const outcomes = await mapLimit(plan.entries, ITEMS_IN_FLIGHT, async (item): Promise<ItemOutcome | undefined> => {
      try {
        return await processItem(deps, source, item, known.get(item.key), now, folderCounts, response.url);
      } catch (error) {
        report.failedItems += 1;
        const info = toErrorInfo(error, 'clean');
        report.errors.push({ ...info, message: `${info.message} (item ${item.entry.link ?? item.entry.id ?? item.entry.title ?? '?'})` });
        return undefined;
      }
    });
    changes = [];
    for (const outcome of outcomes) {
      if (!outcome) continue;
      if (outcome.kind === 'unchanged') unchanged.push(outcome.id);
      else changes.push(outcome.change);
    }
  } catch (error) {
    return fail(error, 'identify');
  }

  try {
    await store.applyChanges(changes);
    if (unchanged.length > 0) await store.touchSeen(unchanged, now);
  } catch (error) {
    return fail(error, 'store');
  }
  report.newArticles = changes.filter((change) => change.kind === 'new').length;
  report.editedArticles = changes.length - report.newArticles;
  report.unchangedArticles = unchanged.length;

  try {
    await flushPendingFiles(deps, source);
  } catch (error) {
    return fail(error, 'archive');
  }
  state.etag = response.etag;
  state.lastModified = response.lastModified;
  return succeed();
}

function authorNames(entry: Entry): string[] {
  return entry.authors.map((person) => person.name ?? person.email ?? '').filter(Boolean);
}

async function processItem(
  deps: PipelineDeps,
  source: Source,
  item: IdentifiedEntry,
  existing: Article | undefined,
  now: number,
  folderCounts: FolderCounts,
  fetchedFrom: string,
): Promise<ItemOutcome> {
  const { entry, contentHash: hash } = item;
  if (existing && existing.contentHash === hash) return { kind: 'unchanged', id: existing.id };

  const link = item.url ?? existing?.url ?? source.url;
  const feedHtml = entry.content ?? entry.summary ?? '';
  let bodyHtml = feedHtml;
  let method = 'feed';
  let pageTitle: string | undefined;
  if (!existing && needsFullText(entry, source.fulltext)) {
    const page = await fetchFullText(deps, source, link);
    if (page && visibleText(page.html).length > visibleText(feedHtml).length) {
      bodyHtml = page.html;
      method = page.method;
      pageTitle = page.title;
    }
  }
  const cleaned = cleanArticle(bodyHtml, { url: link, sourceId: source.id });
  const title = (entry.title ?? pageTitle ?? '').trim() || visibleText(cleaned.html).slice(0, 40) || '(untitled)';
  const received: ReceivedItem = method === 'feed' ? { entry } : { entry, extracted: { html: bodyHtml, method, url: link } };
  const raw = { entryJson: JSON.stringify(received), fetchedFrom };

  if (existing) {
    const article: Article = {
      ...existing,
      title,
      url: link,
      bodyHtml: await mirrorImages(deps, source, existing.id, existing.path, cleaned.html, entry),
      contentHash: hash,
      version: existing.version + 1,
      updated: entry.updated ?? now,
      lastSeen: now,
      authors: authorNames(entry),
      categories: entry.categories,
    };
    return { kind: 'change', change: { kind: 'edit', article, raw: { ...raw, articleId: article.id, version: article.version } } };
  }

  const id = item.id;
  const dateMissing = entry.published === undefined && entry.updated === undefined;
  const published = entry.published ?? entry.updated ?? now;
  const path = await allocatePath(deps, source.id, published, id, folderCounts);
  const bodyWithImages = await mirrorImages(deps, source, id, path, cleaned.html, entry);
  const article: Article = {
    id,
    sourceId: source.id,
    key: item.key,
    url: link,
    canonicalUrl: item.canonicalUrl ?? link,
    guid: item.guid,
    title,
    bodyHtml: bodyWithImages,
    published,
    dateMissing,
    updated: entry.updated,
    firstSeen: now,
    contentHash: hash,
    version: 1,
    path,
    method,
    authors: authorNames(entry),
    categories: entry.categories,
    lastSeen: now,
  };
  return { kind: 'change', change: { kind: 'new', article, raw: { ...raw, articleId: id, version: 1 } } };
}

/** ScheduleHints are what the last exchange with the server said about when to come back. */
interface ScheduleHints {
  retryAfterMs?: number;
  cacheMaxAgeSeconds?: number;
  ttlMinutes?: number;
}

const RECENT_FOR_CADENCE = 20;

/** planSchedule decides the source's next check from its health, the server's hints and its publishing rhythm. */
async function planSchedule(deps: PipelineDeps, source: Source, state: SourceState, hints: ScheduleHints) {
  const recent = await deps.store.listArticles(source.id, { limit: RECENT_FOR_CADENCE });
  return planNextCheck({
    now: deps.clock.now(),
    baseIntervalMs: source.intervalMinutes * 60_000,
    minIntervalMs: Math.min(deps.schedule?.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS, source.intervalMinutes * 60_000),
    maxIntervalMs: deps.schedule?.maxIntervalMs,
    consecutiveFailures: state.consecutiveFailures,
    ...hints,
    recentPublishTimes: recent.filter((item) => !item.dateMissing).map((item) => item.published),
  });
}

/** mirrorImages mirrors a cleaned body's images when media mirroring is on, and returns the body to store. */
export async function mirrorImages(deps: PipelineDeps, source: Source, articleId: string, articlePath: string, html: string, entry?: Entry): Promise<string> {
  if (!deps.media) return html;
  const enclosures = entry?.enclosures.filter((enclosure) => enclosure.type?.startsWith('image/') ?? /\.(?:jpe?g|png|gif|webp|avif)(?:[?#]|$)/i.test(enclosure.url));
  const result = await deps.media.mirrorArticleImages({ sourceId: source.id, articleId, articlePath, html, enclosures, referer: source.referer });
  return result.html;
}

/**
 * retryMissingImages re-runs mirroring for articles whose images failed earlier and are due again;
 * an image that arrives changes the file (the body of the same version), never the version.
 */
export async function retryMissingImages(deps: PipelineDeps, sources: Source[]): Promise<number> {
  if (!deps.media) return 0;
  const byId = new Map(sources.map((source) => [source.id, source]));
  const touched = new Set<Source>();
  let updated = 0;
  for (const id of await deps.media.retryPending(deps.clock.now())) {
    const article = await deps.store.getArticle(id);
    const source = article && byId.get(article.sourceId);
    if (!article || !source) continue;
    const html = await mirrorImages(deps, source, article.id, article.path, article.bodyHtml);
    if (html === article.bodyHtml) continue;
    await deps.store.updateBody(article.id, html, article.method);
    touched.add(source);
    updated++;
  }
  for (const source of touched) await flushPendingFiles(deps, source);
  return updated;
}

/** FolderCounts tracks, per day folder, the paths stored before this sync and those allocated during it. */
interface FolderCounts {
  stored: Map<string, Promise<number>>;
  allocated: Map<string, number>;
}

async function allocatePath(deps: PipelineDeps, sourceId: string, published: number, id: string, counts: FolderCounts): Promise<string> {
  const folder = articleDayFolder(sourceId, published, deps.timeZone);
  let stored = counts.stored.get(folder);
  if (!stored) {
    stored = deps.store.countPathsUnder(folder);
    counts.stored.set(folder, stored);
  }
  const before = await stored;
  // Items run concurrently: the increment happens after the await, so no two items get the same slot.
  const allocated = counts.allocated.get(folder) ?? 0;
  counts.allocated.set(folder, allocated + 1);
  return articlePath(sourceId, published, id, deps.timeZone, overflowFor(before + allocated));
}

async function fetchFullText(deps: PipelineDeps, source: Source, url: string): Promise<{ html: string; method: string; title?: string } | undefined> {
  try {
    const response = await deps.http.get({ url, sourceId: source.id, accept: PAGE_ACCEPT });
    if (response.notModified) return undefined;
    const { text } = decodeText(response.body, { contentType: response.headers['content-type'], kind: 'html' });
    const extracted = extractArticle(text, response.url);
    if (extracted.method === 'none' || extracted.html === '') return undefined;
    return { html: extracted.html, method: extracted.method, title: extracted.title };
  } catch (error) {
    deps.logger.warn(`extract: ${errorMessage(error)}`, { source_id: source.id, url });
    return undefined;
  }
}

/**
 * flushPendingFiles writes every article file the store marks pending, then the lists that show
 * them and their search entries, and only then clears the marks: a run killed anywhere in between is
 * completed by the next.
 */
export async function flushPendingFiles(deps: PipelineDeps, source: Pick<Source, 'id' | 'name'>): Promise<Article[]> {
  const ids = await deps.store.listPendingFiles(source.id);
  if (ids.length === 0) return [];
  // Each write fsyncs; several in flight keep the disk busy instead of waiting on one file at a time.
  const articles = await mapLimit(ids, FILE_WRITES_IN_FLIGHT, async (id) => {
    const article = await deps.store.getArticle(id);
    if (article) await deps.archive.write(article.path, renderArticleFile(article));
    return article;
  });
  const written = articles.filter((article): article is Article => article !== undefined);
  await writeSourceLists(deps, source, written);
  await deps.search?.index(written);
  await deps.store.markFilesWritten(ids);
  return written;
}

/** writeSourceLists rewrites a source's list and the monthly lists of the months that changed. */
export async function writeSourceLists(deps: PipelineDeps, source: Pick<Source, 'id' | 'name'>, changed: Article[] | 'all'): Promise<void> {
  const months = await deps.store.listPathMonths(source.id);
  const newest = await deps.store.listArticles(source.id, { limit: LIST_LIMIT });
  await deps.archive.write(`lists/${source.id}.md`, renderSourceList(source, newest, months, deps.timeZone));
  const touched = changed === 'all' ? new Set(months) : new Set(changed.map((article) => monthOfArticlePath(article.path)));
  for (const month of touched) {
    if (!month) continue;
    const prefix = `articles/${source.id}/${month.replace('-', '/')}/`;
    const items = (await deps.store.listArticles(source.id, monthRange(month, deps.timeZone))).filter((item) => item.path.startsWith(prefix));
    await deps.archive.write(`lists/${source.id}/${month}.md`, renderMonthList(source, month, items, deps.timeZone));
  }
}

async function healthRows(deps: PipelineDeps, sources: Pick<Source, 'id' | 'name'>[]) {
  const now = deps.clock.now();
  const summaries = new Map((await deps.store.summarizeSources(now)).map((summary) => [summary.sourceId, summary]));
  const states = new Map((await deps.store.listSourceStates()).map((state) => [state.sourceId, state]));
  return Promise.all(
    sources.map(async (source) => {
      const state = states.get(source.id);
      const summary = summaries.get(source.id) ?? { sourceId: source.id, articleCount: 0, articlesLast24h: 0 };
      const recent = await deps.store.listArticles(source.id, { limit: RECENT_FOR_CADENCE });
      const health = assessHealth(state, summary, now, recent.filter((item) => !item.dateMissing).map((item) => item.published));
      return { id: source.id, name: source.name, summary, health, state, lastError: state?.lastError };
    }),
  );
}

/** writeArchiveReadme renders the archive's root README (sources, counts, newest article, health) from the store. */
export async function writeArchiveReadme(deps: PipelineDeps, sources: Pick<Source, 'id' | 'name'>[]): Promise<void> {
  await deps.archive.write('README.md', renderArchiveReadme(await healthRows(deps, sources), { timeZone: deps.timeZone }));
}

/**
 * writeStatusFile renders STATUS.md (last success, newest item, last 24 hours, missing images, current
 * error). It changes with every fetch, so it is written just before a publish rather than by each
 * sync: a sync with nothing new then writes no file at all.
 */
export async function writeStatusFile(deps: PipelineDeps, sources: Pick<Source, 'id' | 'name'>[]): Promise<void> {
  const missing = (await deps.media?.missingImagesBySource()) ?? new Map<string, number>();
  const rows = (await healthRows(deps, sources)).map((row) => ({ ...row, missingImages: missing.get(row.id) ?? 0 }));
  await deps.archive.write('STATUS.md', renderStatus(rows, deps.timeZone));
}

/** syncAll syncs every given source under a concurrency limit and returns the run's report. */
export async function syncAll(
  deps: PipelineDeps,
  sources: Source[],
  options: { concurrency: number; runId: string; onProgress?: (event: SyncProgress) => void; signal?: AbortSignal },
): Promise<RunReport> {
  const startedAt = deps.clock.now();
  const outcomes = await mapLimit(sources, options.concurrency, async (source): Promise<SourceReport | undefined> => {
    // A stop request lets the sources in flight finish their writes and starts no new one.
    if (options.signal?.aborted) return undefined;
    options.onProgress?.({ type: 'start', sourceId: source.id });
    let report: SourceReport;
    try {
      report = await syncSource(deps, source);
    } catch (error) {
      report = { ...emptyReport(source.id), status: 'failed', errors: [toErrorInfo(error, 'store')] };
    }
    options.onProgress?.({ type: 'done', report });
    return report;
  });
  const reports = outcomes.filter((report): report is SourceReport => report !== undefined);
  try {
    if (!options.signal?.aborted) await retryMissingImages(deps, sources);
  } catch (error) {
    deps.logger.warn(`media: retry of missing images failed: ${errorMessage(error)}`);
  }
  const run: RunReport = { id: options.runId, startedAt, finishedAt: deps.clock.now(), sources: reports };
  await writeArchiveReadme(deps, sources);
  await deps.store.saveRunReport(run);
  return run;
}
