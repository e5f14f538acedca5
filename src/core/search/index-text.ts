/**
 * What a search index makes of an article before it writes it: the plain text it keeps for snippets
 * and the tokens of the title and of that text. Computing it is the JavaScript part of indexing, so
 * a caller with a thread to spare (an import's cleaning thread) computes it there and hands it over.
 */
import { htmlToText } from '../html/index.js';
import { tokenizeForIndex } from './tokenize.js';

/** IndexText is an article's plain text and its index tokens, as `indexTextOf` gives them. */
export interface IndexText {
  /** `htmlToText` of the body. */
  text: string;
  /** `tokenizeForIndex` of the title. */
  titleTokens: string;
  /** `tokenizeForIndex` of `text`. */
  bodyTokens: string;
}

/**
 * indexTextOf computes what the index writes for an article's title and body.
 *
 * @example
 * indexTextOf({ title: '香港', bodyHtml: '<p>国安法</p>' }) // → { text: '国安法', titleTokens: '香港 港', bodyTokens: '国安 安法 法' }
 */
export function indexTextOf(article: { title: string; bodyHtml: string }): IndexText {
  const text = htmlToText(article.bodyHtml);
  return { text, titleTokens: tokenizeForIndex(article.title), bodyTokens: tokenizeForIndex(text) };
}
