/**
 * BodyCleaner is the port through which an import cleans article bodies ahead of its plan, on
 * another thread (src/adapters/threads), while the walk goes on planning and storing: cleaning was
 * the largest share of an import's processor time that needs nothing from the store. The same
 * thread computes what the search index makes of the articles a flush indexes.
 */
import type { EntryIdentity } from '../identity/index.js';
import type { IndexText } from '../search/index.js';

/** CleanRequest is one body to clean as the plan would: its HTML, the entry's link and title, and the source. */
export interface CleanRequest {
  html: string;
  /** The entry's title, which its content hash covers with the body. */
  title?: string;
  /** The entry's link as the old file gave it: cleaned at its parsed form (`new URL(link).href`), as the plan's identity gives it. */
  link: string;
  sourceId: string;
}

/**
 * CleanedBody is a body cleaned: the URL it was cleaned at and `cleanArticle`'s HTML, with what
 * identity computes of the entry alone (`identityOfEntry` of its title, body and link), so the
 * calling thread need not hash the body and parse the link again.
 */
export interface CleanedBody {
  url: string;
  html: string;
  identity: EntryIdentity;
}

/** BodyCleaner cleans bodies with `cleanArticle`, elsewhere than the calling thread. */
export interface BodyCleaner {
  /**
   * clean gives each request's cleaned body, in order; undefined where the link is no URL or cleaning
   * threw, so the plan cleans that body itself and reports the failure as it would have.
   */
  clean(requests: CleanRequest[]): Promise<(CleanedBody | undefined)[]>;
  /** indexTexts gives each article's `indexTextOf`, in order, for `SearchIndex.index`. */
  indexTexts(articles: { title: string; bodyHtml: string }[]): Promise<IndexText[]>;
  /** close ends the thread; requests still in flight are rejected. */
  close(): Promise<void>;
}
