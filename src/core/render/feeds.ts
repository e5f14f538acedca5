/**
 * Republished feeds: RSS 2.0 (with content:encoded), Atom 1.0 (RFC 4287) and JSON Feed 1.1, from
 * the same normalized channel. Pure: the web layer loads articles, makes their URLs absolute and
 * passes them in; these functions only format.
 *
 * Every item's identifier is `urn:newsmirror:article:<article id>`, never the public URL, so a feed
 * reader keeps its read marks when the mirror moves to another host (RSS `isPermaLink="false"`).
 */
import { decodeHTML } from 'entities';

/** FeedItem is one article as the republished feeds carry it; URLs in `contentHtml` are absolute. */
export interface FeedItem {
  /** The entry's id: an article id (16 chars of [a-z2-7]), with `:v<n>` or `:removed` in the changes feed. */
  id: string;
  title: string;
  /** The original article's link. */
  url: string;
  /** Where this mirror shows the article. */
  mirrorUrl?: string;
  published: number;
  /** Set when the article was edited after publication. */
  updated?: number;
  contentHtml: string;
  authors: string[];
  categories: string[];
  /** The source's display name, used when the item names no author. */
  sourceName: string;
  /** The feed the article came from (RSS `<source url>`). */
  sourceFeedUrl?: string;
}

/** FeedChannel is the feed as a whole: its identity, its links and its newest items, newest first. */
export interface FeedChannel {
  /** Stable identity of the feed (e.g. `rfi` or `all`), part of the Atom feed id. */
  key: string;
  title: string;
  description: string;
  /** The reader page for this feed's articles. */
  homeUrl: string;
  /** The URL this very document is served at (rel="self"). */
  feedUrl: string;
  /** BCP 47 language tag of the content. */
  language: string;
  /** Latest change of any item, epoch ms. */
  updated: number;
  items: FeedItem[];
}

/** FEED_GENERATOR names the software in every feed. */
export const FEED_GENERATOR = 'newsmirror';

/** feedItemId is the stable, host-independent identifier of an article in every feed format. */
export function feedItemId(articleId: string): string {
  return `urn:newsmirror:article:${articleId}`;
}

/**
 * renderRss renders RSS 2.0 with the full body in `content:encoded` (CDATA) and a plain-text
 * excerpt in `description`; edits carry `atom:updated`, which RSS 2.0 itself has no element for.
 */
export function renderRss(channel: FeedChannel): string {
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<channel>',
    `<title>${xmlText(channel.title)}</title>`,
    `<link>${xmlText(channel.homeUrl)}</link>`,
    `<description>${xmlText(channel.description)}</description>`,
    `<language>${xmlText(channel.language)}</language>`,
    `<lastBuildDate>${rfc822(channel.updated)}</lastBuildDate>`,
    `<generator>${FEED_GENERATOR}</generator>`,
    `<atom:link rel="self" type="application/rss+xml" href="${xmlText(channel.feedUrl)}"/>`,
  ];
  for (const item of channel.items) {
    lines.push(
      '<item>',
      `<title>${xmlText(item.title)}</title>`,
      `<link>${xmlText(item.url)}</link>`,
      `<guid isPermaLink="false">${feedItemId(item.id)}</guid>`,
      `<pubDate>${rfc822(item.published)}</pubDate>`,
    );
    if (item.updated !== undefined) lines.push(`<atom:updated>${rfc3339(item.updated)}</atom:updated>`);
    for (const author of authorsOf(item)) lines.push(`<dc:creator>${xmlText(author)}</dc:creator>`);
    for (const category of item.categories) lines.push(`<category>${xmlText(category)}</category>`);
    if (item.sourceFeedUrl !== undefined) lines.push(`<source url="${xmlText(item.sourceFeedUrl)}">${xmlText(item.sourceName)}</source>`);
    lines.push(
      `<description>${xmlText(excerpt(item.contentHtml))}</description>`,
      `<content:encoded>${cdata(item.contentHtml)}</content:encoded>`,
      '</item>',
    );
  }
  lines.push('</channel>', '</rss>', '');
  return lines.join('\n');
}

/** renderAtom renders an Atom 1.0 feed (RFC 4287): escaped-HTML content, `updated` per entry. */
export function renderAtom(channel: FeedChannel): string {
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xmlText(channel.language)}">`,
    `<id>urn:newsmirror:feed:${xmlText(channel.key)}</id>`,
    `<title type="text">${xmlText(channel.title)}</title>`,
    `<subtitle type="text">${xmlText(channel.description)}</subtitle>`,
    `<updated>${rfc3339(channel.updated)}</updated>`,
    `<link rel="self" type="application/atom+xml" href="${xmlText(channel.feedUrl)}"/>`,
    `<link rel="alternate" type="text/html" href="${xmlText(channel.homeUrl)}"/>`,
    // RFC 4287 4.1.1: a feed needs an author unless every entry has one; every entry has one here too.
    `<author><name>${xmlText(channel.title)}</name></author>`,
    `<generator>${FEED_GENERATOR}</generator>`,
  ];
  for (const item of channel.items) {
    lines.push(
      '<entry>',
      `<id>${feedItemId(item.id)}</id>`,
      `<title type="text">${xmlText(item.title)}</title>`,
      `<updated>${rfc3339(item.updated ?? item.published)}</updated>`,
      `<published>${rfc3339(item.published)}</published>`,
      `<link rel="alternate" type="text/html" href="${xmlText(item.url)}"/>`,
    );
    if (item.mirrorUrl !== undefined) lines.push(`<link rel="related" type="text/html" href="${xmlText(item.mirrorUrl)}"/>`);
    for (const author of authorsOf(item)) lines.push(`<author><name>${xmlText(author)}</name></author>`);
    for (const category of item.categories) lines.push(`<category term="${xmlText(category)}"/>`);
    lines.push(`<summary type="text">${xmlText(excerpt(item.contentHtml))}</summary>`);
    lines.push(`<content type="html">${xmlText(item.contentHtml)}</content>`, '</entry>');
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}

/** renderJsonFeed renders JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). */
export function renderJsonFeed(channel: FeedChannel): string {
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: plain(channel.title),
    home_page_url: channel.homeUrl,
    feed_url: channel.feedUrl,
    description: plain(channel.description),
    language: channel.language,
    authors: [{ name: plain(channel.title) }],
    items: channel.items.map((item) => ({
      id: feedItemId(item.id),
      url: item.url,
      ...(item.mirrorUrl === undefined ? {} : { external_url: item.mirrorUrl }),
      title: plain(item.title),
      content_html: plain(item.contentHtml),
      summary: excerpt(item.contentHtml),
      date_published: rfc3339(item.published),
      ...(item.updated === undefined ? {} : { date_modified: rfc3339(item.updated) }),
      authors: authorsOf(item).map((name) => ({ name: plain(name) })),
      ...(item.categories.length === 0 ? {} : { tags: item.categories.map(plain) }),
    })),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}

function authorsOf(item: FeedItem): string[] {
  const names = item.authors.map((name) => name.trim()).filter((name) => name !== '');
  return names.length > 0 ? names : [item.sourceName];
}

/** excerpt is the body's first ~200 characters of text, for RSS description and Atom summary. */
function excerpt(html: string, max = 200): string {
  const text = decodeHTML(html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}

// XML 1.0 allows tab, LF, CR and U+0020 and up, minus lone surrogates and U+FFFE/U+FFFF.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** plain drops the characters XML cannot carry, so every format carries the same text. */
function plain(value: string): string {
  return value.replace(XML_INVALID, '');
}

/** xmlText makes any string safe as XML character data or an attribute value. */
function xmlText(value: string): string {
  return value
    .replace(XML_INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * cdata wraps text in CDATA, splitting any `]]>` it contains across two sections. A literal
 * `<![CDATA[` inside is legal XML, but lenient readers take it for a broken nested section, so it
 * is split too.
 */
function cdata(value: string): string {
  const split = value.replace(XML_INVALID, '').replace(/]]>|<!\[CDATA\[/g, (match) => (match === ']]>' ? ']]]]><![CDATA[>' : '<!]]><![CDATA[[CDATA['));
  return `<![CDATA[${split}]]>`;
}

function rfc822(epochMs: number): string {
  return new Date(epochMs).toUTCString();
}

function rfc3339(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
