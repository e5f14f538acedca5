/**
 * One re-check pass, the effectful shell around judgeLook and planCheck: give the articles that left a
 * feed out of order an early check, list the due articles, fetch each page through the sync's HTTP
 * client (its per-host bounds are the politeness budget feeds and images share; conditional GET with
 * the validators of the last check), write each check, then the files, lists and README it changed.
 */
import type { Article, Source } from '../model/index.js';
import type { RecheckStore, RecheckTarget, WorkerLeases } from '../ports.js';
import { errorMessage, isNewsmirrorError } from '../errors.js';
import { decodeText } from '../decode/index.js';
import { mapLimit } from '../concurrency.js';
import { ARTICLES_PER_READ, type PipelineDeps } from '../pipeline/deps.js';
import { flushPendingFiles } from '../pipeline/apply.js';
import { drainImages, queueImages } from '../pipeline/media.js';
import { writeArchiveReadme, writeRemovedList } from '../pipeline/archive-pages.js';
import { REMOVAL_RULES, type RemovalRule } from './rules.js';
import type { RecheckPolicy } from './schedule.js';
import { judgeLook, type PageLook } from './verdict.js';
import { planCheck, planEarlyRechecks, type RemovalEvent } from './plan.js';
import type { RecheckOutcome } from '../model/index.js';

const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5';
const HOUR_MS = 3_600_000;
/** How many of a source's latest-seen articles are looked at for out-of-order departures. */
const PRESENCE_WINDOW = 500;

/** RecheckDeps are the sync's ports plus the re-check store. */
export type RecheckDeps = PipelineDeps & { recheck: RecheckStore };

/** RecheckOptions says which articles one pass checks and how. */
export interface RecheckOptions {
  /** Sources whose articles are checked (the configured ones, or those asked for). */
  sources: Source[];
  /** The schedule and confirmation rule of a source. */
  policyOf(sourceId: string): RecheckPolicy;
  /** Every article whose page was not fetched in the last hour, due or not. */
  all?: boolean;
  /** Most checks in one pass (the rest stay due for the next). */
  limit: number;
  /** Pages fetched at once (the HTTP client bounds each host further). */
  concurrency: number;
  rules?: readonly RemovalRule[];
  signal?: AbortSignal;
  /**
   * A worker's leases (docs/decisions.md D30): each article is checked only under its re-check lease,
   * and not when another worker claimed it after this pass listed it, so workers running passes at
   * the same time share the due articles and none is checked twice.
   */
  leases?: WorkerLeases;
}

/** RecheckReport counts what one pass found and did. */
export interface RecheckReport {
  checked: number;
  outcomes: Record<RecheckOutcome, number>;
  removals: Record<RemovalEvent, number>;
  /** Articles given an early check because they left a feed out of order. */
  early: number;
  failed: { articleId: string; message: string }[];
}

/**
 * recheckArticles runs one pass. It never throws for one article's failure (it is reported); a
 * failure of the store or the archive stops the pass and is thrown.
 */
export async function recheckArticles(deps: RecheckDeps, options: RecheckOptions): Promise<RecheckReport> {
  const report: RecheckReport = {
    checked: 0,
    outcomes: { unchanged: 0, edited: 0, suspect: 0, gone: 0, unreachable: 0 },
    removals: { opened: 0, confirmed: 0, withdrawn: 0 },
    early: 0,
    failed: [],
  };
  const now = deps.clock.now();
  for (const source of options.sources) {
    const presence = await deps.recheck.listPresence(source.id, PRESENCE_WINDOW);
    const early = planEarlyRechecks(presence.articles, source.id, now);
    await deps.recheck.requestEarly(early);
    report.early += early.length;
  }
  const { leases } = options;
  const listedAt = await leases?.work.now();
  const targets = await dueTargets(deps.recheck, options, now);
  const touched = new Set<string>();
  const edited: string[] = [];
  let removalChanged = false;
  for (let start = 0; start < targets.length && options.signal?.aborted !== true; start += ARTICLES_PER_READ) {
    const batch = targets.slice(start, start + ARTICLES_PER_READ);
    const articles = new Map((await deps.store.getArticles(batch.map((target) => target.articleId))).map((article) => [article.id, article]));
    await mapLimit(batch, options.concurrency, async (target) => {
      const article = articles.get(target.articleId);
      if (article === undefined || options.signal?.aborted === true) return;
      if (leases !== undefined) {
        const claim = { kind: 'recheck' as const, owner: leases.owner, keys: [article.id], leaseMs: leases.leaseMs, notClaimedSince: listedAt };
        if ((await leases.work.claim(claim)).length === 0) return;
      }
      try {
        const look = await lookAt(deps, article, target);
        const verdict = judgeLook({ article, pageHash: target.state?.pageHash, look, rules: options.rules ?? REMOVAL_RULES });
        const plan = planCheck({ target, article, look, verdict, now: deps.clock.now(), policy: options.policyOf(article.sourceId) });
        if (plan.change !== undefined) {
          await deps.store.applyChanges([plan.change]);
          edited.push(article.id);
        }
        if (plan.suspect !== undefined) await deps.store.applyChanges([], undefined, { add: [plan.suspect], dismiss: [] });
        await deps.recheck.saveCheck(plan.record);
        report.checked++;
        report.outcomes[verdict.outcome]++;
        if (plan.event !== undefined) report.removals[plan.event]++;
        if (plan.record.markFile || plan.change !== undefined) touched.add(article.sourceId);
        if (plan.event === 'confirmed' || (plan.event === 'withdrawn' && plan.record.markFile)) removalChanged = true;
        if (plan.event !== undefined) deps.logger.info(`recheck: removal ${plan.event}`, { source_id: article.sourceId, url: article.url, rule: verdict.outcome === 'gone' ? verdict.rule : verdict.outcome });
      } catch (error) {
        if (isNewsmirrorError(error) && (error.code === 'store' || error.stage === 'archive')) throw error;
        report.failed.push({ articleId: article.id, message: errorMessage(error) });
      } finally {
        // A lease that cannot be released ends on its own once it expires.
        await leases?.work.release('recheck', leases.owner, [article.id]).catch(() => undefined);
      }
    });
  }
  for (const source of options.sources) if (touched.has(source.id)) await flushPendingFiles(deps, source);
  await mirrorEditedImages(deps, options, edited);
  // A worker leaves the lists and README to the archiver, as it leaves the article files.
  if (removalChanged && deps.filesByArchiver !== true) {
    await writeRemovedList(deps, options.sources);
    await writeArchiveReadme(deps, options.sources);
  }
  return report;
}

/**
 * mirrorEditedImages gives an edit's images what a sync gives a new article's: once the edit's file is
 * written, its images are queued and drained, so a re-checked page never leaves a hotlinked image in
 * the archive. What the drain does not finish stays missing and is retried by later runs.
 */
async function mirrorEditedImages(deps: RecheckDeps, options: RecheckOptions, edited: string[]): Promise<void> {
  if (edited.length === 0 || deps.images === undefined) return;
  const byId = new Map(options.sources.map((source) => [source.id, source]));
  const touched = new Map<string, Source>();
  for (let start = 0; start < edited.length; start += ARTICLES_PER_READ) {
    for (const article of await deps.store.getArticles(edited.slice(start, start + ARTICLES_PER_READ))) {
      const source = byId.get(article.sourceId);
      if (source === undefined) continue;
      touched.set(source.id, source);
      for (const warning of await queueImages(deps, source, [{ article }])) deps.logger.warn(warning);
    }
  }
  await drainImages(deps, [...touched.values()], options.signal);
}

/** dueTargets lists the articles to check, each source under its own schedule's first and last steps, oldest due first. */
async function dueTargets(recheck: RecheckStore, options: RecheckOptions, now: number): Promise<RecheckTarget[]> {
  const bySteps = new Map<string, { first: number; last: number; sourceIds: string[] }>();
  for (const source of options.sources) {
    const steps = options.policyOf(source.id).stepsMs;
    const first = steps[0] ?? Number.MAX_SAFE_INTEGER;
    const last = steps[steps.length - 1] ?? 0;
    const group = bySteps.get(`${first}/${last}`) ?? { first, last, sourceIds: [] };
    group.sourceIds.push(source.id);
    bySteps.set(`${first}/${last}`, group);
  }
  const targets: RecheckTarget[] = [];
  for (const { first, last, sourceIds } of bySteps.values()) {
    const query = { now, firstCheckAfterMs: first, lastCheckAfterMs: last, sourceIds, limit: options.limit };
    targets.push(...(await recheck.listDue(options.all === true ? { ...query, notCheckedSince: now - HOUR_MS } : query)));
  }
  const dueAt = (target: RecheckTarget): number => target.state?.nextCheckAt ?? target.firstSeen;
  return targets.sort((a, b) => dueAt(a) - dueAt(b)).slice(0, options.limit);
}

/** lookAt fetches an article's page, conditionally; a failure is a look of its own, never a throw. */
async function lookAt(deps: RecheckDeps, article: Article, target: RecheckTarget): Promise<PageLook> {
  try {
    const response = await deps.http.get({ url: article.url, sourceId: article.sourceId, etag: target.state?.etag, lastModified: target.state?.lastModified, accept: PAGE_ACCEPT });
    if (response.notModified) return { kind: 'not-modified', finalUrl: response.url };
    const { text } = decodeText(response.body, { contentType: response.headers['content-type'], kind: 'html' });
    const look: PageLook = { kind: 'page', status: response.status, finalUrl: response.url, html: text };
    if (response.etag !== undefined) look.etag = response.etag;
    if (response.lastModified !== undefined) look.lastModified = response.lastModified;
    return look;
  } catch (error) {
    const look: PageLook = { kind: 'failed', code: isNewsmirrorError(error) ? error.code : 'network', message: errorMessage(error), finalUrl: article.url };
    if (isNewsmirrorError(error) && error.status !== undefined) look.status = error.status;
    if (isNewsmirrorError(error) && error.url !== undefined) look.finalUrl = error.url;
    return look;
  }
}
