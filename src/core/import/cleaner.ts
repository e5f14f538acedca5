/**
 * BodyCleaner is the port through which an import cleans article bodies ahead of its plan, on
 * another thread (src/adapters/threads), while the walk goes on planning and storing: cleaning was
 * the largest share of an import's processor time that needs nothing from the store.
 */

/** CleanRequest is one body to clean as the plan would: its HTML, the article's link and the source. */
export interface CleanRequest {
  html: string;
  url: string;
  sourceId: string;
}

/** BodyCleaner cleans bodies with `cleanArticle`, elsewhere than the calling thread. */
export interface BodyCleaner {
  /**
   * clean gives each request's cleaned HTML, in order; undefined where cleaning threw, so the plan
   * cleans that body itself and reports the failure as it would have.
   */
  clean(requests: CleanRequest[]): Promise<(string | undefined)[]>;
  /** close ends the thread; requests still in flight are rejected. */
  close(): Promise<void>;
}
