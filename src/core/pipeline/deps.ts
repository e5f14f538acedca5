import type { Limits } from '../model/index.js';
import type { ArchiveWriter, Clock, HttpClient, ImageMirror, ImageQueue, Logger, RecheckStore, SearchIndex, Store } from '../ports.js';

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
  /** Fetches a sync's images after its text is stored (over `media`); absent when `media.enabled` is false. */
  images?: ImageQueue;
  /** Re-check schedule and removals (article files and lists show removals); absent when not wanted. */
  recheck?: RecheckStore;
  /** Full-text index kept in step with the article files; absent when not wanted. */
  search?: SearchIndex;
  /** Bounds on how often a source is checked (the scheduler adapts within them). */
  schedule?: { minIntervalMs?: number; maxIntervalMs?: number };
  /**
   * True in a `worker` process: the archive's files are the archiver's (another process), so a sync
   * stops at the store and the image queue and `flushPendingFiles` leaves the marks pending.
   */
  filesByArchiver?: boolean;
  /** Caps that keep one bad item small; each missing one is its default in `LIMITS`. */
  limits?: Partial<Limits>;
}

/** ITEMS_IN_FLIGHT bounds the items of one feed whose pages or images are fetched at once. */
export const ITEMS_IN_FLIGHT = 4;

/** ARTICLES_PER_READ is how many whole articles (bodies included) one `getArticles` call reads. */
export const ARTICLES_PER_READ = 200;
