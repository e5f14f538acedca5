// Lazy-loaded images: pages ship a placeholder in `src` and the real image in a data attribute that
// a script swaps in. Both the extractor (on the page) and the cleaner (on the body) undo that swap.

/**
 * LAZY_SRC_ATTRIBUTES are the attributes lazy-loading scripts keep an image's real URL in, the most
 * specific first (a `data-original` may hold a smaller picture than a `data-lazy-src`, never the reverse).
 */
export const LAZY_SRC_ATTRIBUTES: readonly string[] = [
  'data-src',
  'data-original',
  'data-lazy-src',
  'data-lazy',
  'data-actualsrc',
  'data-original-src',
  'data-hi-res-src',
  'data-echo',
];

/** LAZY_SRCSET_ATTRIBUTES are the attributes lazy-loading scripts keep an image's real srcset in. */
export const LAZY_SRCSET_ATTRIBUTES: readonly string[] = ['data-srcset', 'data-lazy-srcset', 'data-original-set'];

const PLACEHOLDER_FILE =
  /(?:^|\/)(?:blank|spacer|pixel|transparent|placeholder|grey[-_]?placeholder|lazy[-_]?load\w*|loading|1x1)\.(?:gif|png|svg|jpe?g|webp)(?:[?#]|$)/i;

/** isPlaceholderImage tells whether an image URL is a stand-in (empty, a tiny data URL, blank.gif…) rather than a picture. */
export function isPlaceholderImage(src: string): boolean {
  if (src === '' || src === '#' || src === 'about:blank') return true;
  if (/^data:/i.test(src)) return src.length < 256 || /^data:image\/svg/i.test(src);
  return PLACEHOLDER_FILE.test(src);
}

/** lazyImageSrc returns the first non-empty lazy-loading source of an image's attributes, trimmed. */
export function lazyImageSrc(attribs: Readonly<Record<string, string>>): string | undefined {
  return firstAttribute(attribs, LAZY_SRC_ATTRIBUTES);
}

/** lazyImageSrcset returns the first non-empty lazy-loading srcset of an image's attributes, trimmed. */
export function lazyImageSrcset(attribs: Readonly<Record<string, string>>): string | undefined {
  return firstAttribute(attribs, LAZY_SRCSET_ATTRIBUTES);
}

function firstAttribute(attribs: Readonly<Record<string, string>>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = attribs[name]?.trim();
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}
