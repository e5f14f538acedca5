import type { Entry } from '../../model/feed.js';
import { Draft } from '../common/draft.js';
import { applyExtension } from '../common/extensions.js';
import { nonEmpty, titleText } from '../common/text.js';
import { resolveHtmlUrls, resolveUrl } from '../common/urls.js';
import type { XmlElement } from '../xml/reader.js';
import { htmlOf, textOf } from '../xml/tree.js';

/** parseRdfEntry maps an RSS 1.0 <item> to an entry; rdf:about is its id. */
export function parseRdfEntry(item: XmlElement): Entry {
  const draft = readCommon(item);
  draft.put('id', nonEmpty(about(item)), 2);
  return draft.toEntry();
}

/** parseRdfChannel reads the feed-level fields of an RSS 1.0 <channel>. */
export function parseRdfChannel(channel: XmlElement): Draft {
  const draft = readCommon(channel);
  draft.put('id', nonEmpty(about(channel)), 2);
  return draft;
}

function readCommon(element: XmlElement): Draft {
  const draft = new Draft();
  for (const node of element.children) {
    if (typeof node === 'string') continue;
    switch (node.key) {
      case 'title':
        draft.put('title', titleText(textOf(node)), 2);
        break;
      case 'link': {
        const link = nonEmpty(textOf(node));
        draft.put('link', link === undefined ? undefined : resolveUrl(link, node.base), 3);
        break;
      }
      case 'description':
        draft.put('summary', nonEmpty(resolveHtmlUrls(htmlOf(node), node.base)), 3);
        break;
      default:
        applyExtension(node, draft);
    }
  }
  draft.put('language', nonEmpty(element.lang), 0);
  return draft;
}

function about(element: XmlElement): string | undefined {
  for (const attr in element.attrs) {
    if (attr === 'rdf:about' || attr === 'about' || attr.endsWith(':about')) return element.attrs[attr];
  }
  return undefined;
}
