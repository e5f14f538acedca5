import type { MediaItemState, MediaStateStore } from '../../core/ports.js';

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
