import type { RecheckOutcome, RecheckState, Removal, RemovalEvidence, RemovedArticle } from '../../core/model/index.js';
import type { RecheckTarget } from '../../core/ports.js';

/** StateRow is a `recheck_state` row as both engines return it. */
export interface StateRow {
  article_id: string;
  source_id: string;
  next_check_at: number | null;
  last_check_at: number | null;
  last_status: number | null;
  last_outcome: RecheckOutcome | null;
  etag: string | null;
  last_modified: string | null;
  page_hash: string | null;
  gone_checks: number;
  early_for: number | null;
}

/** RemovalRow is a `removals` row as both engines return it (evidence as JSON text). */
export interface RemovalRow {
  article_id: string;
  source_id: string;
  first_gone_at: number;
  confirmed_at: number | null;
  withdrawn_at: number | null;
  evidence: string;
}

/** DueRow is a due article as listDue selects it: the article's columns, then its state's (all null without one). */
export type DueRow = { id: string; article_source_id: string; first_seen: number } & { [K in keyof StateRow]: StateRow[K] | null };

/** RemovedRow is a standing removal joined with its article. */
export type RemovedRow = RemovalRow & { title: string; url: string; path: string; published: number };

/** STATE_COLUMNS lists the `recheck_state` columns in the order both stores write them. */
export const STATE_COLUMNS = [
  'article_id',
  'source_id',
  'next_check_at',
  'last_check_at',
  'last_status',
  'last_outcome',
  'etag',
  'last_modified',
  'page_hash',
  'gone_checks',
  'early_for',
] as const;

/** stateValues is a state as the row values of STATE_COLUMNS, in order. */
export function stateValues(state: RecheckState): (string | number | null)[] {
  return [
    state.articleId,
    state.sourceId,
    time(state.nextCheckAt),
    time(state.lastCheckAt),
    state.lastStatus ?? null,
    state.lastOutcome ?? null,
    state.etag ?? null,
    state.lastModified ?? null,
    state.pageHash ?? null,
    state.goneChecks,
    time(state.earlyFor),
  ];
}

/** removalValues is a removal as the values of (article_id, source_id, first_gone_at, confirmed_at, withdrawn_at, evidence). */
export function removalValues(removal: Removal): (string | number | null)[] {
  return [removal.articleId, removal.sourceId, Math.round(removal.firstGoneAt), time(removal.confirmedAt), time(removal.withdrawnAt), JSON.stringify(removal.evidence)];
}

function time(value: number | undefined): number | null {
  return value === undefined ? null : Math.round(value);
}

/** stateFromRow maps a stored state back to the core's RecheckState. */
export function stateFromRow(row: StateRow): RecheckState {
  const state: RecheckState = { articleId: row.article_id, sourceId: row.source_id, goneChecks: row.gone_checks };
  if (row.next_check_at !== null) state.nextCheckAt = row.next_check_at;
  if (row.last_check_at !== null) state.lastCheckAt = row.last_check_at;
  if (row.last_status !== null) state.lastStatus = row.last_status;
  if (row.last_outcome !== null) state.lastOutcome = row.last_outcome;
  if (row.etag !== null) state.etag = row.etag;
  if (row.last_modified !== null) state.lastModified = row.last_modified;
  if (row.page_hash !== null) state.pageHash = row.page_hash;
  if (row.early_for !== null) state.earlyFor = row.early_for;
  return state;
}

/** removalFromRow maps a stored removal back to the core's Removal. */
export function removalFromRow(row: RemovalRow): Removal {
  const removal: Removal = {
    articleId: row.article_id,
    sourceId: row.source_id,
    firstGoneAt: row.first_gone_at,
    evidence: JSON.parse(row.evidence) as RemovalEvidence[],
  };
  if (row.confirmed_at !== null) removal.confirmedAt = row.confirmed_at;
  if (row.withdrawn_at !== null) removal.withdrawnAt = row.withdrawn_at;
  return removal;
}

/** removedFromRow maps a standing removal and its article's columns to a RemovedArticle. */
export function removedFromRow(row: RemovedRow): RemovedArticle {
  return { ...removalFromRow(row), confirmedAt: row.confirmed_at ?? row.first_gone_at, title: row.title, url: row.url, path: row.path, published: row.published };
}

/** targetFromRow maps a due row and the article's open removal to a RecheckTarget. */
export function targetFromRow(row: DueRow, removal: Removal | undefined): RecheckTarget {
  const target: RecheckTarget = { articleId: row.id, sourceId: row.article_source_id, firstSeen: row.first_seen };
  if (row.article_id !== null) target.state = stateFromRow(row as StateRow);
  if (removal !== undefined) target.removal = removal;
  return target;
}
