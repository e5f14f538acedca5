import type { XmlChild, XmlElement } from './reader.js';

/** child returns the first child element with the given key. */
export function child(element: XmlElement, key: string): XmlElement | undefined {
  for (const item of element.children) {
    if (typeof item !== 'string' && item.key === key) return item;
  }
  return undefined;
}

/** textOf returns the concatenated text of an element and its descendants (markup dropped). */
export function textOf(element: XmlElement): string {
  const children = element.children;
  if (children.length === 1 && typeof children[0] === 'string') return children[0];
  let out = '';
  for (const item of children) out += typeof item === 'string' ? item : textOf(item);
  return out;
}

/** hasElementChildren tells whether markup sits inside the element (e.g. unescaped HTML in RSS). */
export function hasElementChildren(element: XmlElement): boolean {
  for (const item of element.children) if (typeof item !== 'string') return true;
  return false;
}

/**
 * htmlOf returns an element's content as HTML: its text when it holds only text (escaped HTML or
 * CDATA, the usual case), else its children serialized back to markup.
 */
export function htmlOf(element: XmlElement): string {
  return hasElementChildren(element) ? innerXml(element.children) : textOf(element);
}

/** innerXml serializes nodes back to markup; XHTML elements lose their prefix, xmlns attributes go. */
export function innerXml(nodes: readonly XmlChild[]): string {
  let out = '';
  for (const node of nodes) out += typeof node === 'string' ? escapeText(node) : outerXml(node);
  return out;
}

function outerXml(element: XmlElement): string {
  const name = element.xhtml ? element.name.slice(element.name.indexOf(':') + 1) : element.name;
  let open = `<${name}`;
  for (const attr in element.attrs) {
    if (attr === 'xmlns' || attr.startsWith('xmlns:')) continue;
    open += ` ${attr}="${escapeAttribute(element.attrs[attr] as string)}"`;
  }
  // An unclosed <br> or <img> in unescaped RSS HTML swallows what follows; put it back after it.
  if (VOID_ELEMENTS.has(name.toLowerCase())) return `${open}>${innerXml(element.children)}`;
  if (element.children.length === 0) return `${open}></${name}>`;
  return `${open}>${innerXml(element.children)}</${name}>`;
}

const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** escapeText escapes text for use as HTML/XML character data. */
export function escapeText(text: string): string {
  if (!/[&<>]/.test(text)) return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  if (!/[&<"]/.test(text)) return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}
