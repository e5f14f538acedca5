import { visibleText } from '../html/index.js';
import type { Entry, FulltextMode } from '../model/index.js';

/** SHORT_BODY_CHARS is the visible-text length under which a feed body counts as a summary. */
export const SHORT_BODY_CHARS = 200;

const TRUNCATION_MARKERS = /(?:\.\.\.|…|\[\s*(?:…|\.\.\.)\s*\]|阅读全文|閱讀全文|查看全文|继续阅读|繼續閱讀|read more|continue reading)\s*(?:»|›|>)?\s*$/i;

/**
 * needsFullText decides whether the article page is fetched: always for `page`, never for `feed`,
 * and for `auto` when the feed's body is missing, short, or visibly cut off ("…", 阅读全文).
 */
export function needsFullText(entry: Entry, mode: FulltextMode): boolean {
  if (mode === 'feed' || !entry.link) return false;
  if (mode === 'page') return true;
  const text = visibleText(entry.content ?? entry.summary ?? '');
  return text.length < SHORT_BODY_CHARS || TRUNCATION_MARKERS.test(text);
}
