/**
 * Canonical URLs: the string two links must share to be the same article.
 *
 * Rules, in order (each one comes from a way the same article reached us under two spellings):
 * - only absolute `http:`/`https:` URLs have a canonical form (anything else is `undefined`, and the
 *   identity stage falls back to the GUID); relative links are resolved against `base`;
 * - `http:` becomes `https:`: publishers moved to https over the years and feedx still hands out
 *   `http://www.rfi.fr/…` links (1,605 of the corpus links), so both schemes are one identity;
 * - user info and the fragment are dropped, the host is lower-cased (IDN as punycode) without a
 *   trailing dot, and the default port is dropped;
 * - runs of `/` in the path collapse to one (feedx writes `https://www.rfi.fr//cn/…`);
 * - percent-encoding is normalised: escapes of unreserved characters are decoded, hex digits are
 *   upper-cased, and characters outside RFC 3986 (spaces, CJK, `|`…) are encoded, so a link and
 *   its decoded spelling (the seed's RFI link, CDT's lower-case `%e9`) get the same key;
 * - tracking parameters ({@link TRACKING_PARAMS}, {@link TRACKING_PARAM_PREFIXES}) are removed and
 *   the remaining parameters are sorted by name (stable, so repeated names keep their order);
 *   parameters are kept byte for byte otherwise: DW links carry a bare `?/a-54180796` that must not
 *   become `?/a-54180796=`;
 * - a trailing `index.html` or `/` is kept: some sites serve different pages for them.
 */

/** TRACKING_PARAMS are query parameter names (compared lower-cased) that never identify an article. */
export const TRACKING_PARAMS: ReadonlySet<string> = new Set([
  // ad and social click ids
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'msclkid',
  'yclid',
  'igshid',
  'twclid',
  'ttclid',
  // mail and marketing automation (Mailchimp, HubSpot, Marketo)
  'mc_cid',
  'mc_eid',
  '_hsenc',
  '_hsmi',
  'mkt_tok',
  // Chinese platforms (Alibaba spm, WeChat share links)
  'spm',
  'scm',
  'from',
  'isappinstalled',
  'share_token',
  // Twitter, RFI (AT Internet xtor), NYT share and RSS tags, Microsoft
  'ref_src',
  'ref_url',
  'xtor',
  'smid',
  'smtyp',
  'emc',
  'ocid',
  'cmpid',
  'ncid',
]);

/** TRACKING_PARAM_PREFIXES are name prefixes of tracking families: Google `utm_*`, BBC/AT Internet `at_*`. */
export const TRACKING_PARAM_PREFIXES: readonly string[] = ['utm_', 'at_'];

/**
 * canonicalizeUrl returns the canonical form of an http(s) URL (see the module comment), or
 * `undefined` when `url` is empty, unparseable or not http(s).
 *
 * @example
 * canonicalizeUrl('http://www.RFI.fr//cn/a?utm_source=x&b=2&a=1#top') // 'https://www.rfi.fr/cn/a?a=1&b=2'
 */
export function canonicalizeUrl(url: string, base?: string): string | undefined {
  const trimmed = url.trim();
  if (trimmed === '') return undefined;
  let parsed: URL;
  try {
    parsed = base === undefined ? new URL(trimmed) : new URL(trimmed, base);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  const host = parsed.hostname.replace(/\.+$/, '');
  if (host === '') return undefined;
  // The URL parser already dropped :80 for http and :443 for https; after the scheme becomes
  // https, an explicit :443 on an http URL is the default port too.
  const port = parsed.port === '' || parsed.port === '443' ? '' : `:${parsed.port}`;
  const path = normalizeEncoding(parsed.pathname.replace(/\/{2,}/g, '/')) || '/';
  const query = canonicalQuery(parsed.search);
  return `https://${host}${port}${path}${query === '' ? '' : `?${query}`}`;
}

function canonicalQuery(search: string): string {
  if (search.length <= 1) return '';
  const kept: { name: string; piece: string }[] = [];
  for (const rawPiece of search.slice(1).split('&')) {
    if (rawPiece === '') continue;
    const piece = normalizeEncoding(rawPiece);
    const equals = piece.indexOf('=');
    const name = equals === -1 ? piece : piece.slice(0, equals);
    if (isTrackingParam(decodeName(name))) continue;
    kept.push({ name, piece });
  }
  // Array.prototype.sort is stable, so repeated names keep their relative order.
  kept.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return kept.map((param) => param.piece).join('&');
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return name.toLowerCase();
  }
}

function isTrackingParam(name: string): boolean {
  return TRACKING_PARAMS.has(name) || TRACKING_PARAM_PREFIXES.some((prefix) => name.startsWith(prefix));
}

// RFC 3986 section 2: unreserved characters may always be decoded, reserved ones never.
const UNRESERVED = /[A-Za-z0-9\-._~]/;
const RESERVED = /[:/?#[\]@!$&'()*+,;=]/;
const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

function normalizeEncoding(component: string): string {
  let out = '';
  for (let i = 0; i < component.length; ) {
    const ch = component[i] as string;
    if (ch === '%') {
      const hex = component.slice(i + 1, i + 3);
      if (HEX_PAIR.test(hex)) {
        const decoded = String.fromCharCode(Number.parseInt(hex, 16));
        out += UNRESERVED.test(decoded) ? decoded : `%${hex.toUpperCase()}`;
        i += 3;
      } else {
        out += '%25';
        i += 1;
      }
      continue;
    }
    const codePoint = component.codePointAt(i) as number;
    const char = String.fromCodePoint(codePoint);
    i += char.length;
    if (UNRESERVED.test(char) || RESERVED.test(char)) out += char;
    else out += encodeChar(char);
  }
  return out;
}

function encodeChar(char: string): string {
  try {
    return encodeURIComponent(char);
  } catch {
    // A lone surrogate cannot be UTF-8 encoded; the URL parser writes U+FFFD for it too.
    return '%EF%BF%BD';
  }
}
