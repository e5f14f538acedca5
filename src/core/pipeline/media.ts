/**
 * Images, off the text's critical path: an article's file is written when its text is stored; its
 * images are then queued (queueImages), and at the end of the run a drain fetches them under
 * per-host limits, breakers and a deadline and rewrites each finished article's file without a new
 * version (drainImages). What the drain does not finish stays recorded as missing and is queued
 * again by a later run. While an image is missing the body keeps its original remote URL, the
 * convention of the mirror, which the reader shows as a link.
 */
import type { Article, Entry, Source } from '../model/index.js';
import type { ImageDrainReport, ImageMirrorInput } from '../ports.js';
import { errorMessage } from '../errors.js';
import { ARTICLES_PER_READ, type PipelineDeps } from './deps.js';
import { flushPendingFiles } from './apply.js';

const IMAGE_FILE = /\.(?:jpe?g|png|gif|webp|avif)(?:[?#]|$)/i;

/** imageInput describes one stored article's images for the mirror or the queue. */
function imageInput(source: Source, article: Pick<Article, 'id' | 'path' | 'bodyHtml'>, html: string, entry?: Entry): ImageMirrorInput {
  const enclosures = entry?.enclosures.filter((enclosure) => enclosure.type?.startsWith('image/') ?? IMAGE_FILE.test(enclosure.url));
  return { sourceId: source.id, articleId: article.id, articlePath: article.path, html, enclosures, referer: source.referer };
}

/** mirrorImages mirrors a cleaned body's images right away when media mirroring is on, and returns the body to store. */
export async function mirrorImages(deps: PipelineDeps, source: Source, articleId: string, articlePath: string, html: string, entry?: Entry): Promise<string> {
  if (!deps.media) return html;
  const result = await deps.media.mirrorArticleImages(imageInput(source, { id: articleId, path: articlePath, bodyHtml: html }, html, entry));
  return result.html;
}

/**
 * queueImages queues the images of articles whose text was just stored. It returns one warning per
 * article that could not be queued: its text is safe, and its images are picked up by the
 * next run that queues the article again.
 */
export async function queueImages(deps: PipelineDeps, source: Source, stored: { article: Article; entry?: Entry }[]): Promise<string[]> {
  const { images } = deps;
  if (!images) return [];
  const warnings: string[] = [];
  for (const { article, entry } of stored) {
    try {
      await images.enqueue(imageInput(source, article, article.bodyHtml, entry));
    } catch (error) {
      warnings.push(`media: cannot queue the images of ${article.path}: ${errorMessage(error)}`);
    }
  }
  return warnings;
}

/**
 * drainImages queues again the articles whose missing images are due, then drains the queue: each
 * article whose body changed is updated (the same version) and, per source, its file, lists and
 * search entries are rewritten. Returns the drain's report; nothing when no queue is configured.
 */
export async function drainImages(deps: PipelineDeps, sources: Source[], signal?: AbortSignal): Promise<ImageDrainReport | undefined> {
  const { images, media, store } = deps;
  if (!images || !media) return undefined;
  const byId = new Map(sources.map((source) => [source.id, source]));
  // A stop request drains only to record what is left; no retry is started then.
  const due = signal?.aborted === true ? [] : await media.retryPending(deps.clock.now());
  // One query per batch, not per article; batches keep a long outage's backlog of bodies out of memory.
  for (let start = 0; start < due.length; start += ARTICLES_PER_READ) {
    for (const article of await store.getArticles(due.slice(start, start + ARTICLES_PER_READ))) {
      const source = byId.get(article.sourceId);
      if (source) await images.enqueue(imageInput(source, article, article.bodyHtml));
    }
  }
  const touched = new Set<Source>();
  const report = await images.drain({
    signal,
    async onArticle(input, result) {
      if (result.html === input.html) return;
      const article = await store.getArticle(input.articleId);
      // A body that changed since it was queued is left alone; its images are queued with it again.
      if (article?.bodyHtml !== input.html) return;
      await store.updateBody(article.id, result.html, article.method);
      const source = byId.get(article.sourceId);
      if (source) touched.add(source);
    },
  });
  for (const source of touched) await flushPendingFiles(deps, source);
  return report;
}
