import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { renderAtom, renderJsonFeed, renderRss, type FeedChannel } from '../core/render/index.js';
import { notModified, type Env } from './context.js';

// The content types of the three feed formats, by the file extension that asks for them.
const FEED_TYPES = {
  xml: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
} as const;

/** FeedFormat is a feed file's extension: `xml` (RSS 2.0), `atom` or `json` (JSON Feed 1.1). */
export type FeedFormat = keyof typeof FEED_TYPES;

/**
 * sendFeed renders a channel in a format and answers with validators: the ETag is a hash of the body,
 * Last-Modified the channel's `updated`; a matching conditional request gets a 304.
 */
export function sendFeed(c: Context<Env>, channel: FeedChannel, format: FeedFormat): Response {
  const text = format === 'xml' ? renderRss(channel) : format === 'atom' ? renderAtom(channel) : renderJsonFeed(channel);
  const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
  c.header('ETag', etag);
  c.header('Last-Modified', new Date(Math.floor(channel.updated / 1000) * 1000).toUTCString());
  c.header('Cache-Control', 'public, max-age=300');
  if (notModified(c.req.header('if-none-match'), c.req.header('if-modified-since'), etag, channel.updated)) return c.body(null, 304);
  c.header('Content-Type', FEED_TYPES[format]);
  return c.body(text);
}
