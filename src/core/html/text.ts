// Text of HTML, four ways: of markup or of a parsed tree, one line per block or all on one line.
// Every stage that needs the words of an article uses one of these, so that "the text" means the
// same thing when a body is measured, cleaned, extracted and indexed.
import { decodeHTML } from 'entities';
import { Element, Text, hasChildren, isTag, isText, type AnyNode, type ParentNode } from 'domhandler';
import { BLOCK_TAGS } from './tags.js';

// Beyond the blocks, an image or a line break also separates the words on either side of it.
const BREAKING_TAGS: ReadonlySet<string> = new Set([...BLOCK_TAGS, 'br', 'img']);

// Comments, raw-text elements with their content, and tags (quoted attribute values may hold `>`).
const MARKUP =
  /<!--[\s\S]*?(?:-->|$)|<(script|style|template|noscript|textarea|title)\b(?:"[^"]*"|'[^']*'|[^'">])*>[\s\S]*?(?:<\/\1\s*>|$)|<\/?([a-zA-Z][a-zA-Z0-9-]*)(?:"[^"]*"|'[^']*'|[^'">])*>|<![^>]*>|<\?[^>]*>/g;
// The same markup, but only where it is closed: in a short feed field an unclosed `<!--` or
// `<script>` is far more likely text a publisher typed than markup that hides the rest.
const CLOSED_MARKUP =
  /<!--[\s\S]*?-->|<(script|style|template|noscript|textarea|title)\b(?:"[^"]*"|'[^']*'|[^'">])*>[\s\S]*?<\/\1\s*>|<\/?([a-zA-Z][a-zA-Z0-9-]*)(?:"[^"]*"|'[^']*'|[^'">])*>|<![^>]*>|<\?[^>]*>/g;

/**
 * htmlToText returns the readable text of HTML markup: tags removed, entities decoded, comments and
 * script/style content dropped, one line per block, runs of spaces collapsed. Inline tags vanish
 * without a trace (朝<b>鲜</b> stays the word 朝鲜). A scanner, not a parser: it is meant for bodies
 * that were sanitized before (indexing a million rows) and for short feed fields.
 *
 * @example
 * htmlToText('<p>朝<b>鲜</b> &amp; 韩国</p><p>二</p>') // → '朝鲜 & 韩国\n二'
 */
export function htmlToText(html: string): string {
  return markupToText(html, MARKUP);
}

function markupToText(html: string, markup: RegExp): string {
  const stripped = html.includes('<')
    ? html.replace(markup, (_match, _raw: string | undefined, tag: string | undefined) =>
        tag !== undefined && BREAKING_TAGS.has(tag.toLowerCase()) ? '\n' : '',
      )
    : html;
  const decoded = stripped.includes('&') ? decodeHTML(stripped) : stripped;
  return decoded
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n\s*/g, '\n')
    .trim();
}

/**
 * visibleText returns the text of HTML markup on one line: htmlToText with every run of whitespace,
 * line breaks included, collapsed to one space. It measures a body and reads titles that carry markup.
 *
 * @example
 * visibleText('<p>朝鲜&nbsp;<b>半岛</b></p><script>x()</script>') // → '朝鲜 半岛'
 */
export function visibleText(html: string): string {
  return cleanText(htmlToText(html));
}

/**
 * fieldText returns the text of a short feed field (a title, a channel description) that may be
 * plain text or HTML, on one line: like visibleText, but only closed comments and complete tags are
 * markup, so a title that is literally `<!-- 注释` or `a < b` keeps its words.
 *
 * @example
 * fieldText('<b>朝鲜</b> &amp; <!-- 半岛') // → '朝鲜 & <!-- 半岛'
 */
export function fieldText(html: string): string {
  return cleanText(markupToText(html, CLOSED_MARKUP));
}

/** cleanText trims text and collapses each run of whitespace (no-break and ideographic spaces too) to one space. */
export function cleanText(text: string): string {
  const trimmed = text.trim();
  // Most short fields need no collapsing; testing first saves a copy of every title.
  return NEEDS_COLLAPSE.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed;
}

const NEEDS_COLLAPSE = /\s\s|[^\S ]/;

/**
 * elementText returns the text of a parsed element on one line, whitespace and zero-width spaces
 * collapsed, script and style left out; or `undefined` when it holds more than `limit` characters
 * (rules that match on text look at short elements only, and stop reading early).
 */
export function elementText(node: ParentNode, limit = Number.POSITIVE_INFINITY): string | undefined {
  const parts: string[] = [];
  if (!collectText(node, parts, { left: limit })) return undefined;
  return parts.join('').replace(/[\s\u00a0\u3000\u200b-\u200d\u2060\ufeff]+/g, ' ').trim();
}

function collectText(parent: ParentNode, parts: string[], budget: { left: number }): boolean {
  for (const child of parent.children) {
    if (child instanceof Text) {
      budget.left -= child.data.length;
      if (budget.left < 0) return false;
      parts.push(child.data);
    } else if (child instanceof Element && child.name !== 'script' && child.name !== 'style') {
      if (!collectText(child, parts, budget)) return false;
    }
  }
  return true;
}

/** textContent concatenates every text node under a node, as the DOM's `textContent` does. */
export function textContent(node: AnyNode): string {
  if (isText(node)) return node.data;
  if (!hasChildren(node)) return '';
  let out = '';
  for (const child of node.children) {
    if (isText(child)) out += child.data;
    else if (isTag(child)) out += textContent(child);
  }
  return out;
}

const CELL_TAGS: ReadonlySet<string> = new Set(['td', 'th']);
const SKIPPED_TAGS: ReadonlySet<string> = new Set([
  'script', 'style', 'template', 'noscript', 'head', 'iframe', 'object', 'embed', 'select', 'button',
]);
const PRE_NEWLINE = '\u0000';

/**
 * blockText returns the text of a parsed tree as a reader sees it: one line per block, table cells
 * separated by a tab, the line breaks of `<pre>` kept, what a page does not show (scripts, frames, form
 * controls) left out. It is the conversion the extraction benchmark's gold text was made with.
 */
export function blockText(root: AnyNode): string {
  const out: string[] = [];
  const walk = (node: AnyNode, inPre: boolean): void => {
    if (isText(node)) {
      out.push(inPre ? node.data.replace(/\n/g, PRE_NEWLINE) : node.data.replace(/[ \t\r\n\f\u200b]+/g, ' '));
      return;
    }
    if (!isTag(node)) return;
    const name = node.name;
    if (SKIPPED_TAGS.has(name)) return;
    if (name === 'br') {
      out.push('\n');
      return;
    }
    const block = BLOCK_TAGS.has(name);
    const cell = CELL_TAGS.has(name);
    if (block && !cell) out.push('\n');
    else if (cell) out.push(' \t ');
    else if (name === 'img') out.push(' ');
    const pre = inPre || name === 'pre';
    for (const child of node.children) walk(child, pre);
    if (block && !cell) out.push('\n');
    else if (cell) out.push(' \t ');
  };
  if (hasChildren(root) && !isTag(root)) for (const child of root.children) walk(child, false);
  else walk(root, false);
  return out
    .join('')
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, (run) => (run.includes('\t') ? '\t' : ' ')).trim())
    .filter((line) => line.length > 0)
    .join('\n')
    .split(PRE_NEWLINE)
    .join('\n')
    .trim();
}
