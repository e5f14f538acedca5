/**
 * Search snippets come from the index as HTML (escaped text with matches in <mark>). They are
 * rebuilt here from text and <mark> only, so an index bug can never put markup on a page.
 */
import { parseDocument } from 'htmlparser2';
import { Element, Text, type ChildNode } from 'domhandler';
import { escapeHtml } from './html.js';

/** safeSnippet keeps the text of a snippet and its <mark> highlights, nothing else. */
export function safeSnippet(snippet: string): string {
  const walk = (nodes: ChildNode[]): string =>
    nodes
      .map((node) => {
        if (node instanceof Text) return escapeHtml(node.data);
        if (node instanceof Element) {
          if (node.name === 'script' || node.name === 'style') return '';
          const inner = walk(node.children);
          return node.name === 'mark' ? `<mark>${inner}</mark>` : inner;
        }
        return '';
      })
      .join('');
  return walk(parseDocument(snippet, { decodeEntities: true }).children);
}
