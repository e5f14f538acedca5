import { Element, Text, type ChildNode, type ParentNode } from 'domhandler';
import { BLOCK_TAGS, VOID_TAGS, parseHtml, relink, serializeHtml } from '../html/index.js';
import type { SanitizeOptions } from './types.js';
import { hostMatches, parseBase, safeUrl } from './url.js';

/**
 * FRAME_HOSTS are the video hosts whose players may be embedded; every other iframe is dropped.
 * Embeds are always https and sandboxed (see FRAME_SANDBOX).
 */
export const FRAME_HOSTS: readonly string[] = [
  'youtube.com',
  'youtube-nocookie.com',
  'player.vimeo.com',
  'dailymotion.com',
  'player.bilibili.com',
];

/** FRAME_SANDBOX is the sandbox every kept iframe gets: scripts for the player, no top navigation, no forms. */
export const FRAME_SANDBOX = 'allow-scripts allow-same-origin allow-popups';

const LINK_REL = 'noopener noreferrer nofollow';

// Dropped with everything inside: executable, styling, form and foreign-content elements.
const DROP_WITH_CONTENT: ReadonlySet<string> = new Set([
  'script',
  'style',
  'template',
  'object',
  'embed',
  'applet',
  'base',
  'basefont',
  'meta',
  'link',
  'title',
  'head',
  'svg',
  'math',
  'form',
  'input',
  'button',
  'select',
  'option',
  'optgroup',
  'datalist',
  'textarea',
  'output',
  'keygen',
  'frame',
  'frameset',
  'noframes',
  'noembed',
  'param',
  'xmp',
  'plaintext',
  'canvas',
  'dialog',
  'portal',
  'area',
  'map',
  'isindex',
  'command',
  'menu',
  'menuitem',
  'slot',
  'noscript',
]);

const GLOBAL_ATTRS: ReadonlySet<string> = new Set(['lang', 'dir', 'title']);

// Elements kept, with the attributes each may carry beyond GLOBAL_ATTRS.
const TAG_ATTRS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries({
    a: ['href'],
    abbr: [],
    b: [],
    bdi: [],
    bdo: [],
    blockquote: ['cite'],
    br: [],
    caption: [],
    cite: [],
    code: [],
    col: ['span'],
    colgroup: ['span'],
    dd: [],
    del: ['cite', 'datetime'],
    details: ['open'],
    dfn: [],
    div: [],
    dl: [],
    dt: [],
    em: [],
    figcaption: [],
    figure: [],
    h1: [],
    h2: [],
    h3: [],
    h4: [],
    h5: [],
    h6: [],
    hr: [],
    i: [],
    img: ['src', 'srcset', 'sizes', 'alt', 'width', 'height'],
    ins: ['cite', 'datetime'],
    kbd: [],
    li: ['value'],
    mark: [],
    ol: ['start', 'reversed', 'type'],
    p: [],
    pre: [],
    q: ['cite'],
    rp: [],
    rt: [],
    ruby: [],
    s: [],
    samp: [],
    small: [],
    span: [],
    strong: [],
    sub: [],
    summary: [],
    sup: [],
    table: [],
    tbody: [],
    td: ['colspan', 'rowspan', 'headers'],
    tfoot: [],
    th: ['colspan', 'rowspan', 'headers', 'scope', 'abbr'],
    thead: [],
    time: ['datetime'],
    tr: [],
    u: [],
    ul: [],
    var: [],
    wbr: [],
    // Media: allowed only through their own checks below.
    iframe: ['src', 'width', 'height', 'allowfullscreen'],
    video: ['src', 'poster', 'width', 'height', 'controls', 'loop', 'muted', 'playsinline', 'preload'],
    audio: ['src', 'controls', 'loop', 'muted', 'preload'],
    source: ['src', 'type', 'media'],
    track: ['src', 'kind', 'srclang', 'label', 'default'],
  }).map(([tag, attrs]) => [tag, new Set(attrs)]),
);

const MEDIA_TAGS: ReadonlySet<string> = new Set(['iframe', 'video', 'audio', 'source', 'track']);

const VALUE_CHECKS: Readonly<Record<string, RegExp>> = {
  width: /^\d{1,5}$/,
  height: /^\d{1,5}$/,
  colspan: /^\d{1,4}$/,
  rowspan: /^\d{1,4}$/,
  span: /^\d{1,4}$/,
  start: /^-?\d{1,9}$/,
  value: /^-?\d{1,9}$/,
  lang: /^[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*$/,
  srclang: /^[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*$/,
  dir: /^(?:ltr|rtl|auto)$/i,
  type: /^(?:[1aAiI]|[a-z]+\/[a-z0-9.+-]+(?:;\s*codecs="?[a-z0-9., +-]*"?)?)$/i,
  scope: /^(?:row|col|rowgroup|colgroup)$/i,
  preload: /^(?:none|metadata|auto)$/i,
  kind: /^(?:subtitles|captions|descriptions|chapters|metadata)$/i,
  datetime: /^[0-9T:.+\-Z ]{4,40}$/i,
};

const BOOLEAN_ATTRS: ReadonlySet<string> = new Set([
  'controls',
  'loop',
  'muted',
  'playsinline',
  'reversed',
  'open',
  'default',
  'allowfullscreen',
]);

const BLANK = /^[\s\u00a0\u3000\u200b-\u200d\u2060\ufeff]*$/;
const ASCII_SPACE_RUN = /[\t\n\f\r ]+/g;
// Zero-width space, word joiner and BOM carry nothing in CJK news text; ZWJ/ZWNJ stay (emoji, scripts).
const INVISIBLE_CHARS = /[\u200b\u2060\ufeff]/g;

// htmlparser2 closes an open element implicitly when certain children open (`<p><div>` ends the p).
// A kept tree must never contain such a pair, or its serialization would parse into another tree.
const IMPLIED_CLOSE: ReadonlyMap<string, ReadonlySet<string>> = (() => {
  const p = new Set(['p']);
  const headings = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p']);
  const map = new Map<string, ReadonlySet<string>>([
    ['tr', new Set(['tr', 'th', 'td'])],
    ['th', new Set(['th'])],
    ['td', new Set(['thead', 'th', 'td'])],
    ['a', new Set(['a'])],
    ['li', new Set(['li'])],
    ['dd', new Set(['dd', 'dt'])],
    ['dt', new Set(['dd', 'dt'])],
    ['rt', new Set(['rt', 'rp'])],
    ['rp', new Set(['rt', 'rp'])],
    ['tbody', new Set(['thead', 'tbody'])],
    ['tfoot', new Set(['thead', 'tbody'])],
  ]);
  for (const h of ['h1', 'h2', 'h3', 'h4', 'h5', 'h6']) map.set(h, headings);
  for (const tag of [
    'address',
    'article',
    'aside',
    'blockquote',
    'details',
    'div',
    'dl',
    'fieldset',
    'figcaption',
    'figure',
    'footer',
    'header',
    'hr',
    'main',
    'nav',
    'ol',
    'p',
    'pre',
    'section',
    'table',
    'ul',
  ]) {
    if (!map.has(tag)) map.set(tag, p);
  }
  return map;
})();

/**
 * WalkHooks lets the cleaner act on elements during the sanitizer's single walk. `before` runs ahead
 * of the allowlist checks, which then judge whatever it left; `tidy` runs on an element that already
 * passed them and may only drop it, unwrap it or rename it to another allowed element.
 */
export interface WalkHooks {
  /** before runs on each element before the allowlist; 'drop' removes it, 'unwrap' keeps only its children. */
  before(el: Element, ctx: WalkContext): 'keep' | 'drop' | 'unwrap';
  /** tidy runs after an element and its children were sanitized; 'drop' removes it, 'unwrap' keeps only its children. */
  tidy(el: Element, ctx: WalkContext): 'keep' | 'drop' | 'unwrap';
}

/** WalkContext is the state of one sanitizer walk. */
export interface WalkContext {
  /** base makes relative URLs absolute; without it they stay relative. */
  readonly base: URL | undefined;
  /** stripInvisible removes zero-width spaces and byte-order marks from text (cleaning, not sanitizing). */
  readonly stripInvisible?: boolean;
  /** fired collects the names of the steps that changed something. */
  readonly fired: Set<string>;
  /** hooks are the cleaner's, or undefined for plain sanitizing. */
  readonly hooks: WalkHooks | undefined;
  /** pre counts the enclosing <pre> elements, whose whitespace is kept as it is. */
  pre: number;
}

/**
 * sanitizeHtml parses `html` and returns it reduced to the allowlist: no script/style/template, no event
 * handlers or style attributes, no `javascript:`/`vbscript:`/`data:` URLs (except raster `data:image` in
 * img src), no forms, object/embed or foreign content, iframes only from FRAME_HOSTS and sandboxed, links
 * with `rel="noopener noreferrer nofollow"`. The output is well-formed, one top-level block per line.
 *
 * @example
 * sanitizeHtml('<p onclick="x()">hi<script>alert(1)</script></p>') // '<p>hi</p>'
 */
export function sanitizeHtml(html: string, options: SanitizeOptions = {}): string {
  const doc = parseHtml(html);
  sanitizeTree(doc, { base: parseBase(options.baseUrl), fired: new Set(), hooks: undefined, pre: 0 });
  return serializeHtml(doc);
}

/** sanitizeTree applies the allowlist to a parsed tree in place (the last step of every clean). */
export function sanitizeTree(root: ParentNode, ctx: WalkContext): void {
  sanitizeChildren(root, ctx);
  trimBlockEdges(root, ctx);
}

function sanitizeChildren(parent: ParentNode, ctx: WalkContext): void {
  const out: ChildNode[] = [];
  for (const node of parent.children) emit(node, out, ctx);
  parent.children = out;
  relink(parent);
  if (parent instanceof Element) fixImpliedClose(parent, ctx.pre === 0);
}

// Adjacent text nodes would merge when the output is parsed again, so merge (and re-collapse) them now.
function append(out: ChildNode[], node: ChildNode, collapse: boolean): void {
  const last = out[out.length - 1];
  if (node instanceof Text && last instanceof Text) {
    last.data = collapse ? (last.data + node.data).replace(ASCII_SPACE_RUN, ' ') : last.data + node.data;
    return;
  }
  out.push(node);
}

function emit(node: ChildNode, out: ChildNode[], ctx: WalkContext): void {
  if (node instanceof Text) {
    let data = ctx.stripInvisible === true ? node.data.replace(INVISIBLE_CHARS, '') : node.data;
    if (ctx.pre === 0) data = data.replace(ASCII_SPACE_RUN, ' ');
    node.data = data;
    if (data !== '') append(out, node, ctx.pre === 0);
    return;
  }
  if (!(node instanceof Element)) {
    if (node.type === 'comment') ctx.fired.add('comment');
    return;
  }
  const hooked = ctx.hooks?.before(node, ctx) ?? 'keep';
  if (hooked === 'drop') return;
  const name = node.name;
  const allowed = TAG_ATTRS.get(name);
  if (hooked === 'unwrap' || (allowed === undefined && !DROP_WITH_CONTENT.has(name))) {
    if (allowed === undefined && hooked !== 'unwrap') ctx.fired.add(name.includes('-') ? 'custom-element' : 'unknown-element');
    sanitizeChildren(node, ctx);
    for (const child of node.children) append(out, child, ctx.pre === 0);
    return;
  }
  if (allowed === undefined || (MEDIA_TAGS.has(name) && !mediaAllowed(node, ctx))) {
    ctx.fired.add(name);
    return;
  }
  const attribs = sanitizeAttributes(node, allowed, ctx);
  if (attribs === undefined) return;
  node.attribs = attribs;
  if (VOID_TAGS.has(name)) {
    node.children = [];
  } else if (name === 'iframe') {
    node.children = [];
  } else {
    if (name === 'pre') ctx.pre++;
    sanitizeChildren(node, ctx);
    if (name === 'pre') ctx.pre--;
    trimBlockEdges(node, ctx);
  }
  const verdict = ctx.hooks?.tidy(node, ctx) ?? 'keep';
  if (verdict === 'drop') return;
  if (verdict === 'unwrap') {
    for (const child of node.children) append(out, child, ctx.pre === 0);
    return;
  }
  append(out, node, ctx.pre === 0);
}

// Audio/video keep their own players; iframes only from the allowlisted video hosts.
function mediaAllowed(el: Element, ctx: WalkContext): boolean {
  if (el.name !== 'iframe') return true;
  const src = el.attribs.src;
  if (src === undefined) return false;
  const resolved = safeUrl(src, 'frame', ctx.base ?? parseBase('https://invalid.invalid/'));
  if (resolved === undefined || !isFrameAllowed(resolved)) return false;
  const url = new URL(resolved);
  url.protocol = 'https:';
  el.attribs.src = url.href;
  return true;
}

/** isFrameAllowed tells whether an absolute URL may be embedded in an iframe (a FRAME_HOSTS player). */
export function isFrameAllowed(absolute: string): boolean {
  let host: string;
  try {
    host = new URL(absolute).hostname;
  } catch {
    return false;
  }
  for (const allowed of FRAME_HOSTS) {
    if (hostMatches(host, allowed)) return true;
  }
  return false;
}

function sanitizeAttributes(el: Element, allowed: ReadonlySet<string>, ctx: WalkContext): Record<string, string> | undefined {
  const name = el.name;
  const out: Record<string, string> = {};
  for (const attr in el.attribs) {
    if (!allowed.has(attr) && !GLOBAL_ATTRS.has(attr)) continue;
    const raw = el.attribs[attr] ?? '';
    let value: string | undefined = raw;
    if (BOOLEAN_ATTRS.has(attr)) {
      value = '';
    } else if (attr === 'href' || attr === 'cite') {
      value = safeUrl(raw, attr === 'href' ? 'link' : 'cite', ctx.base);
    } else if (attr === 'src') {
      value = safeUrl(raw, name === 'img' ? 'image' : name === 'iframe' ? 'frame' : 'media', ctx.base);
    } else if (attr === 'poster') {
      value = safeUrl(raw, 'media', ctx.base);
    } else if (attr === 'srcset') {
      value = sanitizeSrcset(raw, ctx.base);
    } else if (attr === 'sizes' || attr === 'media') {
      value = /^[\w\s(),.:%-]*$/.test(raw) ? raw : undefined;
    } else if (attr === 'title' || attr === 'alt' || attr === 'label' || attr === 'abbr') {
      value = raw.replace(ASCII_SPACE_RUN, ' ').trim();
    } else if (attr === 'headers') {
      value = /^[\w\s-]*$/.test(raw) ? raw : undefined;
    } else {
      const check = VALUE_CHECKS[attr];
      value = check === undefined || check.test(raw.trim()) ? raw.trim() : undefined;
    }
    if (value !== undefined) out[attr] = value;
  }
  switch (name) {
    case 'a':
      if (out.href !== undefined) out.rel = LINK_REL;
      break;
    case 'img':
      if (out.src === undefined) {
        ctx.fired.add('image-without-source');
        return undefined;
      }
      if (out.sizes !== undefined && out.srcset === undefined) delete out.sizes;
      break;
    case 'iframe':
      if (out.src === undefined) return undefined;
      out.sandbox = FRAME_SANDBOX;
      out.referrerpolicy = 'strict-origin-when-cross-origin';
      out.loading = 'lazy';
      break;
    case 'video':
    case 'audio':
      out.controls = '';
      break;
    case 'source':
    case 'track':
      if (out.src === undefined) return undefined;
      break;
  }
  return out;
}

// A srcset stays only when every candidate is a safe http(s) image URL.
function sanitizeSrcset(raw: string, base: URL | undefined): string | undefined {
  const candidates = parseSrcset(raw);
  if (candidates.length === 0) return undefined;
  const kept: string[] = [];
  for (const { url, descriptor } of candidates) {
    const safe = safeUrl(url, 'image', base);
    if (safe === undefined || safe.startsWith('data:') || /[\s,]/.test(safe)) return undefined;
    kept.push(descriptor ? `${safe} ${descriptor}` : safe);
  }
  return kept.join(', ');
}

/** SrcsetCandidate is one image candidate of a srcset. */
export interface SrcsetCandidate {
  readonly url: string;
  readonly descriptor: string;
}

/** parseSrcset splits a srcset into candidates; a candidate with an unknown descriptor voids the whole set. */
export function parseSrcset(raw: string): SrcsetCandidate[] {
  const parts = raw.trim().split(/,\s+|,(?=\S+\s+\d)/);
  const out: SrcsetCandidate[] = [];
  for (const part of parts) {
    const [url, descriptor = '', ...rest] = part.trim().split(/\s+/);
    if (url === undefined || url === '' || rest.length > 0) return [];
    if (descriptor !== '' && !/^\d+(?:\.\d+)?[wx]$/.test(descriptor)) return [];
    out.push({ url: url.replace(/,$/, ''), descriptor });
  }
  return out;
}

function fixImpliedClose(parent: Element, collapse: boolean): void {
  let changed = false;
  const out: ChildNode[] = [];
  for (const child of parent.children) {
    if (!(child instanceof Element)) {
      append(out, child, collapse);
      continue;
    }
    const closes = IMPLIED_CLOSE.get(child.name);
    if (closes === undefined || !closes.has(parent.name)) {
      append(out, child, collapse);
      continue;
    }
    changed = true;
    if (child.name === 'p' || child.name === 'a') {
      for (const grandchild of child.children) append(out, grandchild, collapse);
    } else if (parent.name === 'p' || /^h[1-6]$/.test(parent.name)) {
      parent.name = 'div';
      append(out, child, collapse);
    } else {
      const wrapper = new Element('div', {}, [child]);
      relink(wrapper);
      append(out, wrapper, collapse);
    }
  }
  if (changed) {
    parent.children = out;
    relink(parent);
  }
}

/**
 * trimBlockEdges drops whitespace a browser would not render around block boundaries (and the line
 * breaks the serializer puts between top-level blocks), so that a clean of a clean changes nothing.
 */
export function trimBlockEdges(parent: ParentNode, ctx: WalkContext): void {
  if (ctx.pre > 0) return;
  if (parent instanceof Element && (parent.name === 'pre' || !BLOCK_TAGS.has(parent.name))) return;
  const children = parent.children;
  let changed = false;
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    if (!(child instanceof Text)) continue;
    const prev = children[i - 1];
    const next = children[i + 1];
    const atStart = prev === undefined || isBlock(prev);
    const atEnd = next === undefined || isBlock(next);
    let data = child.data;
    if (atStart && isEdgeSpace(data.charCodeAt(0))) data = data.replace(/^[\t\n\f\r \u00a0]+/, '');
    if (atEnd && isEdgeSpace(data.charCodeAt(data.length - 1))) data = data.replace(/[\t\n\f\r \u00a0]+$/, '');
    if (data !== child.data) {
      child.data = data;
      changed = true;
    }
  }
  if (changed) {
    parent.children = children.filter((child) => !(child instanceof Text) || child.data !== '');
    relink(parent);
  }
}

function isEdgeSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d || code === 0x0c || code === 0xa0;
}

function isBlock(node: ChildNode): boolean {
  return node instanceof Element && BLOCK_TAGS.has(node.name);
}

/** isDroppedWithContent tells whether the sanitizer removes an element together with everything inside it. */
export function isDroppedWithContent(name: string): boolean {
  return DROP_WITH_CONTENT.has(name);
}

/** isBlank tells whether a string is only whitespace, including no-break, ideographic and zero-width spaces. */
export function isBlank(text: string): boolean {
  return BLANK.test(text);
}
