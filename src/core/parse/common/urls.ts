const ABSOLUTE = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/**
 * resolveUrl resolves `ref` against `base` (already absolute). Absolute references are returned as
 * they are, without the cost of URL parsing; unresolvable ones are returned unchanged when there is
 * no base, and undefined when they cannot be parsed at all.
 */
export function resolveUrl(ref: string, base: string | undefined): string | undefined {
  if (ref === '') return base;
  if (ABSOLUTE.test(ref)) return ref;
  if (base === undefined) return ref;
  try {
    return new URL(ref, base).href;
  } catch {
    return ref;
  }
}

/** looksLikeUrl tells whether an RSS guid can double as the item's link. */
export function looksLikeUrl(value: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(value);
}
