/** The body of the cleaning thread (see clean-pool.ts). */
import { cleanArticle } from '../../core/clean/index.js';
import type { CleanedBody, CleanRequest } from '../../core/import/index.js';
import { serveThread } from './thread.js';

serveThread((requests: CleanRequest[]): (CleanedBody | null)[] =>
  requests.map((request) => {
    try {
      const url = new URL(request.link).href;
      return { url, html: cleanArticle(request.html, { url, sourceId: request.sourceId }).html };
    } catch {
      // The plan cleans this body again on its own thread and reports why it failed (or the link's fault).
      return null;
    }
  }),
);
