import type { Person } from '../../model/feed.js';
import type { XmlElement } from '../xml/reader.js';
import { htmlOf, innerXml, textOf } from '../xml/tree.js';
import { parseDate } from './dates.js';
import type { Draft } from './draft.js';
import { addPerson, addUnique } from './people.js';
import { cleanText, nonEmpty, textToHtml, titleText } from './text.js';
import { resolveHtmlUrls, resolveUrl } from './urls.js';

/**
 * applyExtension reads the namespaced elements every XML format may carry (Dublin Core, content,
 * Media RSS, iTunes, XHTML body, Atom elements inside RSS) into the draft. It returns false for
 * elements it does not know.
 */
export function applyExtension(node: XmlElement, draft: Draft): boolean {
  switch (node.key) {
    case 'content:encoded':
      draft.put('content', nonEmpty(resolveHtmlUrls(htmlOf(node), node.base)), 3);
      return true;
    case 'xhtml:body':
    case 'xhtml:div':
      draft.put('content', nonEmpty(resolveHtmlUrls(innerXml(node.children), node.base)), 2);
      return true;
    case 'dc:title':
      draft.put('title', titleText(textOf(node)), 1);
      return true;
    case 'dc:creator':
    case 'dc:author':
      addPerson(draft.authors, namePerson(textOf(node)));
      return true;
    case 'dc:subject':
      addUnique(draft.categories, textOf(node));
      return true;
    case 'dc:date': {
      // dc:date is the only date many RSS 1.0 items have; other readers report it as the update time.
      const date = parseDate(textOf(node));
      draft.put('published', date, 2);
      draft.put('updated', date, 0);
      return true;
    }
    case 'dcterms:issued':
    case 'dcterms:created':
      draft.put('published', parseDate(textOf(node)), 1);
      return true;
    case 'dcterms:modified':
      draft.put('updated', parseDate(textOf(node)), 1);
      return true;
    case 'dc:description':
      draft.put('summary', nonEmpty(resolveHtmlUrls(htmlOf(node), node.base)), 2);
      return true;
    case 'dc:rights':
    case 'dcterms:rights':
      draft.put('rights', cleanText(textOf(node)), 1);
      return true;
    case 'dc:language':
      draft.put('language', cleanText(textOf(node)), 1);
      return true;
    case 'dc:identifier':
      draft.put('id', nonEmpty(textOf(node)), 1);
      return true;
    case 'media:group':
      for (const item of node.children) if (typeof item !== 'string') applyExtension(item, draft);
      return true;
    case 'media:content':
      draft.addEnclosure(node.attrs.url, node.base, node.attrs.type, node.attrs.fileSize);
      for (const item of node.children) if (typeof item !== 'string') applyExtension(item, draft);
      return true;
    case 'media:thumbnail':
      draft.addEnclosure(node.attrs.url, node.base);
      return true;
    case 'media:title':
      draft.put('title', cleanText(textOf(node)), 0);
      return true;
    case 'media:description': {
      const text = textOf(node);
      draft.put('summary', nonEmpty(node.attrs.type === 'html' ? text : textToHtml(text)), 0);
      return true;
    }
    case 'atom:link':
      applyAtomLink(node, draft, 2);
      return true;
    case 'atom:id':
      draft.put('id', nonEmpty(textOf(node)), 1);
      return true;
    case 'atom:updated':
      draft.put('updated', parseDate(textOf(node)), 2);
      return true;
    case 'atom:published':
      draft.put('published', parseDate(textOf(node)), 2);
      return true;
    case 'atom:author':
      addPerson(draft.authors, atomPerson(node));
      return true;
    case 'feedburner:origlink': {
      // FeedBurner rewrites <link> to a feedproxy redirect; origLink is the article's real URL.
      const link = nonEmpty(textOf(node));
      draft.put('link', link === undefined ? undefined : resolveUrl(link, node.base), 4);
      return true;
    }
    case 'itunes:author':
      addPerson(draft.fallbackAuthors, namePerson(textOf(node)));
      return true;
    case 'itunes:category':
      addUnique(draft.categories, node.attrs.text);
      for (const item of node.children) if (typeof item !== 'string') applyExtension(item, draft);
      return true;
    case 'itunes:keywords':
      for (const keyword of textOf(node).split(',')) addUnique(draft.categories, keyword);
      return true;
    case 'itunes:summary':
      draft.put('summary', nonEmpty(textToHtml(textOf(node))), 1);
      return true;
    default:
      return false;
  }
}

/**
 * applyAtomLink reads an Atom link: rel=alternate (or no rel) is the entry's link, preferring an
 * HTML type; rel=enclosure is a media file.
 */
export function applyAtomLink(node: XmlElement, draft: Draft, priority: number): void {
  const rel = (node.attrs.rel ?? 'alternate').trim().toLowerCase();
  const href = node.attrs.href?.trim();
  if (href === undefined) return;
  if (rel === 'enclosure') {
    draft.addEnclosure(href, node.base, node.attrs.type, node.attrs.length);
    return;
  }
  if (rel !== 'alternate' && rel !== 'http://www.iana.org/assignments/relation/alternate') return;
  const type = node.attrs.type?.toLowerCase();
  const htmlish = type === undefined || type === 'text/html' || type === 'application/xhtml+xml';
  draft.put('link', resolveUrl(href, node.base), htmlish ? priority + 0.5 : priority);
}

/** atomPerson reads an Atom person construct (name, email, uri; Atom 0.3 url). */
export function atomPerson(node: XmlElement): Person | undefined {
  const person: Person = {};
  let found = false;
  for (const item of node.children) {
    if (typeof item === 'string') continue;
    const local = item.key.slice(item.key.indexOf(':') + 1);
    const value = nonEmpty(textOf(item));
    if (value === undefined) continue;
    if (local === 'name') person.name = cleanText(value);
    else if (local === 'email') person.email = value;
    else if (local === 'uri' || local === 'url') person.url = resolveUrl(value, item.base) ?? value;
    else continue;
    found = true;
  }
  if (!found) {
    const text = nonEmpty(textOf(node));
    return text === undefined ? undefined : { name: cleanText(text) };
  }
  return person;
}

function namePerson(text: string): Person | undefined {
  const name = cleanText(text);
  return name === '' ? undefined : { name };
}
