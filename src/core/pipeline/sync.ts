/**
 * One sync of one source, in three parts: read what the source serves and what the store holds
 * (read.ts), decide every change without I/O (plan.ts), then write it (apply.ts: the store in one
 * transaction, then the files) and queue its images (media.ts), which the run drains at its end.
 * Each part throws or records errors with the stage they come from, and this file only puts the
 * parts in order and keeps the source's health.
 */
import type { Article, Entry, RunReport, Source, SourceReport, SourceState } from '../model/index.js';
import type { ImageDrainReport } from '../ports.js';
import { errorMessage, isNewsmirrorError } from '../errors.js';
import { planIdentity } from '../identity/index.js';
import { DEFAULT_MIN_INTERVAL_MS, planNextCheck } from '../schedule/index.js';
import { mapLimit } from '../concurrency.js';
import type { PipelineDeps } from './deps.js';
import { atStage, toErrorInfo } from './stage.js';
import { readPages, readSource, readStored, type ScheduleHints } from './read.js';
import { planChanges, type ItemFailure } from './plan.js';
import { drainImages, queueImages } from './media.js';
import { applyPlan, flushPendingFiles } from './apply.js';
import { writeArchiveReadme } from './archive-pages.js';
import { RECENT_PUBLISH_TIMES } from './health.js';

/** SyncProgress is emitted as sources start and finish, for live display. */
export type SyncProgress = { type: 'start'; sourceId: string } | { type: 'done'; report: SourceReport };

function emptyReport(sourceId: string): SourceReport {
  return {
    sourceId,
    status: 'ok',
    fetchedItems: 0,
    newArticles: 0,
    editedArticles: 0,
    unchangedArticles: 0,
    failedItems: 0,
    suspectVersions: 0,
    recovered: false,
    errors: [],
    warnings: [],
    durationMs: 0,
  };
}

/**
 * syncSource runs one source through fetch → decode → parse → identify → full text → clean → store →
 * archive files → image queue. It never throws for the source's own failures: they end up in the
 * report, with the source's health saved, and nothing already stored is lost.
 */
export async function syncSource(deps: PipelineDeps, source: Source): Promise<SourceReport> {
  const { clock, store, logger } = deps;
  const started = clock.now();
  const report = emptyReport(source.id);
  const previous = await store.readSourceState(source.id);
  const state: SourceState = { consecutiveFailures: 0, ...previous.state, sourceId: source.id, lastAttemptAt: started };

  // A compare-and-set on the version read: a sync whose lease ran out while another worker synced
  // the source saves nothing over that worker's ETag, failure count and next check.
  const saveState = async (): Promise<void> => {
    if (await store.saveSourceState(state, { ifVersion: previous.version })) return;
    const message = `state: another sync saved this source's state meanwhile; this sync's state (ETag, failures, next check) is dropped`;
    report.warnings.push(message);
    logger.warn(message, { source_id: source.id });
  };

  const fail = async (error: unknown): Promise<SourceReport> => {
    // Every step throws errors labelled by atStage; 'store' only names what escapes a step unlabelled.
    const info = toErrorInfo(error, 'store');
    report.status = 'failed';
    report.errors.push(info);
    state.lastErrorCode = info.code;
    state.lastError = info.message;
    state.consecutiveFailures += 1;
    state.nextCheckAt = (await planSchedule(deps, source, state, { retryAfterMs: isNewsmirrorError(error) ? error.retryAfterMs : undefined })).nextCheckAt;
    await saveState();
    logger.error(info.message, { source_id: source.id, code: info.code, stage: info.stage });
    report.durationMs = clock.now() - started;
    return report;
  };

  const succeed = async (hints: ScheduleHints): Promise<SourceReport> => {
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
    await saveState();
    report.durationMs = clock.now() - started;
    return report;
  };

  let stored: StoredFeed;
  try {
    // What an earlier run left pending is written before anything new is planned over it.
    await atStage('archive', () => flushPendingFiles(deps, source));
    stored = await readAndStore(deps, source, state, report);
  } catch (error) {
    return fail(error);
  }
  if (stored.notModified) {
    report.status = 'not-modified';
    return succeed(stored.hints);
  }
  try {
    await atStage('archive', () => flushPendingFiles(deps, source));
    // Images never hold the text back: they are queued once the files are written (see media.ts).
    report.warnings.push(...(await queueImages(deps, source, stored.images)));
  } catch (error) {
    return fail(error);
  }
  state.etag = stored.etag;
  state.lastModified = stored.lastModified;
  return succeed(stored.hints);
}

/**
 * StoredFeed is what is left of a fetched feed once its changes are in the store: the validators and
 * hints for the source's state, and the changed articles whose images are to be queued.
 */
type StoredFeed =
  | { notModified: true; hints: ScheduleHints }
  | { notModified: false; hints: ScheduleHints; etag?: string; lastModified?: string; images: { article: Article; entry?: Entry }[] };

/**
 * readAndStore fetches, parses, identifies, plans and stores one source's feed, recording counts and
 * warnings in `report`. It is its own function so that the feed, its entries and the plan are
 * garbage once it returns: the file writes that follow would otherwise keep every source's whole
 * feed alive while they wait on the disk, and the old generation grows with the sources in flight.
 */
async function readAndStore(deps: PipelineDeps, source: Source, state: SourceState, report: SourceReport): Promise<StoredFeed> {
  const { clock, logger } = deps;
  const feed = await readSource(deps, source, state);
  if (feed.notModified) return feed;
  report.warnings.push(...feed.warnings);
  report.fetchedItems = feed.entries.length;
  report.recovered = feed.recovered;
  if (feed.recovered) report.warnings.push('recovered: the feed document was malformed or cut off and had to be recovered; its edits are held back as suspect');

  const now = clock.now();
  const identity = await atStage('identify', () => planIdentity(source.id, feed.entries, source.guidPolicy, state.guidPolicy, { baseUrl: feed.fetchedFrom }));
  state.guidPolicy = identity.policy;
  for (const duplicate of identity.duplicates) {
    report.warnings.push(`identify: item ${duplicate.index} repeats the key of item ${duplicate.keptIndex} (${duplicate.key}); kept once`);
  }
  const stored = await atStage('store', () => readStored(deps, source.id, identity.entries, now));
  const { pages, failures: pageFailures } = await readPages(deps, source, identity.entries, stored.known);
  for (const failure of pageFailures) {
    // The item keeps its feed body: a warning, not a failed item.
    report.warnings.push(`${failure.error.message} (item ${failure.url})`);
    logger.warn(failure.error.message, { source_id: source.id, url: failure.url, code: failure.error.code, stage: failure.error.stage });
  }

  const plan = await atStage('clean', () =>
    planChanges({
      source,
      entries: identity.entries,
      known: stored.known,
      folderCounts: stored.folderCounts,
      pages,
      now,
      timeZone: deps.timeZone,
      fetchedFrom: feed.fetchedFrom,
      recovered: feed.recovered,
      current: stored.current,
      titleChars: deps.limits?.titleChars,
    }),
  );
  recordFailures(report, plan.failures);
  report.warnings.push(...plan.warnings);
  for (const suspect of plan.suspects) report.warnings.push(`suspect: a ${suspect.reason} version of article ${suspect.articleId} is held back; the current text is kept`);

  const changed = [...plan.added, ...plan.edited];
  const seen = [...plan.unchanged, ...plan.suspects.map((suspect) => suspect.articleId)];
  await atStage('store', () => applyPlan(deps, changed.map((item) => item.change), seen, now, { add: plan.suspects, dismiss: plan.dismissed }));
  report.suspectVersions = plan.suspects.length;
  report.newArticles = plan.added.length;
  report.editedArticles = plan.edited.length;
  report.unchangedArticles = plan.unchanged.length;
  return {
    notModified: false,
    hints: feed.hints,
    etag: feed.etag,
    lastModified: feed.lastModified,
    images: changed.map(({ change, entry }) => ({ article: change.article, entry })),
  };
}

function recordFailures(report: SourceReport, failures: ItemFailure[]): void {
  report.failedItems += failures.length;
  for (const failure of failures) report.errors.push({ ...failure.error, message: `${failure.error.message} (item ${failure.label})` });
}

/**
 * syncSourceReported is syncSource for a run of many: what escapes it (a bug, or a store that stops
 * answering) becomes the source's failed report instead of ending the run.
 */
export async function syncSourceReported(deps: PipelineDeps, source: Source): Promise<SourceReport> {
  try {
    return await syncSource(deps, source);
  } catch (error) {
    return { ...emptyReport(source.id), status: 'failed', errors: [toErrorInfo(error, 'store')] };
  }
}

/** reportImages adds the image drain's counts and warnings to the source reports and the log. */
function reportImages(deps: PipelineDeps, reports: SourceReport[], drained: ImageDrainReport | undefined): void {
  if (!drained) return;
  const byId = new Map(reports.map((report) => [report.sourceId, report]));
  for (const [sourceId, images] of drained.bySource) {
    const report = byId.get(sourceId);
    if (report) report.images = images;
  }
  for (const open of drained.openHosts) {
    const message = `media: ${open.host} stopped answering (${open.failures} timeouts or failed connections in a row); its images were not fetched in this run and are retried later`;
    deps.logger.warn(message, { host: open.host });
    for (const sourceId of open.sourceIds) byId.get(sourceId)?.warnings.push(message);
  }
  if (drained.deferred > 0) deps.logger.warn(`media: ${drained.deferred} image(s) not fetched before the drain's deadline; they are retried on the next run`);
  for (const failure of drained.failed) {
    const message = `media: images of article ${failure.articleId}: ${failure.message}`;
    deps.logger.warn(message, { source_id: failure.sourceId });
    byId.get(failure.sourceId)?.warnings.push(message);
  }
}

/** planSchedule decides the source's next check from its health, the server's hints and its publishing rhythm. */
async function planSchedule(deps: PipelineDeps, source: Source, state: SourceState, hints: ScheduleHints) {
  const recent = await deps.store.listArticles(source.id, { limit: RECENT_PUBLISH_TIMES });
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
    const report = await syncSourceReported(deps, source);
    options.onProgress?.({ type: 'done', report });
    return report;
  });
  const reports = outcomes.filter((report): report is SourceReport => report !== undefined);
  const run = await finishRun(deps, sources, reports, { runId: options.runId, startedAt, signal: options.signal });
  await writeArchiveReadme(deps, sources);
  await deps.store.saveRunReport(run);
  return run;
}

/**
 * finishRun ends a run of syncs (of `syncAll`, or of a worker's round of claimed sources): it drains
 * the image queue with the due retries, adds what the drain did to the reports, and returns the
 * run's report for the caller to save.
 */
export async function finishRun(
  deps: PipelineDeps,
  sources: Source[],
  reports: SourceReport[],
  options: { runId: string; startedAt: number; signal?: AbortSignal },
): Promise<RunReport> {
  try {
    reportImages(deps, reports, await drainImages(deps, sources, options.signal));
  } catch (error) {
    deps.logger.warn(`media: the image queue failed: ${errorMessage(error)}`);
  }
  return { id: options.runId, startedAt: options.startedAt, finishedAt: deps.clock.now(), sources: reports };
}
