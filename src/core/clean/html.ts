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
const MAX_DEPTH = 200;

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

const NEEDS_TEXT_ESCAPE = /[&<>\u00a0]/;
const NEEDS_ATTR_ESCAPE = /[&<>"\u00a0]/;

function escapeChar(ch: string): string {
  return ESCAPES[ch] ?? ch;
}

function escapeText(text: string): string {
  return NEEDS_TEXT_ESCAPE.test(text) ? text.replace(TEXT_ESCAPE, escapeChar) : text;
}

function escapeAttr(text: string): string {
  return NEEDS_ATTR_ESCAPE.test(text) ? text.replace(ATTR_ESCAPE, escapeChar) : text;
}

/**
 * serializeHtml writes a sanitized tree as well-formed HTML: every non-void element closed, every
 * attribute double-quoted and escaped, and each top-level block on its own line.
 */
export function serializeHtml(root: ParentNode): string {
  return renderBody(root, false).html;
}

/** RenderedBody is a serialized body and, when asked for, its visible text. */
export interface RenderedBody {
  readonly html: string;
  readonly text: string;
}

/**
 * renderBody serializes like `serializeHtml` and, in the same walk, collects the visible text: one
 * line per block, `<br>` as a line break.
 */
export function renderBody(root: ParentNode, withText: boolean): RenderedBody {
  const out: string[] = [];
  const text: TextLines | undefined = withText ? { lines: [], line: '' } : undefined;
  let lineOpen = false;
  for (const child of root.children) {
    const block = child instanceof Element && BLOCK_TAGS.has(child.name);
    if (block && lineOpen) out.push('\n');
    writeNode(child, out, text, false);
    if (block) {
      out.push('\n');
      lineOpen = false;
    } else {
      lineOpen = true;
    }
  }
  const html = out.join('');
  if (text !== undefined) breakLine(text);
  return { html: html.endsWith('\n') ? html.slice(0, -1) : html, text: text === undefined ? '' : text.lines.join('\n') };
}

// The visible text is built line by line as the serializer walks: blocks and <br> end a line.
interface TextLines {
  readonly lines: string[];
  line: string;
}

function breakLine(text: TextLines): void {
  const trimmed = text.line.trim();
  if (trimmed !== '') text.lines.push(trimmed);
  text.line = '';
}

function addText(text: TextLines, data: string, pre: boolean): void {
  if (!pre || !data.includes('\n')) {
    text.line += data;
    return;
  }
  const parts = data.split('\n');
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) breakLine(text);
    text.line += parts[i];
  }
}

function writeNode(node: ChildNode, out: string[], text: TextLines | undefined, pre: boolean): void {
  if (node instanceof Text) {
    out.push(escapeText(node.data));
    if (text !== undefined) addText(text, node.data, pre);
    return;
  }
  if (!(node instanceof Element)) return;
  const name = node.name;
  out.push('<', name);
  for (const attr in node.attribs) {
    out.push(' ', attr, '="', escapeAttr(node.attribs[attr] ?? ''), '"');
  }
  out.push('>');
  if (name === 'br' && text !== undefined) breakLine(text);
  if (VOID_TAGS.has(name)) return;
  const block = BLOCK_TAGS.has(name);
  if (block && text !== undefined) breakLine(text);
  for (const child of node.children) writeNode(child, out, text, pre || name === 'pre');
  if (block && text !== undefined) breakLine(text);
  out.push('</', name, '>');
}

/**
 * visibleText returns an element's text content with whitespace collapsed and trimmed, or `undefined`
 * when it is longer than `limit` characters (rules that match on text look at short elements only).
 */
export function visibleText(node: ParentNode, limit = Number.POSITIVE_INFINITY): string | undefined {
  const parts: string[] = [];
  if (!collectVisible(node, parts, { left: limit })) return undefined;
  return parts.join('').replace(/[\s\u00a0\u3000\u200b-\u200d\u2060\ufeff]+/g, ' ').trim();
}

function collectVisible(parent: ParentNode, parts: string[], budget: { left: number }): boolean {
  for (const child of parent.children) {
    if (child instanceof Text) {
      budget.left -= child.data.length;
      if (budget.left < 0) return false;
      parts.push(child.data);
    } else if (child instanceof Element && child.name !== 'script' && child.name !== 'style') {
      if (!collectVisible(child, parts, budget)) return false;
    }
  }
  return true;
}
