/**
 * A BodyCleaner on one worker thread: the import's walk, plan and store stay on the main thread and
 * the cleaning of the next commits runs beside them, on the machine's other core.
 */
import type { BodyCleaner, CleanRequest } from '../../core/import/index.js';
import { startThread } from './thread.js';

/**
 * openCleanThread starts the cleaning thread. Its answers are exactly `cleanArticle(html, { url,
 * sourceId }).html`. Call `close` when done.
 *
 * @example
 * const cleaner = openCleanThread();
 * const [html] = await cleaner.clean([{ html: '<p>正文</p>', url: 'https://www.rfi.fr/cn/x', sourceId: 'rfi' }]);
 * await cleaner.close();
 */
export function openCleanThread(): BodyCleaner {
  const thread = startThread<CleanRequest[], (string | null)[]>('clean-thread', 'clean');
  return {
    async clean(requests) {
      if (requests.length === 0) return [];
      return (await thread.call(requests)).map((html) => html ?? undefined);
    },
    close: () => thread.close(),
  };
}
