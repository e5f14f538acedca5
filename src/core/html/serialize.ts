import { Element, Text, type ChildNode, type ParentNode } from 'domhandler';
import { BLOCK_TAGS, VOID_TAGS } from './tags.js';

// The serializer's escaping is narrower than escapeHtml: quotes stay as they are in text, and a
// no-break space is written as `&nbsp;` so that it stays visible in the archive's source.
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
