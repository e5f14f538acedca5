/**
 * The archive's history beside each article: every earlier version as its own file in the seed's
 * format, `<HHmm>-<id>.versions/v<N>.md` next to `<HHmm>-<id>.md`, so a clone of the archive alone
 * holds every version and `rebuild` restores them; and `lists/removed.md`, the removals.
 */
import type { Article, ArticleVersion, RemovedArticle } from '../model/index.js';
import { escapeTitle } from './article-file.js';
import { headingText } from './lists.js';
import { formatListTime, relativeLink } from './path.js';

/** REMOVED_LIST_PATH is the archive list of articles removed at their source. */
export const REMOVED_LIST_PATH = 'lists/removed.md';

const VERSION_FILE = /^(.*)\.versions\/v([1-9]\d*)\.md$/;

/** versionPath is the file of version `n` of the article at `articlePath`. */
export function versionPath(articlePath: string, n: number): string {
  return `${articlePath.replace(/\.md$/, '')}.versions/v${n}.md`;
}

/** parseVersionPath reads an article's path and a version number back from a version file's path. */
export function parseVersionPath(path: string): { articlePath: string; version: number } | undefined {
  const match = VERSION_FILE.exec(path);
  return match === null ? undefined : { articlePath: `${match[1]}.md`, version: Number(match[2]) };
}

/**
 * versionArticle is an earlier version as an article file shows it: the current article's identity and
 * metadata with that version's title, body, hash and number, and its time seen as `lastSeen`.
 */
export function versionArticle(article: Article, version: ArticleVersion): Article {
  return { ...article, title: version.title, bodyHtml: version.bodyHtml, contentHash: version.contentHash, version: version.version, lastSeen: version.seenAt };
}

/**
 * renderRemovedList renders `lists/removed.md`: the articles removed at their source, newest removal
 * first, each as `YYYY-MM-DD HH:mm · source · [title](kept copy)` with the removal's time in `timeZone`.
 */
export function renderRemovedList(items: RemovedArticle[], sourceName: (id: string) => string, timeZone: string): string {
  const parts = ['# 原文已删除的文章 · Removed at the source', `删除确认时间 · Time the removal was confirmed (${timeZone}). ${items.length} 篇 · articles.`];
  const lines = items.map(
    (item) => `${formatListTime(item.confirmedAt, timeZone)} · ${headingText(sourceName(item.sourceId))} · [${escapeTitle(item.title) || item.articleId}](${relativeLink(REMOVED_LIST_PATH, item.path)})`,
  );
  parts.push(lines.length > 0 ? lines.join('\n\n') : '（暂无 · none yet）');
  return `${parts.join('\n\n')}\n`;
}
