/**
 * Image mirroring as a step of its own, after the text plan and before the writes. It is the one
 * step of a sync that downloads per image; keeping it apart from the plan is what lets it move to a
 * background queue without touching how articles are decided.
 */
import type { Entry, Source } from '../model/index.js';
import type { ArticleChange } from '../ports.js';
import { mapLimit } from '../concurrency.js';
import { ARTICLES_PER_READ, ITEMS_IN_FLIGHT, type PipelineDeps } from './deps.js';
import { toErrorInfo } from './stage.js';
import { flushPendingFiles } from './apply.js';
import type { ItemFailure, PlannedChange } from './plan.js';

const IMAGE_FILE = /\.(?:jpe?g|png|gif|webp|avif)(?:[?#]|$)/i;

/** mirrorImages mirrors a cleaned body's images when media mirroring is on, and returns the body to store. */
export async function mirrorImages(deps: PipelineDeps, source: Source, articleId: string, articlePath: string, html: string, entry?: Entry): Promise<string> {
  if (!deps.media) return html;
  const enclosures = entry?.enclosures.filter((enclosure) => enclosure.type?.startsWith('image/') ?? IMAGE_FILE.test(enclosure.url));
  const result = await deps.media.mirrorArticleImages({ sourceId: source.id, articleId, articlePath, html, enclosures, referer: source.referer });
  return result.html;
}

/**
 * mirrorPlannedImages mirrors the images of every planned change and returns the changes with their
 * bodies pointing at the copies. A change whose mirroring throws is dropped as an ItemFailure of
 * stage `media` (images that merely fail to download never throw: they keep their URL and are retried).
 */
export async function mirrorPlannedImages(deps: PipelineDeps, source: Source, planned: PlannedChange[]): Promise<{ changes: ArticleChange[]; failures: ItemFailure[] }> {
  if (!deps.media) return { changes: planned.map((item) => item.change), failures: [] };
  const outcomes = await mapLimit(planned, ITEMS_IN_FLIGHT, async ({ change, entry, label }): Promise<ArticleChange | ItemFailure> => {
    try {
      const { article } = change;
      const bodyHtml = await mirrorImages(deps, source, article.id, article.path, article.bodyHtml, entry);
      return { ...change, article: { ...article, bodyHtml } };
    } catch (error) {
      return { label, error: toErrorInfo(error, 'media') };
    }
  });
  const changes: ArticleChange[] = [];
  const failures: ItemFailure[] = [];
  for (const outcome of outcomes) {
    if ('kind' in outcome) changes.push(outcome);
    else failures.push(outcome);
  }
  return { changes, failures };
}

/**
 * retryMissingImages re-runs mirroring for articles whose images failed earlier and are due again;
 * an image that arrives changes the file (the body of the same version), never the version.
 */
export async function retryMissingImages(deps: PipelineDeps, sources: Source[]): Promise<number> {
  if (!deps.media) return 0;
  const byId = new Map(sources.map((source) => [source.id, source]));
  const touched = new Set<Source>();
  let updated = 0;
  const due = await deps.media.retryPending(deps.clock.now());
  // One query per batch, not per article; batches keep a long outage's backlog of bodies out of memory.
  for (let start = 0; start < due.length; start += ARTICLES_PER_READ) {
    for (const article of await deps.store.getArticles(due.slice(start, start + ARTICLES_PER_READ))) {
      const source = byId.get(article.sourceId);
      if (!source) continue;
      const html = await mirrorImages(deps, source, article.id, article.path, article.bodyHtml);
      if (html === article.bodyHtml) continue;
      await deps.store.updateBody(article.id, html, article.method);
      touched.add(source);
      updated++;
    }
  }
  for (const source of touched) await flushPendingFiles(deps, source);
  return updated;
}
