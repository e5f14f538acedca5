/** The body of the cleaning thread (see clean-pool.ts). */
import { cleanArticle } from '../../core/clean/index.js';
import type { CleanRequest } from '../../core/import/index.js';
import { serveThread } from './thread.js';

serveThread((requests: CleanRequest[]) =>
  requests.map((request) => {
    try {
      return cleanArticle(request.html, { url: request.url, sourceId: request.sourceId }).html;
    } catch {
      // The plan cleans this body again on its own thread and reports why it failed.
      return null;
    }
  }),
);
