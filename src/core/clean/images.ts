// Images of a body: lazy-loaded sources resolved, placeholders and tracking pixels dropped, proxied
// URLs unwrapped, the duplicate an old <noscript> fallback carries dropped.
import { Element } from 'domhandler';
import { isPlaceholderImage, lazyImageSrc, lazyImageSrcset } from '../html/index.js';
import { isInside } from './nodes.js';
import { parseSrcset, type WalkContext } from './sanitizer.js';
import { safeUrl, unwrapProxyUrl } from './url.js';

/**
 * createImageResolver returns the cleaner's hook for one body's <img> elements: it settles each
 * image's real source (reporting `lazy-image`, `image-proxy`) and says `drop` for placeholders,
 * tracking pixels and images a <noscript> repeats. It remembers the images of the body it has seen.
 */
export function createImageResolver(base: URL | undefined): (el: Element, ctx: WalkContext) => 'keep' | 'drop' {
  const seenImages = new Set<string>();
  return (el: Element, ctx: WalkContext): 'keep' | 'drop' => {
    const attribs = el.attribs;
    let src = (attribs.src ?? '').trim();
    const lazy = lazyImageSrc(attribs);
    const srcset = lazyImageSrcset(attribs) ?? attribs.srcset;
    if (lazy !== undefined && lazy !== src && !isPlaceholderImage(lazy)) {
      src = lazy;
      ctx.fired.add('lazy-image');
    } else if (isPlaceholderImage(src) && srcset !== undefined) {
      const best = bestCandidate(srcset);
      if (best !== undefined) {
        src = best;
        ctx.fired.add('lazy-image');
      }
    }
    if (isPlaceholderImage(src)) {
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
    if (seenImages.has(key) && isInside(el, 'noscript')) {
      ctx.fired.add('noscript-duplicate');
      return 'drop';
    }
    seenImages.add(key);
    return 'keep';
  };
}

const TRACKER_HOST =
  /(?:^|\.)(?:amazon-adsystem\.com|doubleclick\.net|google-analytics\.com|googletagmanager\.com|googlesyndication\.com|hm\.baidu\.com|scorecardresearch\.com|quantserve\.com|pixel\.wp\.com|stats\.wp\.com|feeds\.feedburner\.com|feedsportal\.com|analytics\.twitter\.com|bat\.bing\.com|pixel\.quantserve\.com|cnzz\.com|tns-counter\.ru|chartbeat\.net|addthis\.com)$/i;
const TRACKER_PATH = /\/(?:pixel|beacon|tracking|track)(?:\.gif|\.png|\/|$)|\/~r\/|\/_\/stat\?|\/ir\?t=/i;

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

function isTracker(el: Element, src: string, base: URL | undefined): boolean {
  // 1×1 beacons, and 1-2 px tall or wide spacer lines (BBC's "Transparent line" rules between sections).
  if (isTiny(el.attribs.width) || isTiny(el.attribs.height)) return true;
  const match = /^(?:https?:)?\/\/([^/?#\\]+)(.*)$/i.exec(src.trim());
  const host = match === null ? base?.hostname : match[1]?.toLowerCase();
  const rest = match === null ? src : (match[2] ?? '');
  return (host !== undefined && TRACKER_HOST.test(host)) || TRACKER_PATH.test(rest);
}

/**
 * adoptPictureSource readies a <picture> to be unwrapped down to its <img>: when the img has no usable
 * source of its own, the first <source> lends it its srcset.
 */
export function adoptPictureSource(picture: Element): void {
  const img = picture.children.find((child): child is Element => child instanceof Element && child.name === 'img');
  const source = picture.children.find(
    (child): child is Element => child instanceof Element && child.name === 'source' && (child.attribs.srcset ?? '') !== '',
  );
  if (img === undefined || source === undefined) return;
  if (isPlaceholderImage((img.attribs.src ?? '').trim()) && lazyImageSrc(img.attribs) === undefined) {
    img.attribs['data-srcset'] = source.attribs.srcset ?? '';
  }
}
