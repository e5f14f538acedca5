/** ErrorInfo is a failure as a report records it. */
export interface ErrorInfo {
  code: string;
  stage: string;
  message: string;
}

/** SourceReport counts what one sync did to one source. */
export interface SourceReport {
  sourceId: string;
  status: 'ok' | 'not-modified' | 'failed';
  fetchedItems: number;
  newArticles: number;
  editedArticles: number;
  unchangedArticles: number;
  failedItems: number;
  /**
   * Suspect versions stored by this sync (held back, not current: see SuspectVersion). Absent in
   * reports saved before it existed.
   */
  suspectVersions?: number;
  /** True when the feed document had to be recovered (see FeedDoc.recovered). */
  recovered?: boolean;
  errors: ErrorInfo[];
  warnings: string[];
  durationMs: number;
  /** Images of the articles this run queued or retried: now local, and still missing (retried later). */
  images?: { mirrored: number; missing: number };
}

/** RunReport is the record of one sync run over many sources. */
export interface RunReport {
  id: string;
  startedAt: number;
  finishedAt: number;
  sources: SourceReport[];
}

/** SourceState is the fetch state and health of a source, kept across runs. */
export interface SourceState {
  sourceId: string;
  etag?: string;
  lastModified?: string;
  lastAttemptAt?: number;
  lastSuccessAt?: number;
  lastErrorCode?: string;
  lastError?: string;
  consecutiveFailures: number;
  nextCheckAt?: number;
  /** The policy the identity stage settled on for this source (see core/identity). */
  guidPolicy?: 'url' | 'guid';
}

/** Health is a source's condition as README, STATUS.md, `status` and /health show it (see pipeline/health.ts). */
export type Health = 'ok' | 'failing' | 'stale' | 'never';
