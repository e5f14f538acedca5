/** RecheckOutcome is what one re-check of an article's page found (see core/recheck). */
export type RecheckOutcome = 'unchanged' | 'edited' | 'suspect' | 'gone' | 'unreachable';

/**
 * RecheckState is the re-check bookkeeping of one article: when its page is due again, what the last
 * look found, and the validators for a conditional GET. An article without one was never re-checked.
 */
export interface RecheckState {
  articleId: string;
  sourceId: string;
  /** When the page is due again (epoch ms); absent once the schedule is done. */
  nextCheckAt?: number;
  lastCheckAt?: number;
  /** HTTP status of the last check; absent when it failed before a status (network error). */
  lastStatus?: number;
  lastOutcome?: RecheckOutcome;
  etag?: string;
  lastModified?: string;
  /** Hash of the page's extracted text at the last look that found the article: edits are changes of it. */
  pageHash?: string;
  /** Gone checks in a row (an unreachable check neither counts nor resets). */
  goneChecks: number;
  /** The article's `lastSeen` when its departure from the feed was last given an early check. */
  earlyFor?: number;
}

/** RemovalEvidence is one gone check: when, the HTTP status, where the request ended and the rule that matched. */
export interface RemovalEvidence {
  at: number;
  status?: number;
  finalUrl: string;
  /** `http-404`, `redirect-home`, `notice:generic:内容已删除`, `soft-404`… */
  rule: string;
}

/**
 * Removal is one episode of an article missing at the source: opened by a gone check, confirmed by a
 * second one at least the confirmation interval later, withdrawn when the article is found again.
 * A withdrawn removal is kept as the record that it came back.
 */
export interface Removal {
  articleId: string;
  sourceId: string;
  firstGoneAt: number;
  confirmedAt?: number;
  withdrawnAt?: number;
  evidence: RemovalEvidence[];
}

/** RemovedArticle is a confirmed, standing removal with what lists and the reader show of its article. */
export interface RemovedArticle extends Removal {
  confirmedAt: number;
  title: string;
  url: string;
  path: string;
  published: number;
}
