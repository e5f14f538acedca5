/**
 * OPML 2.0 for the source list: `export-opml` writes the catalog for feed readers, `import-opml`
 * reads any reader's export back into catalog entries. Pure.
 */
import { parseDocument } from 'htmlparser2';
import { Element, type ChildNode } from 'domhandler';
import { NewsmirrorError } from '../errors.js';

/** OpmlSource is one feed of an OPML document. */
export interface OpmlSource {
  /** The source id (exported as the `newsmirrorId` attribute), when the document carries one. */
  id?: string;
  name: string;
  url: string;
  /** The site's home page, when known. */
  htmlUrl?: string;
}

/** renderOpml writes the sources as OPML 2.0 `rss` outlines, keeping each source id. */
export function renderOpml(input: { title: string; created?: number; sources: OpmlSource[] }): string {
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<opml version="2.0">',
    '<head>',
    `<title>${attr(input.title)}</title>`,
  ];
  if (input.created !== undefined) lines.push(`<dateCreated>${new Date(input.created).toUTCString()}</dateCreated>`);
  lines.push('</head>', '<body>');
  for (const source of input.sources) {
    const extra = [
      source.htmlUrl === undefined ? '' : ` htmlUrl="${attr(source.htmlUrl)}"`,
      source.id === undefined ? '' : ` newsmirrorId="${attr(source.id)}"`,
    ].join('');
    lines.push(`<outline type="rss" text="${attr(source.name)}" title="${attr(source.name)}" xmlUrl="${attr(source.url)}"${extra}/>`);
  }
  lines.push('</body>', '</opml>', '');
  return lines.join('\n');
}

/**
 * parseOpml reads every outline with an `xmlUrl` (at any depth: readers nest them in folders), in
 * document order, skipping repeated URLs. Throws a `usage` error when the text is not OPML.
 */
export function parseOpml(text: string): OpmlSource[] {
  const doc = parseDocument(text, { xmlMode: true, decodeEntities: true });
  const root = doc.children.find((node): node is Element => node instanceof Element);
  if (root?.name.toLowerCase() !== 'opml') {
    throw new NewsmirrorError('usage', 'config', 'not an OPML document (no <opml> root element)');
  }
  const found: OpmlSource[] = [];
  const seen = new Set<string>();
  const visit = (nodes: ChildNode[]): void => {
    for (const node of nodes) {
      if (!(node instanceof Element)) continue;
      if (node.name.toLowerCase() === 'outline') {
        const url = attribute(node, 'xmlUrl')?.trim();
        if (url && !seen.has(url)) {
          seen.add(url);
          const name = (attribute(node, 'title') ?? attribute(node, 'text') ?? '').trim() || url;
          const source: OpmlSource = { name, url };
          const id = attribute(node, 'newsmirrorId')?.trim();
          if (id) source.id = id;
          const htmlUrl = attribute(node, 'htmlUrl')?.trim();
          if (htmlUrl) source.htmlUrl = htmlUrl;
          found.push(source);
        }
      }
      visit(node.children);
    }
  };
  visit(root.children);
  return found;
}

/** Attribute names are case-insensitive in the wild (`xmlurl`, `XMLURL`). */
function attribute(element: Element, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(element.attribs)) {
    if (key.toLowerCase() === lower) return value;
  }
  return undefined;
}

// Control characters other than tab, LF and CR are not allowed anywhere in XML 1.0.
// eslint-disable-next-line no-control-regex
const XML_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;

function attr(value: string): string {
  return value
    .replace(XML_CONTROL, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
