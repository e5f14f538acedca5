/**
 * The body of the cleaning thread (see clean-pool.ts): each message is a numbered list of bodies,
 * each answer the same number with their cleaned HTML, null where cleaning threw.
 */
import { parentPort } from 'node:worker_threads';
import { cleanArticle } from '../../core/clean/index.js';
import type { CleanRequest } from '../../core/import/index.js';

parentPort?.on('message', (message: { id: number; requests: CleanRequest[] }) => {
  const results = message.requests.map((request) => {
    try {
      return cleanArticle(request.html, { url: request.url, sourceId: request.sourceId }).html;
    } catch {
      // The plan cleans this body again on its own thread and reports why it failed.
      return null;
    }
  });
  parentPort?.postMessage({ id: message.id, results });
});
