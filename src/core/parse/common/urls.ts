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

const URL_ATTRS = 'href|src|poster|cite|background|longdesc|action|usemap|codebase|formaction|icon|manifest|data';
// Cheap pre-check, not anchored to a tag (half the cost of an anchored one); a false hit in text only
// costs the tag-anchored rewrite below, which changes nothing there.
const HAS_RELATIVE = new RegExp(String.raw`\s(?:${URL_ATTRS})\s*=\s*["']?(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|["'\s>])`, 'i');
const TAG_WITH_URL = new RegExp(String.raw`<[a-zA-Z][^<>]*?\s(?:${URL_ATTRS})\s*=[^<>]*>`, 'gi');
const URL_ATTR = new RegExp(String.raw`(\s(?:${URL_ATTRS})\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`, 'gi');

/**
 * resolveHtmlUrls makes the URL attributes of HTML markup absolute against `base` (the xml:base in
 * effect where the HTML sat, or the document URL): only this stage still knows xml:base. Escaped
 * markup in text (`&lt;a href=…`) is not touched, and HTML without relative URLs is returned as is.
 */
export function resolveHtmlUrls(html: string, base: string | undefined): string {
  if (base === undefined || !HAS_RELATIVE.test(html)) return html;
  return html.replace(TAG_WITH_URL, (tag) =>
    tag.replace(URL_ATTR, (match: string, prefix: string, double?: string, single?: string, bare?: string) => {
      const value = (double ?? single ?? bare ?? '').trim();
      if (value === '' || value.startsWith('#') || ABSOLUTE.test(value)) return match;
      const resolved = resolveUrl(value, base) ?? value;
      return `${prefix}"${resolved.replace(/"/g, '&quot;')}"`;
    }),
  );
}
