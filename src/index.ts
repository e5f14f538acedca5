/**
 * newsmirror's library surface. Other tools depend on these names and shapes: keep them stable.
 *
 * @example
 * import { parseFeed, extractArticle } from 'newsmirror';
 * const doc = parseFeed(bytes, { url: 'https://feedx.net/rss/rfi.xml' });
 * const article = extractArticle(html, 'https://www.rfi.fr/cn/…');
 */
export { parseFeed, parseDate } from './core/parse/index.js';
export { decodeText } from './core/decode/index.js';
export { extractArticle } from './core/extract/index.js';
export type { ExtractResult, ExtractMethod, ExtractOptions, ExtractRule } from './core/extract/index.js';
export { cleanArticle, sanitizeHtml } from './core/clean/index.js';
export type { Person, Enclosure, Entry, FeedDoc, ParseOptions } from './core/model/index.js';
export { NewsmirrorError, isNewsmirrorError } from './core/errors.js';
export type { ErrorCode, Stage } from './core/errors.js';
