import type { Entry } from '../../model/feed.js';
import { parseDate } from '../common/dates.js';
import { Draft } from '../common/draft.js';
import { applyAtomLink, applyExtension, atomPerson } from '../common/extensions.js';
import { addPerson, addUnique } from '../common/people.js';
import { fieldText } from '../../html/index.js';
import { cleanText, nonEmpty, textToHtml } from '../common/text.js';
import { resolveHtmlUrls, resolveUrl } from '../common/urls.js';
import type { XmlElement } from '../xml/reader.js';
import { child, hasElementChildren, innerXml, textOf } from '../xml/tree.js';

/** parseAtomEntry maps an Atom <entry> (1.0 or 0.3) to an entry. */
export function parseAtomEntry(entry: XmlElement): Entry {
  const draft = readCommon(entry);
  return draft.toEntry();
}

/** parseAtomFeed reads the feed-level fields of an Atom <feed>. */
export function parseAtomFeed(feed: XmlElement): Draft {
  return readCommon(feed);
}

function readCommon(element: XmlElement): Draft {
  const draft = new Draft();
  for (const node of element.children) {
    if (typeof node === 'string') continue;
    switch (node.key) {
      case 'title':
        draft.put('title', atomTitle(node), 2);
        break;
      case 'link':
        applyAtomLink(node, draft, 3);
        break;
      case 'id':
        draft.put('id', atomId(node), 3);
        break;
      case 'summary':
      case 'subtitle':
      case 'tagline':
        draft.put('summary', atomHtml(node), 3);
        break;
      case 'content':
        // Out-of-line content (src) and non-text media types (base64 images…) are no article text.
        if (node.attrs.src === undefined && !isMediaType(node.attrs.type)) draft.put('content', atomHtml(node), 3);
        break;
      case 'published':
      case 'issued':
        draft.put('published', parseDate(textOf(node)), 3);
        break;
      case 'created':
        draft.put('published', parseDate(textOf(node)), 1);
        break;
      case 'updated':
      case 'modified':
        draft.put('updated', parseDate(textOf(node)), 3);
        break;
      case 'author':
        addPerson(draft.authors, atomPerson(node));
        break;
      case 'category':
        addUnique(draft.categories, node.attrs.term ?? node.attrs.label ?? textOf(node));
        break;
      case 'rights':
      case 'copyright':
        draft.put('rights', atomTitle(node), 2);
        break;
      case 'entry':
        break;
      default:
        applyExtension(node, draft);
    }
  }
  draft.put('language', nonEmpty(element.lang), 0);
  return draft;
}

/**
 * atomId reads an Atom id. Ids are IRIs, and some generators write them relative (`/posts/1`); those
 * are resolved against the xml:base in effect, or the document URL, as feedparser does. Bare tokens
 * without a slash (`1234`) are kept as they are: they are names, not paths, and resolving them would
 * only change the identity of entries already stored under them.
 */
function atomId(node: XmlElement): string | undefined {
  const id = nonEmpty(textOf(node));
  if (id === undefined || node.base === undefined || ABSOLUTE_IRI.test(id) || !/^[^\s]*\/[^\s]*$/.test(id)) return id;
  return resolveUrl(id, node.base);
}

const ABSOLUTE_IRI = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

type TextKind = 'text' | 'html' | 'xhtml' | 'base64';

/**
 * kindOf reads an Atom text construct's type: Atom 1.0 `text|html|xhtml`, Atom 0.3 a MIME type with
 * `mode="xml|escaped|base64"`.
 */
function kindOf(node: XmlElement): TextKind {
  const type = (node.attrs.type ?? '').trim().toLowerCase();
  const mode = (node.attrs.mode ?? '').trim().toLowerCase();
  if (mode === 'base64') return 'base64';
  if (type === 'xhtml' || type === 'application/xhtml+xml') return 'xhtml';
  if (type === 'html' || type === 'text/html') return mode === 'xml' ? 'xhtml' : 'html';
  // Markup inside a construct that claims (or defaults to) text: keep it rather than flatten it.
  if ((mode === 'xml' || type === '' || type === 'text') && hasElementChildren(node)) return 'xhtml';
  return 'text';
}

/** atomHtml returns a text construct as HTML, its relative URLs resolved against its xml:base. */
function atomHtml(node: XmlElement): string | undefined {
  const html = atomMarkup(node);
  return html === undefined ? undefined : resolveHtmlUrls(html, node.base);
}

function atomMarkup(node: XmlElement): string | undefined {
  switch (kindOf(node)) {
    case 'xhtml':
      return nonEmpty(innerXml(xhtmlChildren(node)));
    case 'html':
      // Raw markup where escaped HTML belongs: serialize it rather than lose it.
      return nonEmpty(hasElementChildren(node) ? innerXml(node.children) : textOf(node));
    case 'base64':
      return nonEmpty(decodeBase64(textOf(node)));
    default:
      return nonEmpty(textToHtml(textOf(node)));
  }
}

/** atomTitle returns a text construct as plain text. */
function atomTitle(node: XmlElement): string | undefined {
  switch (kindOf(node)) {
    case 'xhtml':
      return nonEmpty(fieldText(innerXml(xhtmlChildren(node))));
    case 'html':
      return nonEmpty(fieldText(hasElementChildren(node) ? innerXml(node.children) : textOf(node)));
    case 'base64':
      return nonEmpty(fieldText(decodeBase64(textOf(node))));
    default:
      return nonEmpty(cleanText(textOf(node)));
  }
}

/** The content of type="xhtml" is wrapped in one XHTML div that is not part of the content. */
function xhtmlChildren(node: XmlElement): XmlElement['children'] {
  const div = child(node, 'xhtml:div') ?? child(node, 'div');
  if (!div) return node.children;
  for (const item of node.children) {
    if (item !== div && (typeof item !== 'string' || item.trim() !== '')) return node.children;
  }
  return div.children;
}

function isMediaType(type: string | undefined): boolean {
  if (type === undefined || !type.includes('/')) return false;
  const lower = type.trim().toLowerCase();
  return !lower.startsWith('text/') && !lower.includes('xml') && !lower.includes('html');
}

function decodeBase64(text: string): string {
  try {
    const binary = atob(text.replace(/\s+/g, ''));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8').decode(bytes);
  } catch {
    return '';
  }
}
