import type { Entry } from '../../model/feed.js';
import { parseDate } from '../common/dates.js';
import { Draft } from '../common/draft.js';
import { applyExtension } from '../common/extensions.js';
import { addPerson, addUnique, parsePerson } from '../common/people.js';
import { cleanText, nonEmpty, titleText } from '../common/text.js';
import { looksLikeUrl, resolveHtmlUrls, resolveUrl } from '../common/urls.js';
import type { XmlElement } from '../xml/reader.js';
import { child, htmlOf, textOf } from '../xml/tree.js';

/**
 * parseRssEntry maps an RSS <item> to an entry. The link is <link>, else the guid when it is a
 * permalink (isPermaLink not "false") that looks like a URL.
 */
export function parseRssEntry(item: XmlElement): Entry {
  const draft = new Draft();
  let permalink: string | undefined;
  for (const node of item.children) {
    if (typeof node === 'string') continue;
    switch (node.key) {
      case 'title':
        draft.put('title', titleText(textOf(node)), 2);
        break;
      case 'link':
        draft.put('link', linkOf(node), 3);
        break;
      case 'guid': {
        const guid = nonEmpty(textOf(node));
        draft.put('id', guid, 2);
        if (guid !== undefined && (node.attrs.isPermaLink ?? node.attrs.ispermalink)?.trim().toLowerCase() !== 'false' && looksLikeUrl(guid)) {
          permalink ??= guid;
        }
        break;
      }
      case 'description':
        draft.put('summary', nonEmpty(resolveHtmlUrls(htmlOf(node), node.base)), 3);
        break;
      case 'pubdate':
        draft.put('published', parseDate(textOf(node)), 3);
        break;
      case 'author':
        addPerson(draft.authors, parsePerson(textOf(node)));
        break;
      case 'category':
        addUnique(draft.categories, textOf(node));
        break;
      case 'enclosure':
        draft.addEnclosure(node.attrs.url, node.base, node.attrs.type, node.attrs.length);
        break;
      case 'copyright':
        draft.put('rights', cleanText(textOf(node)), 2);
        break;
      case 'abstract':
        draft.put('summary', nonEmpty(resolveHtmlUrls(htmlOf(node), node.base)), 1);
        break;
      case 'source':
      case 'comments':
        break;
      default:
        applyExtension(node, draft);
    }
  }
  draft.put('link', permalink, 1);
  applyCdfAttributes(item, draft);
  draft.put('language', nonEmpty(item.lang), 0);
  return draft.toEntry();
}

/** parseRssChannel reads the feed-level fields of an RSS <channel>. */
export function parseRssChannel(channel: XmlElement): Draft {
  const draft = new Draft();
  for (const node of channel.children) {
    if (typeof node === 'string') continue;
    switch (node.key) {
      case 'title':
        draft.put('title', titleText(textOf(node)), 2);
        break;
      case 'link':
        draft.put('link', linkOf(node), 3);
        break;
      case 'description':
        draft.put('summary', nonEmpty(htmlOf(node)), 3);
        break;
      case 'language':
        draft.put('language', cleanText(textOf(node)), 2);
        break;
      case 'copyright':
        draft.put('rights', cleanText(textOf(node)), 2);
        break;
      case 'managingeditor':
        addPerson(draft.authors, parsePerson(textOf(node)));
        break;
      case 'category':
        addUnique(draft.categories, textOf(node));
        break;
      case 'pubdate':
        draft.put('published', parseDate(textOf(node)), 3);
        break;
      case 'lastbuilddate':
        draft.put('updated', parseDate(textOf(node)), 3);
        break;
      case 'ttl': {
        const ttl = Number.parseInt(textOf(node).trim(), 10);
        if (Number.isFinite(ttl) && ttl >= 0) draft.put('ttl', ttl, 1);
        break;
      }
      case 'abstract':
        draft.put('summary', nonEmpty(htmlOf(node)), 1);
        break;
      case 'item':
      case 'image':
      case 'textinput':
        break;
      default:
        applyExtension(node, draft);
    }
  }
  const language = child(channel, 'language') === undefined ? nonEmpty(channel.lang) : undefined;
  draft.put('language', language, 0);
  applyCdfAttributes(channel, draft);
  return draft;
}

function linkOf(node: XmlElement): string | undefined {
  const text = nonEmpty(textOf(node)) ?? nonEmpty(node.attrs.href);
  return text === undefined ? undefined : resolveUrl(text, node.base);
}

/** Microsoft CDF (the RSS predecessor) puts the link and the time on the element itself. */
function applyCdfAttributes(element: XmlElement, draft: Draft): void {
  const href = nonEmpty(element.attrs.href ?? element.attrs.HREF);
  draft.put('link', href === undefined ? undefined : resolveUrl(href, element.base), 0);
  draft.put('updated', parseDate(element.attrs.lastmod ?? element.attrs.LASTMOD), 0);
}
