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

const URL_ATTR_NAMES = ['href', 'src', 'poster', 'cite', 'background', 'longdesc', 'action', 'usemap', 'codebase', 'formaction', 'icon', 'manifest', 'data'];
const URL_ATTRS = URL_ATTR_NAMES.join('|');
const TAG_WITH_URL = new RegExp(String.raw`<[a-zA-Z][^<>]*?\s(?:${URL_ATTRS})\s*=[^<>]*>`, 'gi');
const URL_ATTR = new RegExp(String.raw`(\s(?:${URL_ATTRS})\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`, 'gi');

/**
 * resolveHtmlUrls makes the URL attributes of HTML markup absolute against `base` (the xml:base in
 * effect where the HTML sat, or the document URL): only this stage still knows xml:base. Escaped
 * markup in text (`&lt;a href=…`) is not touched, and HTML without relative URLs is returned as is.
 */
export function resolveHtmlUrls(html: string, base: string | undefined): string {
  if (base === undefined || !hasRelativeUrl(html)) return html;
  return html.replace(TAG_WITH_URL, (tag) =>
    tag.replace(URL_ATTR, (match: string, prefix: string, double?: string, single?: string, bare?: string) => {
      const value = (double ?? single ?? bare ?? '').trim();
      if (value === '' || value.startsWith('#') || ABSOLUTE.test(value)) return match;
      const resolved = resolveUrl(value, base) ?? value;
      return `${prefix}"${resolved.replace(/"/g, '&quot;')}"`;
    }),
  );
}

/**
 * hasRelativeUrl is the pre-check that lets most articles through untouched. It walks the `=` signs
 * with native indexOf and compares the attribute name before each in place (no substring unless
 * the name starts with a capital): many times cheaper than a case-insensitive regex over a long
 * article, which cost as much as decoding it. A false hit in plain text only costs the tag-anchored
 * rewrite, which changes nothing there.
 */
function hasRelativeUrl(html: string): boolean {
  for (let eq = html.indexOf('='); eq >= 0; eq = html.indexOf('=', eq + 1)) {
    let end = eq;
    while (end > 0 && html.charCodeAt(end - 1) === 32) end--;
    let start = end;
    while (start > 0 && isLetter(html.charCodeAt(start - 1))) start--;
    const names = URL_ATTRS_BY_LENGTH.get(end - start);
    if (names === undefined || start === 0 || !isSpace(html.charCodeAt(start - 1))) continue;
    if (!names.some((name) => html.startsWith(name, start))) {
      const first = html.charCodeAt(start);
      if (first > 90 || !names.includes(html.slice(start, end).toLowerCase())) continue;
    }
    let value = eq + 1;
    while (isSpace(html.charCodeAt(value))) value++;
    const quote = html.charCodeAt(value);
    if (quote === 34 || quote === 39) value++;
    const first = html.charCodeAt(value);
    if (first === 35 /* # */ || first === quote || first === 62 /* > */ || Number.isNaN(first)) continue;
    if (!isAbsoluteAt(html, value)) return true;
  }
  return false;
}

const URL_ATTRS_BY_LENGTH = new Map<number, string[]>();
for (const name of URL_ATTR_NAMES) URL_ATTRS_BY_LENGTH.set(name.length, [...(URL_ATTRS_BY_LENGTH.get(name.length) ?? []), name]);

/** isAbsoluteAt tells whether a URL scheme (`https:`, `data:`, `mailto:`…) starts at `index`. */
function isAbsoluteAt(text: string, index: number): boolean {
  if (!isLetter(text.charCodeAt(index))) return false;
  for (let i = index + 1; i < index + 32; i++) {
    const c = text.charCodeAt(i);
    if (c === 58 /* : */) return true;
    if (!(isLetter(c) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45)) return false;
  }
  return false;
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12;
}
