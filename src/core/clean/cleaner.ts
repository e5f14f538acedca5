import { Element, Text, type ChildNode, type Document, type ParentNode } from 'domhandler';
import { BLOCK_TAGS, parseHtml, relink, renderBody, visibleText } from './html.js';
import { GENERIC_RULE, SITE_RULES } from './rules/index.js';
import { compileSelector, type CompiledSelector } from './selector.js';
import {
  isBlank,
  isDroppedWithContent,
  isFrameAllowed,
  parseSrcset,
  sanitizeTree,
  trimBlockEdges,
  type WalkContext,
  type WalkHooks,
} from './sanitizer.js';
import type { CleanOptions, CleanResult, RemoveRule, SiteRule } from './types.js';
import { hostMatches, parseBase, safeUrl, unwrapProxyUrl } from './url.js';

interface CompiledRemove extends CompiledSelector {
  readonly rule: RemoveRule;
}

// The rules of one clean, indexed by the tag or attribute an element needs to match each of them, as
// bit masks: most elements (a bare <p>) are then tested against a few rules, not all of them.
interface RulePlan {
  readonly rules: readonly CompiledRemove[];
  readonly byTag: ReadonlyMap<string, number>;
  readonly byAttribute: ReadonlyMap<string, number>;
  readonly always: number;
  readonly indexed: boolean;
}

function planRules(rules: readonly CompiledRemove[]): RulePlan {
  const byTag = new Map<string, number>();
  const byAttribute = new Map<string, number>();
  let always = 0;
  const indexed = rules.length <= 30;
  if (indexed) {
    rules.forEach((rule, index) => {
      const bit = 1 << index;
      if (rule.tags === undefined || rule.attributes === undefined) always |= bit;
      for (const tag of rule.tags ?? []) byTag.set(tag, (byTag.get(tag) ?? 0) | bit);
      for (const name of rule.attributes ?? []) byAttribute.set(name, (byAttribute.get(name) ?? 0) | bit);
    });
  }
  return { rules, byTag, byAttribute, always, indexed };
}

const compiledRules = new WeakMap<SiteRule, readonly CompiledRemove[]>();

function compiledRemoves(rule: SiteRule): readonly CompiledRemove[] {
  let found = compiledRules.get(rule);
  if (found === undefined) {
    found = rule.remove.map((remove) => ({ rule: remove, ...compileSelector(remove.selector) }));
    compiledRules.set(rule, found);
  }
  return found;
}

/**
 * cleanArticle turns a feed's or page's article HTML into the archive body: the generic and the
 * matching per-site rules remove boilerplate, lazy images are resolved, proxied image URLs unwrapped,
 * URLs made absolute against `options.url` and stripped of tracking parameters, empty wrappers
 * dropped; the allowlist sanitizer runs last, in the same walk. One parse, one serialization.
 * Cleaning its own output changes nothing.
 *
 * @example
 * cleanArticle('<div>20/10/2023 - 11:51</div><p>正文</p>', { url: 'https://www.rfi.fr/cn/x' }).html // '<p>正文</p>'
 */
export function cleanArticle(html: string, options: CleanOptions): CleanResult {
  const base = parseBase(options.url);
  const fired = new Set<string>();
  const doc = parseHtml(html);
  applyRules(doc, html, rulesFor(options, base), fired);
  const ctx: WalkContext = { base, fired, hooks: cleanHooks(base), pre: 0, stripInvisible: true };
  sanitizeTree(doc, ctx);
  tidyTopLevel(doc, fired);
  const body = renderBody(doc, true);
  return { html: body.html, text: body.text, removed: [...fired].sort() };
}

/** rulesFor returns the generic rule plus every site rule matching the source id or the URL's host. */
export function rulesFor(options: CleanOptions, base: URL | undefined = parseBase(options.url)): SiteRule[] {
  const host = base?.hostname.toLowerCase();
  const site = (options.siteRules ?? SITE_RULES).filter(
    (rule) =>
      (options.sourceId !== undefined && rule.sourceIds.includes(options.sourceId)) ||
      (host !== undefined && rule.hosts.some((domain) => hostMatches(host, domain))),
  );
  return [GENERIC_RULE, ...site];
}

// All rules are tested in one walk over the tree. Position-dependent rules (`firstOnly`) run in a
// second, short walk that stops at the first visible text, so that what the other rules remove can
// never hide what comes first (cleaning clean output must change nothing).
function applyRules(doc: Document, html: string, rules: readonly SiteRule[], fired: Set<string>): void {
  const anywhere: CompiledRemove[] = [];
  const leading: CompiledRemove[] = [];
  for (const rule of rules) {
    for (const cut of rule.leadingText ?? []) {
      const first = doc.children[0];
      if (first instanceof Text && cut.pattern.test(first.data)) {
        first.data = first.data.replace(cut.pattern, '');
        fired.add(cut.name);
      }
    }
    for (const compiled of compiledRemoves(rule)) {
      if (!hasNeedle(html, compiled.rule.needle)) continue;
      (compiled.rule.firstOnly === true ? leading : anywhere).push(compiled);
    }
  }
  if (anywhere.length > 0) removeMatching(doc, planRules(anywhere), fired);
  if (leading.length > 0) removeLeading(doc, planRules(leading), fired, { started: false });
}

function hasNeedle(html: string, needle: string | readonly string[] | undefined): boolean {
  if (needle === undefined) return true;
  if (typeof needle === 'string') return html.includes(needle);
  for (const literal of needle) {
    if (html.includes(literal)) return true;
  }
  return false;
}

function removeMatching(parent: ParentNode, rules: RulePlan, fired: Set<string>): void {
  let node: ChildNode | null = parent.children[0] ?? null;
  while (node !== null) {
    let next: ChildNode | null = node.next;
    if (node instanceof Element && !removeIfMatched(node, rules, fired)) {
      removeMatching(node, rules, fired);
      if (CAPTIONED.has(node.name) && pairSmallCaption(node, fired)) next = node.parent?.next ?? null;
    }
    node = next;
  }
}

const CAPTIONED: ReadonlySet<string> = new Set(['img', 'video', 'audio']);

// feedx writes an image's (or a video's) caption as the next element, `<div><small>…</small></div>`;
// the two become one <figure>.
function pairSmallCaption(img: Element, fired: Set<string>): boolean {
  let sibling = img.next;
  while (sibling instanceof Text && isBlank(sibling.data)) sibling = sibling.next;
  if (!(sibling instanceof Element) || sibling.name !== 'div') return false;
  const small = onlyElementChild(sibling);
  if (small === undefined || small.name !== 'small' || isBlank(visibleText(small, TEXT_RULE_LIMIT) ?? '')) return false;
  const parent = img.parent;
  if (parent === null) return false;
  const caption = new Element('figcaption', {}, small.children);
  relink(caption);
  const figure = new Element('figure', {}, [img, caption]);
  const children: ChildNode[] = [];
  for (const child of parent.children) {
    if (child === img) children.push(figure);
    else if (child !== sibling && !(child.prev === img && child instanceof Text && child.next === sibling)) children.push(child);
  }
  parent.children = children;
  relink(parent);
  relink(figure);
  fired.add('image-caption');
  return true;
}

function onlyElementChild(el: Element): Element | undefined {
  let only: Element | undefined;
  for (const child of el.children) {
    if (child instanceof Element) {
      if (only !== undefined) return undefined;
      only = child;
    } else if (child instanceof Text && !isBlank(child.data)) {
      return undefined;
    }
  }
  return only;
}

function removeLeading(parent: ParentNode, rules: RulePlan, fired: Set<string>, state: { started: boolean }): void {
  let node: ChildNode | null = parent.children[0] ?? null;
  while (node !== null && !state.started) {
    const next: ChildNode | null = node.next;
    if (node instanceof Text) {
      if (!isBlank(node.data)) state.started = true;
    } else if (node instanceof Element && !isDroppedWithContent(node.name) && node.name !== 'iframe') {
      if (!removeIfMatched(node, rules, fired)) removeLeading(node, rules, fired, state);
    }
    node = next;
  }
}

function removeIfMatched(el: Element, plan: RulePlan, fired: Set<string>): boolean {
  let mask = plan.always | (plan.byTag.get(el.name) ?? 0);
  for (const name in el.attribs) mask |= plan.byAttribute.get(name) ?? 0;
  if (plan.indexed && mask === 0) return false;
  // Several text rules may test one element; its text is collected once, on first need.
  let text: string | undefined | null = null;
  for (let index = 0; index < plan.rules.length; index++) {
    if (plan.indexed && (mask & (1 << index)) === 0) continue;
    const { rule, test } = plan.rules[index] as CompiledRemove;
    if (!test(el)) continue;
    if (rule.text !== undefined) {
      if (text === null) text = visibleText(el, TEXT_RULE_LIMIT);
      if (text === undefined || !rule.text.test(text) || containsMedia(el)) continue;
    }
    if (rule.linksOnly === true && !textOnlyInLinks(el)) continue;
    for (const tag of rule.withPreceding ?? []) removePreceding(el, tag);
    for (const tag of rule.withPreceding ?? []) removePreceding(el, tag);
    detach(el);
    fired.add(rule.name);
    return true;
  }
  return false;
}

// Boilerplate is short: an element with more text than this is never matched by a text rule. A text
// rule describes boilerplate by what it says, so an element that also holds media is more than that.
const TEXT_RULE_LIMIT = 1000;

const MEDIA_TAGS: ReadonlySet<string> = new Set(['img', 'picture', 'video', 'audio', 'iframe', 'table']);

function containsMedia(parent: ParentNode): boolean {
  for (const child of parent.children) {
    if (child instanceof Element && (MEDIA_TAGS.has(child.name) || containsMedia(child))) return true;
  }
  return false;
}

// Whether all visible text of `el` sits inside links, and there is some.
function textOnlyInLinks(el: Element): boolean {
  const state = { linked: false };
  return outsideLinksBlank(el, state) && state.linked;
}

function outsideLinksBlank(parent: ParentNode, state: { linked: boolean }): boolean {
  for (const child of parent.children) {
    if (child instanceof Text) {
      if (!isBlank(child.data)) return false;
    } else if (child instanceof Element) {
      if (child.name === 'a') {
        if (!isBlank(visibleText(child) ?? '')) state.linked = true;
      } else if (!outsideLinksBlank(child, state)) {
        return false;
      }
    }
  }
  return true;
}

function removePreceding(el: Element, tag: string): void {
  let prev = el.prev;
  while (prev instanceof Text && isBlank(prev.data)) prev = prev.prev;
  if (prev instanceof Element && prev.name === tag) detach(prev);
}

function detach(node: ChildNode): void {
  const parent = node.parent;
  if (parent === null) return;
  parent.children = parent.children.filter((child) => child !== node);
  relink(parent);
  node.parent = null;
}

const LAZY_SRC_ATTRS = [
  'data-src',
  'data-original',
  'data-lazy-src',
  'data-lazy',
  'data-actualsrc',
  'data-original-src',
  'data-hi-res-src',
  'data-echo',
];
const LAZY_SRCSET_ATTRS = ['data-srcset', 'data-lazy-srcset', 'data-original-set'];
const PLACEHOLDER_FILE =
  /(?:^|\/)(?:blank|spacer|pixel|transparent|placeholder|grey[-_]?placeholder|lazy[-_]?load\w*|loading|1x1)\.(?:gif|png|svg|jpe?g|webp)(?:[?#]|$)/i;
const TRACKER_HOST =
  /(?:^|\.)(?:amazon-adsystem\.com|doubleclick\.net|google-analytics\.com|googletagmanager\.com|googlesyndication\.com|hm\.baidu\.com|scorecardresearch\.com|quantserve\.com|pixel\.wp\.com|stats\.wp\.com|feeds\.feedburner\.com|feedsportal\.com|analytics\.twitter\.com|bat\.bing\.com|pixel\.quantserve\.com|cnzz\.com|tns-counter\.ru|chartbeat\.net|addthis\.com)$/i;
const TRACKER_PATH = /\/(?:pixel|beacon|tracking|track)(?:\.gif|\.png|\/|$)|\/~r\/|\/_\/stat\?|\/ir\?t=/i;

function isPlaceholder(src: string): boolean {
  if (src === '' || src === '#' || src === 'about:blank') return true;
  if (/^data:/i.test(src)) return src.length < 256 || /^data:image\/svg/i.test(src);
  return PLACEHOLDER_FILE.test(src);
}

function bestCandidate(srcset: string): string | undefined {
  let best: { url: string; score: number } | undefined;
  for (const { url, descriptor } of parseSrcset(srcset)) {
    const score = descriptor === '' ? 1 : Number.parseFloat(descriptor) * (descriptor.endsWith('x') ? 1000 : 1);
    if (best === undefined || score > best.score) best = { url, score };
  }
  return best?.url;
}

function isTiny(value: string | undefined): boolean {
  return value !== undefined && /^\s*[0-2](?:px)?\s*$/.test(value);
}

function firstAttribute(attribs: Record<string, string>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = attribs[name]?.trim();
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

function isTracker(el: Element, src: string, base: URL | undefined): boolean {
  // 1×1 beacons, and 1-2 px tall or wide spacer lines (BBC's "Transparent line" rules between sections).
  if (isTiny(el.attribs.width) || isTiny(el.attribs.height)) return true;
  const match = /^(?:https?:)?\/\/([^/?#\\]+)(.*)$/i.exec(src.trim());
  const host = match === null ? base?.hostname : match[1]?.toLowerCase();
  const rest = match === null ? src : (match[2] ?? '');
  return (host !== undefined && TRACKER_HOST.test(host)) || TRACKER_PATH.test(rest);
}

function inside(el: Element, tag: string): boolean {
  for (let node = el.parent; node !== null; node = node.parent) {
    if (node instanceof Element && node.name === tag) return true;
  }
  return false;
}

function cleanHooks(base: URL | undefined): WalkHooks {
  const seenImages = new Set<string>();

  const resolveImage = (el: Element, ctx: WalkContext): 'keep' | 'drop' => {
    const attribs = el.attribs;
    let src = (attribs.src ?? '').trim();
    const lazy = firstAttribute(attribs, LAZY_SRC_ATTRS);
    const srcset = firstAttribute(attribs, LAZY_SRCSET_ATTRS) ?? attribs.srcset;
    if (lazy !== undefined && lazy !== src && !isPlaceholder(lazy)) {
      src = lazy;
      ctx.fired.add('lazy-image');
    } else if (isPlaceholder(src) && srcset !== undefined) {
      const best = bestCandidate(srcset);
      if (best !== undefined) {
        src = best;
        ctx.fired.add('lazy-image');
      }
    }
    if (isPlaceholder(src)) {
      ctx.fired.add('lazyload-placeholder');
      return 'drop';
    }
    const unwrapped = unwrapProxyUrl(src);
    if (unwrapped !== src) ctx.fired.add('image-proxy');
    attribs.src = unwrapped;
    if (srcset !== undefined) {
      attribs.srcset = parseSrcset(srcset)
        .map(({ url, descriptor }) => (descriptor ? `${unwrapProxyUrl(url)} ${descriptor}` : unwrapProxyUrl(url)))
        .join(', ');
    }
    if (isTracker(el, unwrapped, base)) {
      ctx.fired.add('tracking-pixel');
      return 'drop';
    }
    if (attribs.alt === undefined && attribs['aria-label'] !== undefined) attribs.alt = attribs['aria-label'];
    const key = safeUrl(unwrapped, 'image', base) ?? unwrapped;
    if (seenImages.has(key) && inside(el, 'noscript')) {
      ctx.fired.add('noscript-duplicate');
      return 'drop';
    }
    seenImages.add(key);
    return 'keep';
  };

  return {
    before(el, ctx) {
      switch (el.name) {
        case 'img':
          return resolveImage(el, ctx);
        case 'noscript':
          ctx.fired.add('noscript');
          return 'unwrap';
        case 'picture':
          adoptPictureSource(el);
          return 'unwrap';
        case 'source':
          return el.parent instanceof Element && el.parent.name === 'picture' ? 'drop' : 'keep';
        case 'video':
        case 'audio':
          if (el.attribs.poster !== undefined) el.attribs.poster = unwrapProxyUrl(el.attribs.poster);
          return 'keep';
        case 'iframe':
          embedAsLink(el, ctx);
          return 'keep';
        case 'div':
        case 'p':
        case 'span':
          markCaption(el, ctx);
          return 'keep';
        default:
          return 'keep';
      }
    },
    tidy(el, ctx) {
      return tidyElement(el, ctx);
    },
  };
}

// Caption markup of the sources (WordPress, VOA, RFA, Reuters, RFI); the wrappers around image and
// caption (`wp-caption`, `image-inline`) are not captions.
const CAPTION_CLASSES: ReadonlySet<string> = new Set([
  'wp-caption-text',
  'image-caption',
  'imageCaption',
  'media-caption',
  'Image_caption',
  'm-figure__caption',
  'figure-caption',
  'img-caption',
]);

// A caption beside an image becomes a <figcaption>, so that its wrapper becomes a <figure> (tidy).
function markCaption(el: Element, ctx: WalkContext): void {
  const classes = el.attribs.class;
  if (classes === undefined || !classes.includes('aption') || !hasCaptionClass(classes)) return;
  const parent = el.parent;
  if (!(parent instanceof Element) || containsMedia(el) || !containsMedia(parent) || inside(el, 'figcaption')) return;
  el.name = 'figcaption';
  ctx.fired.add('image-caption');
}

function hasCaptionClass(classes: string): boolean {
  for (const name of classes.split(/\s+/)) {
    if (CAPTION_CLASSES.has(name)) return true;
  }
  return false;
}

// An embed the sanitizer may not keep (a site's own video player, a social post) stays reachable as a
// link to what it showed.
function embedAsLink(el: Element, ctx: WalkContext): void {
  const src = el.attribs.src;
  const href = src === undefined ? undefined : safeUrl(src, 'link', ctx.base);
  if (href === undefined || isFrameAllowed(href) || !/^https?:/.test(href)) return;
  const title = (el.attribs.title ?? '').trim();
  el.name = 'a';
  el.attribs = { href };
  el.children = [new Text(title === '' ? href : title)];
  relink(el);
  ctx.fired.add('embed-link');
}

// A <picture> keeps only its <img>; when the img has no usable src, the first <source> lends its srcset.
function adoptPictureSource(picture: Element): void {
  const img = picture.children.find((child): child is Element => child instanceof Element && child.name === 'img');
  const source = picture.children.find(
    (child): child is Element => child instanceof Element && child.name === 'source' && (child.attribs.srcset ?? '') !== '',
  );
  if (img === undefined || source === undefined) return;
  if (isPlaceholder((img.attribs.src ?? '').trim()) && img.attribs['data-src'] === undefined) {
    img.attribs['data-srcset'] = source.attribs.srcset ?? '';
  }
}

const KEEP_EMPTY: ReadonlySet<string> = new Set([
  'img',
  'br',
  'hr',
  'wbr',
  'iframe',
  'video',
  'audio',
  'source',
  'track',
  'td',
  'th',
  'tr',
  'col',
  'colgroup',
  'thead',
  'tbody',
  'tfoot',
]);
const UNWRAP_WHEN_BARE: ReadonlySet<string> = new Set(['span']);

function tidyElement(el: Element, ctx: WalkContext): 'keep' | 'drop' | 'unwrap' {
  const name = el.name;
  if ((name === 'video' || name === 'audio') && el.attribs.src === undefined && !hasChildNamed(el, 'source')) {
    ctx.fired.add('empty-element');
    return 'drop';
  }
  if (KEEP_EMPTY.has(name)) return 'keep';
  if (BLOCK_TAGS.has(name) && trimBreaks(el, ctx)) trimBlockEdges(el, ctx);
  if (!hasContent(el)) {
    ctx.fired.add('empty-element');
    return 'drop';
  }
  if (name === 'a' && el.attribs.href === undefined) return 'unwrap';
  if (UNWRAP_WHEN_BARE.has(name) && Object.keys(el.attribs).length === 0) return 'unwrap';
  if ((name === 'div' || name === 'span') && hasChildNamed(el, 'figcaption')) {
    el.name = 'figure';
    el.attribs = {};
    unwrapCaptionlessFigures(el);
    return 'keep';
  }
  if (name === 'div' && onlyBlocks(el)) return 'unwrap';
  return 'keep';
}

// A wrapper that became a figure may hold the image in a figure of its own (Reuters); one figure will do.
function unwrapCaptionlessFigures(figure: Element): void {
  const children: ChildNode[] = [];
  let changed = false;
  for (const child of figure.children) {
    if (child instanceof Element && child.name === 'figure' && !hasChildNamed(child, 'figcaption')) {
      children.push(...child.children);
      changed = true;
    } else {
      children.push(child);
    }
  }
  if (!changed) return;
  figure.children = children;
  relink(figure);
}

function hasChildNamed(el: Element, name: string): boolean {
  for (const child of el.children) {
    if (child instanceof Element && child.name === name) return true;
  }
  return false;
}

function hasContent(el: Element): boolean {
  for (const child of el.children) {
    if (child instanceof Text) {
      if (!isBlank(child.data)) return true;
    } else if (child instanceof Element && child.name !== 'br' && child.name !== 'wbr' && child.name !== 'hr') {
      return true;
    }
  }
  return false;
}

function onlyBlocks(el: Element): boolean {
  for (const child of el.children) {
    const block =
      child instanceof Text ? isBlank(child.data) && !child.data.includes('\u00a0') : child instanceof Element && BLOCK_TAGS.has(child.name);
    if (!block) return false;
  }
  return true;
}

function isEdgeNoise(node: ChildNode | undefined): boolean {
  return node !== undefined && ((node instanceof Element && node.name === 'br') || (node instanceof Text && /^[\t\n\f\r ]*$/.test(node.data)));
}

// Line breaks and blank text at the edges of a block render as nothing but an empty line.
function trimBreaks(parent: ParentNode, ctx: WalkContext): boolean {
  const children = parent.children;
  let start = 0;
  let end = children.length;
  while (start < end && isEdgeNoise(children[start])) start++;
  while (end > start && isEdgeNoise(children[end - 1])) end--;
  if (start === 0 && end === children.length) return false;
  if (children.slice(0, start).some((node) => node instanceof Element) || children.slice(end).some((node) => node instanceof Element)) {
    ctx.fired.add('stray-break');
  }
  parent.children = children.slice(start, end);
  relink(parent);
  return true;
}

// Rule removals and the sanitizer can leave breaks, rules and split text at the body's edges; settle
// them until nothing changes, so that the serialized body parses back into this very tree.
function tidyTopLevel(doc: Document, fired: Set<string>): void {
  const ctx: WalkContext = { base: undefined, fired, hooks: undefined, pre: 0 };
  for (let changed = true; changed; ) {
    changed = trimBreaks(doc, ctx);
    const out: ChildNode[] = [];
    for (const child of doc.children) {
      const last = out[out.length - 1];
      const rule = child instanceof Element && child.name === 'hr';
      if (rule && (last === undefined || (last instanceof Element && last.name === 'hr'))) {
        fired.add('stray-rule');
        changed = true;
        continue;
      }
      if (child instanceof Text && last instanceof Text) {
        last.data = (last.data + child.data).replace(/[\t\n\f\r ]+/g, ' ');
        changed = true;
        continue;
      }
      out.push(child);
    }
    const last = out[out.length - 1];
    if (last instanceof Element && last.name === 'hr') {
      out.pop();
      fired.add('stray-rule');
      changed = true;
    }
    doc.children = out;
    relink(doc);
    trimBlockEdges(doc, ctx);
  }
}
