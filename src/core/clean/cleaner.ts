import { Element, Text } from 'domhandler';
import { parseHtml, relink, renderBody } from '../html/index.js';
import { markCaption } from './captions.js';
import { adoptPictureSource, createImageResolver } from './images.js';
import { applyRules } from './rule-engine.js';
import { GENERIC_RULE, CLEAN_RULES } from './rules/index.js';
import { isFrameAllowed, sanitizeTree, type WalkContext, type WalkHooks } from './sanitizer.js';
import { tidyElement, tidyTopLevel } from './tidy.js';
import type { CleanOptions, CleanResult, CleanRule } from './types.js';
import { hostMatches, parseBase, safeUrl, unwrapProxyUrl } from './url.js';

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
export function rulesFor(options: CleanOptions, base: URL | undefined = parseBase(options.url)): CleanRule[] {
  const host = base?.hostname.toLowerCase();
  const site = (options.siteRules ?? CLEAN_RULES).filter(
    (rule) =>
      (options.sourceId !== undefined && rule.sourceIds.includes(options.sourceId)) ||
      (host !== undefined && rule.hosts.some((domain) => hostMatches(host, domain))),
  );
  return [GENERIC_RULE, ...site];
}

function cleanHooks(base: URL | undefined): WalkHooks {
  const resolveImage = createImageResolver(base);

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
