import type { XmlElement } from '../xml/reader.js';

/** detectAtom tells whether a root element is an Atom feed and returns its version. */
export function detectAtom(root: XmlElement): { version: string } | undefined {
  if (root.key !== 'atom:feed' && root.key !== 'feed') return undefined;
  for (const attr in root.attrs) {
    if (attr.startsWith('xmlns') && root.attrs[attr]?.trim() === 'http://purl.org/atom/ns#') return { version: '0.3' };
  }
  return { version: root.attrs.version?.trim() === '0.3' ? '0.3' : '1.0' };
}
