/**
 * An article body as EPUB XHTML, pure: the stored body sanitized again, parsed, and written back as
 * well-formed XML that also meets HTML's content models, because `epubcheck` validates every chapter
 * against the XHTML schema and e-readers are strict XML parsers.
 *
 * The sanitizer's allowlist is HTML's, but its output keeps whatever nesting the publisher wrote
 * (a `<div>` inside a `<p>`, text straight inside a `<ul>`): a browser forgives that, the schema does
 * not. So flow elements met where only phrasing content may stand are unwrapped (their content kept),
 * stray list and table content is wrapped into the element its parent needs, and elements out of
 * their only allowed parent become a `<div>` or a `<span>`.
 *
 * Images are the archive's mirrored media only (an EPUB may not load anything remote): a mirrored
 * image the book carries is shown, any other image is left out with its alt text.
 */
import { parseDocument } from 'htmlparser2';
import { Element, Text, type ChildNode } from 'domhandler';
import { sanitizeHtml } from '../core/clean/index.js';
import { mediaUrlPath } from '../web/body.js';

/** PHRASING are the allowlisted elements that may stand inside a paragraph (`a`, `del`, `ins` take their parent's model). */
const PHRASING: ReadonlySet<string> = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'br', 'cite', 'code', 'del', 'dfn', 'em', 'i', 'img', 'ins', 'kbd', 'mark', 'q',
  'ruby', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'wbr',
]);

/** TRANSPARENT elements take the content model of their parent. */
const TRANSPARENT: ReadonlySet<string> = new Set(['a', 'del', 'ins']);

/** PHRASING_CONTENT are the flow elements whose own content may only be phrasing. */
const PHRASING_CONTENT: ReadonlySet<string> = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'dt']);

const VOID: ReadonlySet<string> = new Set(['br', 'wbr', 'hr', 'img', 'col']);

/** Attributes kept per element (besides `lang` and `dir`), each value already checked by the sanitizer. */
const ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan', 'scope', 'abbr'],
  col: ['span'],
  colgroup: ['span'],
  ol: ['start'],
};

/** The elements that are only valid below one kind of parent, and what they become elsewhere. */
const ONLY_BELOW: Readonly<Record<string, { parents: readonly string[]; otherwise: string }>> = {
  li: { parents: ['ul', 'ol'], otherwise: 'div' },
  dt: { parents: ['dl'], otherwise: 'p' },
  dd: { parents: ['dl'], otherwise: 'div' },
  tr: { parents: ['table', 'thead', 'tbody', 'tfoot'], otherwise: 'div' },
  td: { parents: ['tr'], otherwise: 'div' },
  th: { parents: ['tr'], otherwise: 'div' },
  thead: { parents: ['table'], otherwise: 'div' },
  tbody: { parents: ['table'], otherwise: 'div' },
  tfoot: { parents: ['table'], otherwise: 'div' },
  caption: { parents: ['table'], otherwise: 'div' },
  figcaption: { parents: ['figure'], otherwise: 'div' },
  summary: { parents: ['details'], otherwise: 'p' },
  rt: { parents: ['ruby'], otherwise: 'span' },
  rp: { parents: ['ruby'], otherwise: 'span' },
};

/** What a container element's non-conforming children are wrapped in. */
const WRAP: Readonly<Record<string, { keep: readonly string[]; wrap: readonly string[] }>> = {
  ul: { keep: ['li'], wrap: ['li'] },
  ol: { keep: ['li'], wrap: ['li'] },
  table: { keep: ['caption', 'colgroup', 'thead', 'tbody', 'tfoot', 'tr'], wrap: ['tr', 'td'] },
  thead: { keep: ['tr'], wrap: ['tr', 'td'] },
  tbody: { keep: ['tr'], wrap: ['tr', 'td'] },
  tfoot: { keep: ['tr'], wrap: ['tr', 'td'] },
  tr: { keep: ['td', 'th'], wrap: ['td'] },
  colgroup: { keep: ['col'], wrap: [] },
};

/** Elements dropped with their content: the book cannot play or frame anything remote. */
const REMOTE_PLAYERS: ReadonlySet<string> = new Set(['iframe', 'video', 'audio']);

/** Characters XML 1.0 does not allow, and lone surrogates. */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** escapeXml escapes text or an attribute value for XML, dropping the characters XML cannot hold. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** MediaHref gives the in-book href of a mirrored media file (`media/ab/<sha>.<ext>`), or undefined when the book does not carry it. */
export type MediaHref = (path: string) => string | undefined;

/** ParsedBody is a stored body sanitized and parsed once, with the mirrored media its images show. */
export interface ParsedBody {
  nodes: ChildNode[];
  /** Mirrored media files (`media/ab/<sha>.<ext>`) of its images, in order. */
  media: string[];
}

/** parseBody sanitizes and parses a stored body and lists the mirrored media of its images. */
export function parseBody(bodyHtml: string): ParsedBody {
  const nodes = parseDocument(sanitizeHtml(bodyHtml), { decodeEntities: true }).children;
  const media: string[] = [];
  const visit = (list: ChildNode[]): void => {
    for (const node of list) {
      if (!(node instanceof Element)) continue;
      if (node.name === 'img') {
        const local = mediaUrlPath(node.attribs.src ?? '');
        if (local !== undefined) media.push(local.slice(1));
      }
      visit(node.children);
    }
  };
  visit(nodes);
  return { nodes, media };
}

interface Context {
  /** Only phrasing content may stand here. */
  phrasing: boolean;
  /** Inside a link: no other link may open. */
  inLink: boolean;
  parent: string;
}

/**
 * renderXhtmlBody writes a parsed body as XHTML flow content (for inside a `<section>`): sanitized,
 * nesting made valid, mirrored images through `media`, other images as their alt text.
 */
export function renderXhtmlBody(body: ParsedBody, media: MediaHref): string {
  return renderNodes(body.nodes, { phrasing: false, inLink: false, parent: 'section' }, media);
}

function renderNodes(nodes: ChildNode[], context: Context, media: MediaHref): string {
  const rule = WRAP[context.parent];
  let out = '';
  for (const node of nodes) {
    if (rule !== undefined && !(node instanceof Element && rule.keep.includes(node.name))) {
      // Whitespace between rows or items is formatting, not content.
      if (node instanceof Text && node.data.trim() === '') continue;
      if (rule.wrap.length === 0) continue;
      out += wrapped(node, rule.wrap, context, media);
      continue;
    }
    out += renderNode(node, context, media);
  }
  return out;
}

function wrapped(node: ChildNode, wrappers: readonly string[], context: Context, media: MediaHref): string {
  // A <td> straight in a <table> needs only the <tr>, not a cell of its own.
  const own = node instanceof Element ? wrappers.indexOf(node.name) : -1;
  if (own === 0) return renderNode(node, context, media);
  if (own > 0) return wrapped(node, wrappers.slice(0, own), context, media);
  const [outer, ...inner] = wrappers as [string, ...string[]];
  const innerContext: Context = { phrasing: false, inLink: context.inLink, parent: outer };
  const content = inner.length > 0 ? wrapped(node, inner, innerContext, media) : renderNode(node, innerContext, media);
  return `<${outer}>${content}</${outer}>`;
}

function renderNode(node: ChildNode, context: Context, media: MediaHref): string {
  if (node instanceof Text) return escapeXml(node.data);
  if (!(node instanceof Element)) return '';
  let name = node.name;
  if (REMOTE_PLAYERS.has(name) || name === 'source' || name === 'track') return '';
  if (name === 'img') return image(node, media);
  const placement = ONLY_BELOW[name];
  if (placement !== undefined && !placement.parents.includes(context.parent)) name = placement.otherwise;
  if (name === 'figcaption' && !isFirstOrLastElement(node)) name = 'div';
  if (name === 'summary' && !isFirstOrLastElement(node, true)) name = 'p';
  if (name === 'dl' && !isTermList(node)) name = 'div';
  // Without a datetime a <time> must hold a valid date; without dir a <bdo> is invalid.
  if (name === 'time' || name === 'bdo') name = 'span';
  if ((context.phrasing && !PHRASING.has(name)) || (name === 'a' && context.inLink)) {
    return renderNodes(node.children, context, media);
  }
  const childContext: Context = {
    phrasing: TRANSPARENT.has(name) ? context.phrasing : context.phrasing || PHRASING.has(name) || PHRASING_CONTENT.has(name),
    inLink: context.inLink || name === 'a',
    parent: name,
  };
  const attributes = attributesOf(node, name, context);
  if (VOID.has(name)) return `<${name}${attributes}/>`;
  return `<${name}${attributes}>${renderNodes(node.children, childContext, media)}</${name}>`;
}

function attributesOf(node: Element, name: string, context: Context): string {
  const out: [string, string][] = [];
  for (const attribute of ['lang', 'dir', ...(ATTRIBUTES[name] ?? [])]) {
    const value = node.attribs[attribute];
    if (value !== undefined) out.push([attribute, value]);
  }
  if (name === 'ol' && node.attribs.reversed !== undefined) out.push(['reversed', 'reversed']);
  if (name === 'ol' && /^[1aAiI]$/.test(node.attribs.type ?? '')) out.push(['type', node.attribs.type as string]);
  if (name === 'li' && context.parent === 'ol' && node.attribs.value !== undefined) out.push(['value', node.attribs.value]);
  if (name === 'a') {
    const href = externalHref(node.attribs.href);
    if (href !== undefined) out.push(['href', href]);
  }
  return out.map(([key, value]) => ` ${key}="${escapeXml(value)}"`).join('');
}

/**
 * externalHref is a link to the web as an RFC 3986 URI, or undefined (the book holds no other page a
 * body could link to). Browsers accept `[`, `|` or a lone `%` in a path, epubcheck does not: the WHATWG
 * serialization leaves them, so they are percent-encoded here, and a second `#` too.
 */
export function externalHref(href: string | undefined): string | undefined {
  if (href === undefined || !/^(?:https?|mailto):/i.test(href)) return undefined;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  const whole = url.href;
  const head = url.protocol === 'mailto:' ? url.protocol : `${url.protocol}//${url.host}`;
  if (!whole.startsWith(head)) return undefined;
  const hash = whole.indexOf('#', head.length);
  const encode = (part: string, extra: string): string =>
    part.replace(/%(?![0-9A-Fa-f]{2})/g, '%25').replace(new RegExp(`[^A-Za-z0-9\\-._~:/?@!$&'()*+,;=%${extra}]`, 'g'), (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  const rest = hash === -1 ? encode(whole.slice(head.length), '') : `${encode(whole.slice(head.length, hash), '')}#${encode(whole.slice(hash + 1), '')}`;
  return `${head}${rest}`;
}

function image(node: Element, media: MediaHref): string {
  const alt = (node.attribs.alt ?? '').trim();
  const local = mediaUrlPath(node.attribs.src ?? '');
  const href = local === undefined ? undefined : media(local.slice(1));
  if (href === undefined) return alt === '' ? '' : `<span class="image-missing">[图片：${escapeXml(alt)}]</span>`;
  const size = ['width', 'height']
    .filter((key) => /^\d{1,5}$/.test(node.attribs[key] ?? ''))
    .map((key) => ` ${key}="${node.attribs[key] as string}"`)
    .join('');
  return `<img src="${escapeXml(href)}" alt="${escapeXml(alt)}"${size}/>`;
}

/** isFirstOrLastElement: a figcaption (or, with `firstOnly`, a summary) must open or close its parent. */
function isFirstOrLastElement(node: Element, firstOnly = false): boolean {
  const siblings = (node.parent?.children ?? []).filter((child) => child instanceof Element || (child instanceof Text && child.data.trim() !== ''));
  return siblings[0] === node || (!firstOnly && siblings.at(-1) === node);
}

/** isTermList: a <dl> holds only groups of terms then descriptions; any other one is shown as a <div>. */
function isTermList(node: Element): boolean {
  let shape = '';
  for (const child of node.children) {
    if (child instanceof Element) shape += child.name === 'dt' ? 't' : child.name === 'dd' ? 'd' : 'x';
    else if (child instanceof Text && child.data.trim() !== '') shape += 'x';
  }
  return /^(?:t+d+)*$/.test(shape);
}
