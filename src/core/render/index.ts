export {
  articlePath,
  articleDayFolder,
  overflowFor,
  FILES_PER_FOLDER,
  listPath,
  monthListPath,
  monthKey,
  monthRange,
  monthOfArticlePath,
  formatListTime,
  zonedTime,
  zonedMidnight,
  relativeLink,
  isSafeId,
} from './path.js';
export type { ZonedTime } from './path.js';
export { formatBlocks } from './blocks.js';
export {
  renderArticleFile,
  parseArticleFile,
  articleFromFile,
  escapeTitle,
  collapseTitle,
  encodeLink,
  ARCHIVE_META_FORMAT,
  removalFromFile,
} from './article-file.js';
export { versionPath, parseVersionPath, versionArticle, renderRemovedList, REMOVED_LIST_PATH } from './history.js';
export type { ArchiveMeta, ParsedArticleFile } from './article-file.js';
export { renderSourceList, renderMonthList, LIST_LIMIT, REMOVED_MARK } from './lists.js';
export type { ListSource } from './lists.js';
export { renderArchiveReadme } from './readme.js';
export type { ReadmeSource } from './readme.js';
export { renderRss, renderAtom, renderJsonFeed, feedItemId, FEED_GENERATOR } from './feeds.js';
export type { FeedChannel, FeedItem } from './feeds.js';
export { renderOpml, parseOpml } from './opml.js';
export type { OpmlSource } from './opml.js';
