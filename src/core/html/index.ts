/**
 * html: the one HTML toolkit of every stage. Parsing (with a depth bound), serializing, escaping, the
 * text of markup and of trees, the tag sets, and lazy-image attributes. Pure.
 */
export { BLOCK_TAGS, PHRASING_TAGS, VOID_TAGS } from './tags.js';
export { escapeHtml } from './escape.js';
export { MAX_DEPTH, limitDepth, parseHtml, relink } from './parse.js';
export { renderBody, serializeHtml } from './serialize.js';
export type { RenderedBody } from './serialize.js';
export { blockText, cleanText, elementText, fieldText, htmlToText, textContent, visibleText } from './text.js';
export {
  LAZY_SRCSET_ATTRIBUTES,
  LAZY_SRC_ATTRIBUTES,
  isPlaceholderImage,
  lazyImageSrc,
  lazyImageSrcset,
} from './images.js';
