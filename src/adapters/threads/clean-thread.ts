/** The body of the cleaning thread (see clean-pool.ts). */
import { cleanArticle } from '../../core/clean/index.js';
import { identityOfEntry } from '../../core/identity/index.js';
import type { CleanedBody } from '../../core/import/index.js';
import { indexTextOf, type IndexText } from '../../core/search/index.js';
import type { CleanThreadAnswer, CleanThreadRequest } from './clean-pool.js';
import { serveThread } from './thread.js';

serveThread((request: CleanThreadRequest): CleanThreadAnswer => {
  if (request.kind === 'index') return { kind: 'index', texts: request.articles.map((article): IndexText => indexTextOf(article)) };
  return {
    kind: 'clean',
    bodies: request.requests.map((body): CleanedBody | null => {
      try {
        const url = new URL(body.link).href;
        const html = cleanArticle(body.html, { url, sourceId: body.sourceId }).html;
        return { url, html, identity: identityOfEntry({ title: body.title, content: body.html, link: body.link }) };
      } catch {
        // The plan cleans this body again on its own thread and reports why it failed (or the link's fault).
        return null;
      }
    }),
  };
});
