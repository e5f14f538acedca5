/**
 * CJK-aware full-text search, pure part: index tokens, query parsing, snippets and the plain text
 * of stored HTML. The stores' search adapters (src/adapters/search) put these into an index.
 */
export { tokenizeForIndex, foldText, splitPieces, cjkTokens, isCjkChar } from './tokenize.js';
export type { TextPiece } from './tokenize.js';
export { indexTextOf } from './index-text.js';
export type { IndexText } from './index-text.js';
export { parseQuery, MAX_QUERY_LENGTH, MAX_QUERY_TERMS } from './query.js';
export type { ParsedQuery, QueryTerm } from './query.js';
export { highlight } from './highlight.js';
export { htmlToText } from '../html/index.js';
