import type { Source } from '../model/index.js';
import { cleanArticle, cleanTitle } from '../clean/index.js';
import { errorMessage } from '../errors.js';
import type { PipelineDeps } from './deps.js';
import { ARTICLES_PER_READ } from './deps.js';
import { flushPendingFiles } from './apply.js';
import { mirrorImages } from './media.js';
import { parseReceivedItem, receivedBody } from './received-item.js';

/** RecleanReport counts what a re-clean did. */
export interface RecleanReport {
  examined: number;
  changed: number;
  failed: { articleId: string; reason: string }[];
}

/**
 * recleanArticles re-runs cleaning and the title rules on the stored raw items and rewrites only the
 * articles (and files) whose cleaned body or title changed: how a fixed rule reaches old articles. It is not an edit: the
 * version stays, the body of the current version is replaced.
 */
export async function recleanArticles(deps: PipelineDeps, sources: Source[]): Promise<RecleanReport> {
  const report: RecleanReport = { examined: 0, changed: 0, failed: [] };
  for (const source of sources) {
    const ids = await deps.store.listArticleIds(source.id);
    report.examined += ids.length;
    for (let start = 0; start < ids.length; start += ARTICLES_PER_READ) {
      for (const article of await deps.store.getArticles(ids.slice(start, start + ARTICLES_PER_READ))) {
        try {
          const raw = await deps.store.getRaw(article.id);
          if (!raw) continue;
          const received = parseReceivedItem(raw);
          const cleaned = cleanArticle(receivedBody(received), { url: received.extracted?.url ?? article.url, sourceId: source.id });
          // Images already mirrored are found in the media folder again; nothing is downloaded twice.
          const body = await mirrorImages(deps, source, article.id, article.path, cleaned.html, received.entry);
          // New title rules reach old articles the same way: a cleaning change of the current version.
          const titled = received.entry.title === undefined ? undefined : cleanTitle(received.entry.title, source.id);
          const retitle = titled !== undefined && titled.title !== '' && (titled.title !== article.title || titled.column !== article.column);
          if (body === article.bodyHtml && !retitle) continue;
          if (body !== article.bodyHtml) await deps.store.updateBody(article.id, body, article.method);
          if (retitle) await deps.store.updateTitle(article.id, titled.title, titled.column);
          report.changed++;
        } catch (error) {
          report.failed.push({ articleId: article.id, reason: errorMessage(error) });
        }
      }
    }
    await flushPendingFiles(deps, source);
  }
  return report;
}
