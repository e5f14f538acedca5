/**
 * Limits that keep one bad item small: a feed with 100,000 items or a 10 MB title must cost what a
 * normal feed costs, with a warning in the report and never a failure of the source. One place for
 * every cap, so the pipeline, the search snippets and the web pages agree.
 */

/** Limits are the caps the config may override (`limits.titleChars`, `limits.itemsPerFeed`). */
export interface Limits {
  /** Characters of an article title; longer ones are cut with an ellipsis. */
  titleChars: number;
  /** Items kept of one feed document, the newest first. */
  itemsPerFeed: number;
}

/**
 * LIMITS are the default caps. Titles of the real corpus stay under 200 characters, so the title cap
 * never changes one of them; the snippet and page-title caps only bound what a page shows.
 */
export const LIMITS = {
  titleChars: 1000,
  itemsPerFeed: 5000,
  /** Characters of a search result's snippet. */
  snippetChars: 300,
  /** Characters of an article title shown on a web page (lists, search results, the page's <title>). */
  pageTitleChars: 200,
} as const;

const ELLIPSIS = '…';

/**
 * capText cuts `text` to at most `max` characters (UTF-16 code units, the unit of `String.length`),
 * ending with an ellipsis; it never cuts a surrogate pair in half. Text that fits is returned as is.
 *
 * @example
 * capText('新闻'.repeat(600), 1000).length // 1000, the last character '…'
 */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - ELLIPSIS.length);
  const last = text.charCodeAt(end - 1);
  // A high surrogate at the cut would leave half a character.
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}${ELLIPSIS}`;
}
