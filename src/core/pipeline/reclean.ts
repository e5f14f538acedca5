import type { Source } from '../model/index.js';
import { cleanArticle } from '../clean/index.js';
import { errorMessage } from '../errors.js';
import { flushPendingFiles, mirrorImages, type PipelineDeps, type ReceivedItem } from './sync.js';

/** RecleanReport counts what a re-clean did. */
export interface RecleanReport {
  examined: number;
  changed: number;
  failed: { articleId: string; reason: string }[];
}

/**
 * recleanArticles re-runs cleaning on the stored raw items and rewrites only the articles (and files)
 * whose cleaned body changed: how a fixed cleaning rule reaches old articles. It is not an edit: the
 * version stays, the body of the current version is replaced.
 */
export async function recleanArticles(deps: PipelineDeps, sources: Source[]): Promise<RecleanReport> {
  const report: RecleanReport = { examined: 0, changed: 0, failed: [] };
  for (const source of sources) {
    for (const id of await deps.store.listArticleIds(source.id)) {
      report.examined++;
      try {
        const [article, raw] = await Promise.all([deps.store.getArticle(id), deps.store.getRaw(id)]);
        if (!article || !raw) continue;
        const received = JSON.parse(raw.entryJson) as ReceivedItem;
        const html = received.extracted?.html ?? received.entry.content ?? received.entry.summary ?? '';
        const cleaned = cleanArticle(html, { url: received.extracted?.url ?? article.url, sourceId: source.id });
        // Images already mirrored are found in the media folder again; nothing is downloaded twice.
        const body = await mirrorImages(deps, source, article.id, article.path, cleaned.html, received.entry);
        if (body === article.bodyHtml) continue;
        await deps.store.updateBody(id, body, article.method);
        report.changed++;
      } catch (error) {
        report.failed.push({ articleId: id, reason: errorMessage(error) });
      }
    }
    await flushPendingFiles(deps, source);
  }
  return report;
}
