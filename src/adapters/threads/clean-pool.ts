/**
 * A BodyCleaner on one worker thread: the import's walk, plan and store stay on the main thread and
 * the cleaning of the next commits runs beside them, on the machine's other core, and so does the
 * search index's text and tokens of what a flush indexes.
 */
import type { BodyCleaner, CleanedBody, CleanRequest } from '../../core/import/index.js';
import type { IndexText } from '../../core/search/index.js';
import { NewsmirrorError } from '../../core/errors.js';
import { startThread } from './thread.js';

/** CleanThreadRequest is one message to the cleaning thread: bodies to clean, or articles to prepare for the index. */
export type CleanThreadRequest = { kind: 'clean'; requests: CleanRequest[] } | { kind: 'index'; articles: { title: string; bodyHtml: string }[] };

/** CleanThreadAnswer is the cleaning thread's answer to a CleanThreadRequest of the same kind. */
export type CleanThreadAnswer = { kind: 'clean'; bodies: (CleanedBody | null)[] } | { kind: 'index'; texts: IndexText[] };

/**
 * openCleanThread starts the cleaning thread. Its answers are exactly `cleanArticle(html, { url,
 * sourceId }).html` at `url = new URL(link).href` with `identityOfEntry` of the title, body and link,
 * and `indexTextOf` of each article. Call `close` when done.
 *
 * @example
 * const cleaner = openCleanThread();
 * const [body] = await cleaner.clean([{ html: '<p>正文</p>', link: 'https://www.rfi.fr/cn/x', sourceId: 'rfi' }]);
 * await cleaner.close();
 */
export function openCleanThread(): BodyCleaner {
  const thread = startThread<CleanThreadRequest, CleanThreadAnswer>('clean-thread', 'clean');
  return {
    async clean(requests) {
      if (requests.length === 0) return [];
      const answer = await thread.call({ kind: 'clean', requests });
      if (answer.kind !== 'clean') throw mismatched(answer.kind);
      return answer.bodies.map((body) => body ?? undefined);
    },
    async indexTexts(articles) {
      if (articles.length === 0) return [];
      // Only what the thread needs crosses over: not the whole article with its other fields.
      const answer = await thread.call({ kind: 'index', articles: articles.map(({ title, bodyHtml }) => ({ title, bodyHtml })) });
      if (answer.kind !== 'index') throw mismatched(answer.kind);
      return answer.texts;
    },
    close: () => thread.close(),
  };
}

function mismatched(kind: string): NewsmirrorError {
  return new NewsmirrorError('internal', 'clean', `clean-thread answered a ${kind} request in place of another`);
}
