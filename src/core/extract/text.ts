// Block-aware plain text from a DOM subtree: one line per block, cells tab-separated, <pre> kept
// verbatim. Mirrors the conversion the extract-eval gold text was made with, so what we score is what
// a reader sees.
import { isTag, isText, hasChildren, type AnyNode } from './dom.js';

const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'caption', 'center', 'dd', 'details', 'dialog', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup',
  'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'ul',
  'body', 'html', 'title', 'option', 'legend', 'menu',
]);
const CELL = new Set(['td', 'th']);
const SKIP = new Set(['script', 'style', 'template', 'noscript', 'head', 'iframe', 'object', 'embed', 'select', 'button']);
const PRE_NEWLINE = '\u0000';

/** blockText renders a subtree as text with one line per block element. */
export function blockText(root: AnyNode): string {
  const out: string[] = [];
  const walk = (node: AnyNode, inPre: boolean): void => {
    if (isText(node)) {
      out.push(inPre ? node.data.replace(/\n/g, PRE_NEWLINE) : node.data.replace(/[ \t\r\n\f\u200b]+/g, ' '));
      return;
    }
    if (!isTag(node)) return;
    const name = node.name;
    if (SKIP.has(name)) return;
    if (name === 'br') {
      out.push('\n');
      return;
    }
    const block = BLOCK.has(name);
    const cell = CELL.has(name);
    if (block) out.push('\n');
    else if (cell) out.push(' \t ');
    else if (name === 'img') out.push(' ');
    const pre = inPre || name === 'pre';
    for (const c of node.children) walk(c, pre);
    if (block) out.push('\n');
    else if (cell) out.push(' \t ');
  };
  if (hasChildren(root) && !isTag(root)) for (const c of root.children) walk(c, false);
  else walk(root, false);
  return out
    .join('')
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, (m) => (m.includes('\t') ? '\t' : ' ')).trim())
    .filter((l) => l.length > 0)
    .join('\n')
    .split(PRE_NEWLINE)
    .join('\n')
    .trim();
}
