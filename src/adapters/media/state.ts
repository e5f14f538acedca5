/** MediaFailure is why the last attempt at an image failed: a stable code and a one-line message. */
export interface MediaFailure {
  code: string;
  message: string;
}

/** MediaItemState is the retry bookkeeping of one image URL. */
export interface MediaItemState {
  url: string;
  /** Archive-relative media path once the image is mirrored (`media/ab/ab12….jpg`). */
  path?: string;
  /** Size of the stored file, checked before a stored copy is trusted. */
  bytes?: number;
  /** Failed attempts since the last success (0 once mirrored). */
  attempts: number;
  /** When to try again (epoch ms); absent on a failed item means it was given up. */
  nextAttemptAt?: number;
  lastError?: MediaFailure;
  updatedAt: number;
}

/**
 * MediaStateStore keeps, per image URL, whether it is mirrored or when to try it again, and, per
 * article, which of its images are still missing. Asynchronous so that a PostgreSQL store fits too.
 */
export interface MediaStateStore {
  /** The known items among `urls`; unknown URLs are absent from the map. */
  getItems(urls: string[]): Promise<Map<string, MediaItemState>>;
  /** Inserts or replaces items by URL. */
  saveItems(items: MediaItemState[]): Promise<void>;
  /** Replaces the set of images an article still lacks (an empty list clears it). */
  setArticleMissing(articleId: string, sourceId: string, urls: string[]): Promise<void>;
  /** Ids of articles lacking an image whose next attempt is due at `now`, sorted. */
  dueArticles(now: number): Promise<string[]>;
  /** Missing images per source, counted per article and image (for `status`). */
  missingBySource(): Promise<Map<string, number>>;
  close(): Promise<void>;
}

/**
 * createMemoryMediaState is a MediaStateStore held in memory, for tests and for runs that do not
 * need to remember failures across processes.
 */
export function createMemoryMediaState(): MediaStateStore {
  const items = new Map<string, MediaItemState>();
  const missing = new Map<string, { sourceId: string; urls: Set<string> }>();
  return {
    getItems(urls) {
      const out = new Map<string, MediaItemState>();
      for (const url of urls) {
        const item = items.get(url);
        if (item !== undefined) out.set(url, { ...item });
      }
      return Promise.resolve(out);
    },
    saveItems(list) {
      for (const item of list) items.set(item.url, { ...item });
      return Promise.resolve();
    },
    setArticleMissing(articleId, sourceId, urls) {
      if (urls.length === 0) missing.delete(articleId);
      else missing.set(articleId, { sourceId, urls: new Set(urls) });
      return Promise.resolve();
    },
    dueArticles(now) {
      const due: string[] = [];
      for (const [articleId, { urls }] of missing) {
        const isDue = [...urls].some((url) => {
          const item = items.get(url);
          return item !== undefined && item.path === undefined && item.nextAttemptAt !== undefined && item.nextAttemptAt <= now;
        });
        if (isDue) due.push(articleId);
      }
      return Promise.resolve(due.sort());
    },
    missingBySource() {
      const counts = new Map<string, number>();
      for (const { sourceId, urls } of missing.values()) counts.set(sourceId, (counts.get(sourceId) ?? 0) + urls.size);
      return Promise.resolve(counts);
    },
    close() {
      return Promise.resolve();
    },
  };
}
