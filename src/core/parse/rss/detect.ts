import type { XmlElement } from '../xml/reader.js';

/** detectRss tells whether a root element is RSS 0.9x/2.0 and returns its version ('' if none). */
export function detectRss(root: XmlElement): { version: string } | undefined {
  const key = root.key;
  if (key === 'rss') return { version: root.attrs.version?.trim() ?? '' };
  // Some RSS 0.9x generators leave out the <rss> wrapper.
  if (key === 'channel') return { version: '' };
  return undefined;
}
