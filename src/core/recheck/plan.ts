/**
 * What one re-check writes, pure: the article's new re-check state, its removal episode, and the new
 * version (or the suspect version held back) an edit makes.
 */
import type { Article, RecheckState, Removal, RemovalEvidence, SuspectVersion } from '../model/index.js';
import type { ArticleChange, CheckRecord, FeedPresence, RecheckTarget } from '../ports.js';
import { rawItemOf, type ReceivedItem } from '../pipeline/received-item.js';
import { nextStepAt, type RecheckPolicy } from './schedule.js';
import type { PageLook, PageVersion, Verdict } from './verdict.js';

/** RemovalEvent is what a check did to the article's removal, for the report and the lists. */
export type RemovalEvent = 'opened' | 'confirmed' | 'withdrawn';

/** CheckPlan is everything one check writes. */
export interface CheckPlan {
  record: CheckRecord;
  /** A new version of the article (an edit found on its page). */
  change?: ArticleChange;
  /** A shrunken page held back as a suspect version. */
  suspect?: SuspectVersion;
  event?: RemovalEvent;
}

/** PlanCheckInput is the due article, its current version, what its page answered and what that means. */
export interface PlanCheckInput {
  target: RecheckTarget;
  article: Article;
  look: PageLook;
  verdict: Verdict;
  now: number;
  policy: RecheckPolicy;
}

/**
 * planCheck turns a verdict into writes. A gone check opens a removal or adds its evidence; the first
 * gone check at least `confirmMs` after the one that opened it confirms it (once) and marks the file;
 * the next check is then due at that time rather than on the schedule. A check that finds the article
 * withdraws the removal (marking the file when it was confirmed). An unreachable check changes no
 * removal and, during a pending one, is retried after `retryMs`. An edit keeps the article's content
 * hash: that hash is the feed's edit detector, so the next sight of the same feed item is no change.
 */
export function planCheck(input: PlanCheckInput): CheckPlan {
  const { target, article, look, verdict, now, policy } = input;
  const state: RecheckState = { ...(target.state ?? { articleId: article.id, sourceId: article.sourceId, goneChecks: 0 }), lastCheckAt: now, lastOutcome: verdict.outcome };
  delete state.nextCheckAt;
  if (look.kind === 'failed' && look.status === undefined) delete state.lastStatus;
  else state.lastStatus = look.kind === 'not-modified' ? 304 : look.kind === 'page' ? look.status : (look.status as number);
  if (look.kind === 'page') {
    setOptional(state, 'etag', look.etag);
    setOptional(state, 'lastModified', look.lastModified);
  }
  const scheduled = nextStepAt(policy, target.firstSeen, now);
  const open = target.removal;
  const plan: CheckPlan = { record: { state, markFile: false } };

  if (verdict.outcome === 'gone') {
    state.goneChecks += 1;
    const evidence: RemovalEvidence = { at: now, finalUrl: look.finalUrl, rule: verdict.rule };
    if (look.kind === 'failed' && look.status !== undefined) evidence.status = look.status;
    if (look.kind === 'page') evidence.status = look.status;
    if (open === undefined) {
      plan.record.removal = { articleId: article.id, sourceId: article.sourceId, firstGoneAt: now, evidence: [evidence] };
      plan.event = 'opened';
      setOptional(state, 'nextCheckAt', now + policy.confirmMs);
    } else if (open.confirmedAt === undefined) {
      const removal: Removal = { ...open, evidence: [...open.evidence, evidence] };
      if (now - open.firstGoneAt >= policy.confirmMs) {
        removal.confirmedAt = now;
        plan.record.markFile = true;
        plan.event = 'confirmed';
        setOptional(state, 'nextCheckAt', scheduled);
      } else {
        setOptional(state, 'nextCheckAt', open.firstGoneAt + policy.confirmMs);
      }
      plan.record.removal = removal;
    } else {
      setOptional(state, 'nextCheckAt', scheduled);
    }
    return plan;
  }

  if (verdict.outcome === 'unreachable') {
    const pending = open !== undefined && open.confirmedAt === undefined;
    const retry = pending ? Math.max(open.firstGoneAt + policy.confirmMs, now + policy.retryMs) : undefined;
    setOptional(state, 'nextCheckAt', retry === undefined ? scheduled : scheduled === undefined ? retry : Math.min(retry, scheduled));
    return plan;
  }

  state.goneChecks = 0;
  setOptional(state, 'nextCheckAt', scheduled);
  if (open !== undefined) {
    plan.record.removal = { ...open, withdrawnAt: now };
    plan.record.markFile = open.confirmedAt !== undefined;
    plan.event = 'withdrawn';
  }
  if (verdict.outcome === 'unchanged') {
    setOptional(state, 'pageHash', verdict.pageHash);
  } else if (verdict.outcome === 'edited') {
    state.pageHash = verdict.pageHash;
    plan.change = editOf(article, look.finalUrl, verdict, now);
  } else {
    plan.suspect = suspectOf(article, look.finalUrl, verdict, now);
  }
  return plan;
}

function receivedOf(version: PageVersion, finalUrl: string): ReceivedItem {
  return {
    entry: { title: version.title, link: finalUrl, authors: [], categories: [], enclosures: [] },
    extracted: { html: version.extractedHtml, method: version.method, url: finalUrl },
  };
}

function editOf(article: Article, finalUrl: string, version: PageVersion, now: number): ArticleChange {
  const edited: Article = {
    ...article,
    title: version.title,
    bodyHtml: version.bodyHtml,
    method: version.method,
    version: article.version + 1,
    updated: now,
    lastSeen: now,
  };
  if (version.column !== undefined) edited.column = version.column;
  return { kind: 'edit', article: edited, raw: rawItemOf(article.id, edited.version, receivedOf(version, finalUrl), finalUrl) };
}

function suspectOf(article: Article, finalUrl: string, verdict: Extract<Verdict, { outcome: 'suspect' }>, now: number): SuspectVersion {
  return {
    articleId: article.id,
    sourceId: article.sourceId,
    title: verdict.title,
    bodyHtml: verdict.bodyHtml,
    contentHash: `page:${verdict.pageHash}`,
    reason: verdict.reason,
    seenAt: now,
    entryJson: rawItemOf(article.id, article.version, receivedOf(verdict, finalUrl), finalUrl).entryJson,
    fetchedFrom: finalUrl,
  };
}

function setOptional<K extends 'nextCheckAt' | 'etag' | 'lastModified' | 'pageHash'>(state: RecheckState, key: K, value: RecheckState[K]): void {
  if (value === undefined) delete state[key];
  else state[key] = value;
}

/**
 * planEarlyRechecks finds the articles that left the feed out of order: last seen before the latest
 * sync, published after the oldest item that sync still saw (newer items stayed, they went), not
 * checked since that sync, and not already given an early check for that last sighting. They are due at `now`.
 */
export function planEarlyRechecks(articles: FeedPresence[], sourceId: string, now: number): { articleId: string; sourceId: string; at: number; earlyFor: number }[] {
  const latest = articles.reduce((max, item) => Math.max(max, item.lastSeen), Number.NEGATIVE_INFINITY);
  const inFeed = articles.filter((item) => item.lastSeen === latest);
  if (inFeed.length === 0) return [];
  const oldest = Math.min(...inFeed.map((item) => item.published));
  return articles
    .filter(
      (item) =>
        item.lastSeen < latest &&
        item.published > oldest &&
        item.earlyFor !== item.lastSeen &&
        (item.lastCheckAt === undefined || item.lastCheckAt < latest),
    )
    .map((item) => ({ articleId: item.articleId, sourceId, at: now, earlyFor: item.lastSeen }));
}
