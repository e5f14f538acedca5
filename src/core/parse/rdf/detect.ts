import type { XmlElement } from '../xml/reader.js';

/** detectRdf tells whether a root element is RSS 1.0 / 0.90 (rdf:RDF) and returns its version. */
export function detectRdf(root: XmlElement): { version: string } | undefined {
  if (root.key !== 'rdf:rdf' && root.key !== 'rdf') return undefined;
  for (const attr in root.attrs) {
    if (attr.startsWith('xmlns') && root.attrs[attr]?.includes('my.netscape.com/rdf/simple/0.9')) {
      return { version: '0.90' };
    }
  }
  return { version: '1.0' };
}
