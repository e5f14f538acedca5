import type { ArticleChange } from '../ports.js';
import { articleFromFile, parseArticleFile } from '../render/index.js';
import { errorMessage } from '../errors.js';
import type { PipelineDeps } from './deps.js';
import { rawItemOf, type ReceivedItem } from './received-item.js';

/** RebuildReport says how many articles came back and which files could not be used, and why. */
export interface RebuildReport {
  articles: number;
  skipped: { path: string; reason: string }[];
}

const BATCH = 500;

/**
 * rebuildStore recreates the store's articles from the archive files alone: every file newsmirror wrote
 * carries its metadata, so ids, keys, paths, hashes and versions come back as they were. Files of the
 * original system (no metadata) are listed as skipped. The files are left untouched.
 */
export async function rebuildStore(deps: Pick<PipelineDeps, 'archive' | 'store' | 'search'>): Promise<RebuildReport> {
  const paths = (await deps.archive.list('articles')).filter((path) => path.endsWith('.md'));
  const report: RebuildReport = { articles: 0, skipped: [] };
  await deps.store.clearArticles();
  for (let start = 0; start < paths.length; start += BATCH) {
    const changes: ArticleChange[] = [];
    for (const path of paths.slice(start, start + BATCH)) {
      try {
        const text = await deps.archive.read(path);
        const parsed = text === undefined ? undefined : parseArticleFile(text);
        const article = parsed && articleFromFile(parsed, path);
        if (!parsed || !article) {
          report.skipped.push({ path, reason: 'no newsmirror metadata (a file of the original system?)' });
          continue;
        }
        // The item as first received is not in the files; the archived body is the best raw we have.
        const received: ReceivedItem = {
          entry: { id: article.guid, title: article.title, link: article.url, content: article.bodyHtml, published: article.published, authors: [], categories: [], enclosures: [] },
        };
        changes.push({ kind: 'new', article, raw: rawItemOf(article.id, article.version, received, `archive:${path}`) });
      } catch (error) {
        report.skipped.push({ path, reason: errorMessage(error) });
      }
    }
    await deps.store.applyChanges(changes);
    await deps.search?.index(changes.map((change) => change.article));
    // The files are the source of these articles: nothing to write. The store was cleared, so every pending mark is this batch's.
    await deps.store.markFilesWritten(await deps.store.listPendingFiles());
    report.articles += changes.length;
  }
  return report;
}
