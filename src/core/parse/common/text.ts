import { cleanText, fieldText } from '../../html/index.js';
import { escapeText } from '../xml/tree.js';

export { cleanText };

const LOOKS_LIKE_HTML = /<[a-zA-Z/!]|&(?:#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);/;

/**
 * titleText reads an RSS title as text. Titles are meant to be plain text, but generators put HTML
 * and entities in them (CDATA titles with `&#x24;` or `<sup>`); those are decoded to text.
 */
export function titleText(raw: string): string {
  return LOOKS_LIKE_HTML.test(raw) ? fieldText(raw) : cleanText(raw);
}

/** textToHtml turns plain text into HTML: escaped, blank lines become paragraphs, newlines `<br>`. */
export function textToHtml(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.includes('\n')) return escapeText(trimmed);
  return trimmed
    .split(/\n\s*\n/)
    .map((paragraph) => `<p>${escapeText(paragraph.trim()).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** nonEmpty returns the trimmed value, or undefined when nothing is left. */
export function nonEmpty(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
