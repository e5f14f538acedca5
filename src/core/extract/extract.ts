// The extraction cascade: structured data in the page, then the site's rule, then the generic
// extractor. Pure: string in, data out; the page fetch happens in an adapter before this.
import { render } from 'dom-serializer';
import { selectAll } from 'css-select';
import type { Document } from 'domhandler';
import { blockText, parseHtml, PHRASING_TAGS } from '../html/index.js';
import { appendChild, byTag, createElement, groupByTag, innerText, isTag, isText, remove, replace, type AnyNode, type Element } from './dom.js';
import { extractGeneric, linkDensity, simplifyNested, unwrapNoscriptImages, weightedLength } from './generic.js';
import { readJsonLd, readState, type StructuredBody } from './structured.js';
import { removeBoilerplate } from './boilerplate.js';
import { findTitle } from './title.js';
import { EXTRACT_RULES, type ExtractRule } from './rules/index.js';

/** ExtractMethod names the step of the cascade that produced a body ('rule:<site>' for site rules). */
export type ExtractMethod = 'jsonld' | 'state' | 'generic' | 'none' | `rule:${string}`;

/** ExtractResult is an article body extracted from a page. */
export interface ExtractResult {
  title?: string;
  /** Body HTML (not sanitized: the cleaner and sanitizer run after this), URLs made absolute. */
  html: string;
  /** Body text, one line per block. */
  text: string;
  method: ExtractMethod;
}

/** ExtractOptions tunes extractArticle. */
export interface ExtractOptions {
  /** Site rules to use instead of EXTRACT_RULES. */
  rules?: readonly ExtractRule[];
}

/** Share of the structured body the page extraction must hold for the page's markup to be kept. */
const MIN_COVERAGE = 0.9;
/** Above this link density the generic result is a link list, not an article. */
const MAX_LINK_DENSITY = 0.5;
/** A rule's match must carry at least this much text, or the cascade moves on. */
const MIN_RULE_LENGTH = 150;

const DROP = new Set(['script', 'style', 'link', 'template', 'noscript', 'meta']);
const URL_ATTRS: Record<string, string[]> = {
  a: ['href'],
  img: ['src', 'srcset'],
  source: ['src', 'srcset'],
  video: ['src', 'poster'],
  audio: ['src'],
  iframe: ['src'],
  track: ['src'],
};

/**
 * extractArticle extracts the main article of an HTML page.
 *
 * Cascade: JSON-LD `articleBody` → embedded state (`__NEXT_DATA__`, `window.__INITIAL_STATE__`) →
 * the site rule for the URL's host → the generic extractor. Never throws on malformed input; a page
 * without an article gives `method: 'none'` and empty html/text.
 *
 * @example
 * const { title, text, method } = extractArticle(pageHtml, 'https://www.rfi.fr/cn/...');
 */
export function extractArticle(html: string, url: string, options: ExtractOptions = {}): ExtractResult {
  const source = typeof html === 'string' ? html : '';
  const base = baseUrl(url);
  const doc = parseHtml(source);
  const page = groupByTag(doc, PAGE_TAGS);
  const scripts = page.get('script') ?? [];
  const jsonLd = readJsonLd(scripts);
  const title = findTitle({ meta: page.get('meta') ?? [], h1: page.get('h1') ?? [], title: page.get('title') ?? [] }, jsonLd.title);
  const withTitle = (r: Omit<ExtractResult, 'title'>): ExtractResult => (title ? { title, ...r } : r);

  // Structured data names the body exactly, but its articleBody is plain text without the images,
  // captions and paragraph breaks of the page. So the page is extracted too, and when that extraction
  // holds the structured body, the page's richer markup is kept; otherwise (script-rendered pages,
  // extraction gone wrong) the structured body wins.
  const structured: { body: StructuredBody; method: 'jsonld' | 'state' } | undefined = jsonLd.body
    ? { body: jsonLd.body, method: 'jsonld' }
    : stateBody(scripts);
  const fromPage = extractFromPage(doc, page, source, base, title ?? '', options.rules ?? EXTRACT_RULES);
  if (structured && !(fromPage && coverage(structured.body.text, fromPage.text) >= MIN_COVERAGE)) {
    return withTitle(fromStructured(structured.body, base, structured.method));
  }
  return withTitle(fromPage ?? { html: '', text: '', method: 'none' });
}

function stateBody(scripts: Element[]): { body: StructuredBody; method: 'state' } | undefined {
  const body = readState(scripts);
  return body ? { body, method: 'state' } : undefined;
}

function extractFromPage(
  doc: Document,
  page: Map<string, Element[]>,
  source: string,
  base: URL | undefined,
  title: string,
  rules: readonly ExtractRule[],
): Omit<ExtractResult, 'title'> | undefined {
  const body = prepare(doc, page);
  const rule = findRule(rules, base);
  if (rule) {
    const content = applyRule(doc, rule);
    if (content) return finish(content, base, `rule:${rule.site}`);
  }
  let fresh: Element | null = body;
  const loadBody = (): Element => {
    const b = fresh ?? prepare(parseHtml(source));
    fresh = null;
    return b;
  };
  const generic = extractGeneric(loadBody, title);
  if (!generic) return undefined;
  const result = finish(generic.content, base, 'generic');
  // Navigation-only pages (indexes, error pages) leave a list of links, which is not an article.
  if (!result.text || linkDensity(generic.content) > MAX_LINK_DENSITY) return undefined;
  return result;
}

const SHINGLE = 6;

/** coverage is the share of `expected`'s letter 6-grams found in `actual` (punctuation and spaces ignored). */
function coverage(expected: string, actual: string): number {
  const norm = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  const e = norm(expected);
  const a = norm(actual);
  if (e.length < SHINGLE) return a.includes(e) ? 1 : 0;
  const have = new Set<string>();
  for (let i = 0; i + SHINGLE <= a.length; i += 1) have.add(a.slice(i, i + SHINGLE));
  let hit = 0;
  let total = 0;
  for (let i = 0; i + SHINGLE <= e.length; i += SHINGLE) {
    total++;
    if (have.has(e.slice(i, i + SHINGLE))) hit++;
  }
  return hit / total;
}

function baseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

function findRule(rules: readonly ExtractRule[], base: URL | undefined): ExtractRule | undefined {
  if (!base) return undefined;
  const host = base.hostname.toLowerCase();
  return rules.find(
    (r) =>
      r.hosts.some((h) => host === h || host.endsWith(`.${h}`)) &&
      (!r.pathPrefix || base.pathname.startsWith(r.pathPrefix)),
  );
}

function applyRule(doc: Document, rule: ExtractRule): Element | null {
  for (const selector of rule.content) {
    let matches: Element[];
    try {
      matches = selectAll<AnyNode, Element>(selector, doc);
    } catch {
      continue;
    }
    // Nested matches (a quoted post inside the post) belong to the outer one.
    matches = matches.filter((m) => !matches.some((o) => o !== m && contains(o, m)));
    if (matches.length === 0) continue;
    const root = createElement('div');
    for (const m of matches) appendChild(root, m);
    for (const sel of rule.remove ?? []) {
      try {
        for (const el of selectAll<AnyNode, Element>(sel, root)) remove(el);
      } catch {
        continue;
      }
    }
    if (weightedLength(innerText(root)) >= MIN_RULE_LENGTH) return root;
  }
  return null;
}

function contains(outer: AnyNode, inner: AnyNode): boolean {
  for (let p = inner.parent; p; p = p.parent) if (p === outer) return true;
  return false;
}

function fromStructured(body: StructuredBody, base: URL | undefined, method: 'jsonld' | 'state'): Omit<ExtractResult, 'title'> {
  const doc = parseHtml(body.html);
  for (const el of byTag(doc, DROP)) remove(el);
  absolutize(doc, base);
  return { html: render(doc, { encodeEntities: 'utf8' }), text: body.text, method };
}

function finish(content: Element, base: URL | undefined, method: ExtractMethod): Omit<ExtractResult, 'title'> {
  for (const el of byTag(content, DROP)) remove(el);
  removeBoilerplate(content);
  simplifyNested(content);
  absolutize(content, base);
  stripAttributes(content);
  return { html: render(content.children, { encodeEntities: 'utf8' }).trim(), text: blockText(content), method };
}

/** Removes what the page needs for its own scripts and layout; the sanitizer does the rest later. */
function stripAttributes(root: AnyNode): void {
  const walk = (n: AnyNode): void => {
    if (!isTag(n)) return;
    for (const k of Object.keys(n.attribs)) {
      if (k === 'class' || k === 'style' || k.startsWith('on') || k.startsWith('data-')) delete n.attribs[k];
    }
    for (const c of n.children) walk(c);
  };
  walk(root);
}

function absolutize(root: AnyNode, base: URL | undefined): void {
  for (const el of byTag(root, new Set(Object.keys(URL_ATTRS)))) {
    for (const name of URL_ATTRS[el.name] ?? []) {
      const v = el.attribs[name];
      if (v === undefined) continue;
      if (name === 'href' && /^\s*(javascript|vbscript):/i.test(v)) {
        unwrap(el);
        break;
      }
      el.attribs[name] = name === 'srcset' ? v.split(',').map((part) => resolveSrcsetPart(part, base)).join(', ') : resolve(v, base);
    }
  }
}

function resolveSrcsetPart(part: string, base: URL | undefined): string {
  const [u, ...rest] = part.trim().split(/\s+/);
  return [resolve(u ?? '', base), ...rest].join(' ');
}

function resolve(value: string, base: URL | undefined): string {
  const v = value.trim();
  if (!v || v.startsWith('#') || /^(data|mailto|tel):/i.test(v)) return v;
  try {
    return base ? new URL(v, base).href : new URL(v).href;
  } catch {
    return v;
  }
}

/** Replaces an element by its children (a javascript: link keeps its text). */
function unwrap(el: Element): void {
  const span = createElement('span');
  for (const c of [...el.children]) {
    remove(c);
    c.parent = span;
    span.children.push(c);
  }
  span.children.forEach((c, i) => {
    c.prev = span.children[i - 1] ?? null;
    c.next = span.children[i + 1] ?? null;
  });
  replace(el, span);
}

/** PAGE_TAGS are the elements of a whole page that the cascade looks at, gathered in one walk. */
const PAGE_TAGS = ['body', 'script', 'style', 'noscript', 'template', 'meta', 'h1', 'title'];
/** BODY_TAGS are the elements of the body that prepare changes, gathered in one walk. */
const BODY_TAGS = ['div', 'template', 'img', 'noscript', 'font', 'br'];

/**
 * prepare readies a parsed page for the rule and generic steps: noscript images unwrapped, scripts and
 * styles dropped, <font> made <span>, runs of <br><br> turned into paragraphs (Readability's prepDocument).
 * Returns the body. Each step's elements are gathered before the first step: an element that an earlier
 * step took out of the page is then changed where nobody reads it, which changes nothing.
 */
function prepare(doc: Document, page = groupByTag(doc, PAGE_TAGS)): Element {
  const body = bodyOf(doc, page.get('body')?.[0]);
  const inBody = groupByTag(body, BODY_TAGS);
  revealStreamedSegments(inBody.get('div') ?? [], inBody.get('template') ?? []);
  unwrapNoscriptImages(inBody.get('img') ?? [], inBody.get('noscript') ?? []);
  for (const tag of ['script', 'style', 'noscript', 'template']) for (const el of page.get(tag) ?? []) remove(el);
  for (const el of inBody.get('font') ?? []) el.name = 'span';
  replaceBrs(inBody.get('br') ?? []);
  return body;
}

/**
 * React streaming SSR (Next.js app router) sends late parts of the page as `<div hidden id="S:n">`
 * and moves each into its `<template id="B:n">` placeholder with a script. Do that move here, or the
 * article (often one of those parts) would be dropped as hidden content.
 */
function revealStreamedSegments(divs: readonly Element[], templates: readonly Element[]): void {
  const segments = divs.filter((d) => 'hidden' in d.attribs && /^S:\d+$/.test(d.attribs.id ?? ''));
  if (segments.length === 0) return;
  const placeholders = new Map<string, Element>();
  for (const t of templates) if (t.attribs.id?.startsWith('B:')) placeholders.set(t.attribs.id.slice(2), t);
  for (const seg of segments) {
    delete seg.attribs.hidden;
    const slot = placeholders.get((seg.attribs.id ?? '').slice(2));
    if (slot) replace(slot, seg);
  }
}

function bodyOf(doc: Document, body: Element | undefined): Element {
  if (body) return body;
  // Fragments and broken pages: treat the whole document as the body.
  const wrapper = createElement('body');
  for (const c of [...doc.children]) appendChild(wrapper, c);
  doc.children = [wrapper];
  wrapper.parent = doc;
  return wrapper;
}

function nextNonWhitespace(node: AnyNode | null): AnyNode | null {
  let n = node;
  while (n && !isTag(n) && (!isText(n) || n.data.trim() === '')) n = n.next;
  return n;
}

function replaceBrs(brs: readonly Element[]): void {
  for (const br of brs) {
    if (!br.parent) continue;
    let next = nextNonWhitespace(br.next);
    let replaced = false;
    while (next && isTag(next) && next.name === 'br') {
      replaced = true;
      const after = next.next;
      remove(next);
      next = nextNonWhitespace(after);
    }
    if (!replaced) continue;
    const p = createElement('p');
    replace(br, p);
    let sib = p.next;
    while (sib) {
      if (isTag(sib) && sib.name === 'br') {
        const n2 = nextNonWhitespace(sib.next);
        if (n2 && isTag(n2) && n2.name === 'br') break;
      }
      if (isTag(sib) && !PHRASING_TAGS.has(sib.name) && sib.name !== 'a') break;
      if (!isTag(sib) && !isText(sib)) break;
      const following: AnyNode | null = sib.next;
      appendChild(p, sib);
      sib = following;
    }
    while (p.children.length) {
      const last = p.children[p.children.length - 1] as AnyNode;
      if ((isText(last) && last.data.trim() === '') || (isTag(last) && last.name === 'br')) remove(last);
      else break;
    }
    const parent = p.parent;
    if (parent && isTag(parent) && parent.name === 'p') parent.name = 'div';
  }
}
