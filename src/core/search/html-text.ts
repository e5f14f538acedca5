/**
 * Plain text of stored article HTML, for indexing and snippets. Bodies were sanitized before
 * storage, so a small scanner is enough and much cheaper than building a DOM for every article of
 * a million-row reindex. Inline tags vanish without a trace (朝<b>鲜</b> stays the word 朝鲜); block
 * boundaries become line breaks so words of two paragraphs never run together.
 */
import { decodeHTML } from 'entities';

const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'caption', 'dd', 'details', 'div', 'dl', 'dt', 'figcaption',
  'figure', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'img', 'li', 'main', 'nav', 'ol', 'p',
  'pre', 'section', 'summary', 'table', 'td', 'th', 'tr', 'ul', 'video', 'audio', 'iframe',
]);

// Comments, raw-text elements with their content, and tags (quoted attribute values may hold `>`).
const MARKUP = /<!--[\s\S]*?(?:-->|$)|<(script|style|template|noscript|textarea|title)\b(?:"[^"]*"|'[^']*'|[^'">])*>[\s\S]*?(?:<\/\1\s*>|$)|<\/?([a-zA-Z][a-zA-Z0-9-]*)(?:"[^"]*"|'[^']*'|[^'">])*>|<![^>]*>|<\?[^>]*>/g;

/**
 * htmlToText returns the readable text of an HTML fragment: tags removed, entities decoded,
 * script/style content dropped, one line per block, runs of spaces collapsed.
 *
 * @example
 * htmlToText('<p>朝<b>鲜</b> &amp; 韩国</p><p>二</p>') // → '朝鲜 & 韩国\n二'
 */
export function htmlToText(html: string): string {
  const stripped = html.replace(MARKUP, (_match, _raw: string | undefined, tag: string | undefined) =>
    tag !== undefined && BLOCK_TAGS.has(tag.toLowerCase()) ? '\n' : '',
  );
  return decodeHTML(stripped)
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n[\s]*/g, '\n')
    .trim();
}
