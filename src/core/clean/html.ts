import { Document, Element, Text, type ChildNode, type ParentNode } from 'domhandler';
import { Parser } from 'htmlparser2';
import { DomHandler } from 'domhandler';

/** BLOCK_TAGS are the elements that start a new line in rendered text and in the serialized body. */
export const BLOCK_TAGS: ReadonlySet<string> = new Set([
  'address',
  'article',
  'aside',
  'audio',
  'blockquote',
  'caption',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'iframe',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
  'video',
]);

/** VOID_TAGS are the allowed elements that never have children or an end tag. */
export const VOID_TAGS: ReadonlySet<string> = new Set(['br', 'hr', 'img', 'wbr', 'source', 'track', 'col']);

/**
 * MAX_DEPTH bounds the nesting of a parsed body. Every later step recurses over the tree, and a hostile
 * feed can open 100,000 `<div>`s; below this depth, element wrappers are dropped and their text kept.
 */
export const MAX_DEPTH = 200;

/** parseHtml parses an HTML fragment into a domhandler document (the one parse of a clean). */
export function parseHtml(html: string): Document {
  const handler = new DomHandler(undefined, { withStartIndices: false, withEndIndices: false });
  const parser = new Parser(handler, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  parser.end(html);
  limitDepth(handler.root);
  return handler.root;
}

function limitDepth(root: Document): void {
  const stack: { node: ParentNode; depth: number }[] = [{ node: root, depth: 0 }];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    if (entry.depth >= MAX_DEPTH) {
      entry.node.children = leavesOf(entry.node);
      relink(entry.node);
      continue;
    }
    for (const child of entry.node.children) {
      if (child instanceof Element) stack.push({ node: child, depth: entry.depth + 1 });
    }
  }
}

// Text and childless elements under `node`, in document order, found without recursion.
function leavesOf(node: ParentNode): ChildNode[] {
  const leaves: ChildNode[] = [];
  const pending: ChildNode[] = [...node.children].reverse();
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next instanceof Element && next.children.length > 0) {
      for (let i = next.children.length - 1; i >= 0; i--) pending.push(next.children[i] as ChildNode);
    } else {
      leaves.push(next);
    }
  }
  return leaves;
}

/** relink restores the parent and sibling pointers of a parent's children after its array was rebuilt. */
export function relink(parent: ParentNode): void {
  const children = parent.children;
  let prev: ChildNode | null = null;
  for (const child of children) {
    child.parent = parent;
    child.prev = prev;
    if (prev) prev.next = child;
    prev = child;
  }
  if (prev) prev.next = null;
}

const TEXT_ESCAPE = /[&<>\u00a0]/g;
const ATTR_ESCAPE = /[&<>"\u00a0]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\u00a0': '&nbsp;' };

function escapeText(text: string): string {
  return text.replace(TEXT_ESCAPE, (ch) => ESCAPES[ch] ?? ch);
}

function escapeAttr(text: string): string {
  return text.replace(ATTR_ESCAPE, (ch) => ESCAPES[ch] ?? ch);
}

/**
 * serializeHtml writes a sanitized tree as well-formed HTML: every non-void element closed, every
 * attribute double-quoted and escaped, and each top-level block on its own line.
 */
export function serializeHtml(root: ParentNode): string {
  const out: string[] = [];
  let lineOpen = false;
  for (const child of root.children) {
    const block = child instanceof Element && BLOCK_TAGS.has(child.name);
    if (block && lineOpen) out.push('\n');
    writeNode(child, out);
    if (block) {
      out.push('\n');
      lineOpen = false;
    } else {
      lineOpen = true;
    }
  }
  const html = out.join('');
  return html.endsWith('\n') ? html.slice(0, -1) : html;
}

function writeNode(node: ChildNode, out: string[]): void {
  if (node instanceof Text) {
    out.push(escapeText(node.data));
    return;
  }
  if (!(node instanceof Element)) return;
  out.push('<', node.name);
  for (const [name, value] of Object.entries(node.attribs)) {
    out.push(' ', name, '="', escapeAttr(value), '"');
  }
  out.push('>');
  if (VOID_TAGS.has(node.name)) return;
  for (const child of node.children) writeNode(child, out);
  out.push('</', node.name, '>');
}

/** textOf renders the visible text of a tree: one line per block, `<br>` as a line break. */
export function textOf(root: ParentNode): string {
  const parts: string[] = [];
  collectText(root, parts);
  return parts
    .join('')
    .split('\n')
    .map((line) => line.replace(/[ \t\r\f]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

function collectText(node: ParentNode, parts: string[]): void {
  for (const child of node.children) {
    if (child instanceof Text) {
      parts.push(child.data.replace(/\n/g, ' '));
    } else if (child instanceof Element) {
      if (child.name === 'br') {
        parts.push('\n');
        continue;
      }
      const block = BLOCK_TAGS.has(child.name);
      if (block) parts.push('\n');
      if (child.name === 'pre') {
        parts.push(preText(child));
      } else {
        collectText(child, parts);
      }
      if (block) parts.push('\n');
    }
  }
}

function preText(node: ParentNode): string {
  let text = '';
  for (const child of node.children) {
    if (child instanceof Text) text += child.data;
    else if (child instanceof Element) text += child.name === 'br' ? '\n' : preText(child);
  }
  return text;
}

/** visibleText returns an element's text content with whitespace collapsed and trimmed. */
export function visibleText(node: ParentNode): string {
  const parts: string[] = [];
  collectVisible(node, parts);
  return parts.join('').replace(/[\s\u00a0\u3000\u200b-\u200d\u2060\ufeff]+/g, ' ').trim();
}

function collectVisible(parent: ParentNode, parts: string[]): void {
  for (const child of parent.children) {
    if (child instanceof Text) parts.push(child.data);
    else if (child instanceof Element && child.name !== 'script' && child.name !== 'style') collectVisible(child, parts);
  }
}
