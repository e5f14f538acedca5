/**
 * A BodyCleaner on one worker thread: the import's walk, plan and store stay on the main thread and
 * the cleaning of the next commits runs beside them, on the machine's other core.
 */
import type { BodyCleaner, CleanedBody, CleanRequest } from '../../core/import/index.js';
import { startThread } from './thread.js';

/**
 * openCleanThread starts the cleaning thread. Its answers are exactly `cleanArticle(html, { url,
 * sourceId }).html` at `url = new URL(link).href`. Call `close` when done.
 *
 * @example
 * const cleaner = openCleanThread();
 * const [body] = await cleaner.clean([{ html: '<p>正文</p>', link: 'https://www.rfi.fr/cn/x', sourceId: 'rfi' }]);
 * await cleaner.close();
 */
export function openCleanThread(): BodyCleaner {
  const thread = startThread<CleanRequest[], (CleanedBody | null)[]>('clean-thread', 'clean');
  return {
    async clean(requests) {
      if (requests.length === 0) return [];
      return (await thread.call(requests)).map((body) => body ?? undefined);
    },
    close: () => thread.close(),
  };
}
