/**
 * URL policy for cleaned article HTML: which schemes may appear where, how relative URLs become
 * absolute, which image proxies are unwrapped and which query parameters are tracking noise.
 */

/** UrlPlace says where a URL appears; each place has its own scheme policy. */
export type UrlPlace = 'link' | 'image' | 'media' | 'frame' | 'cite';

// Query parameters that only identify a campaign or a click, never content (the identity module keeps
// its own list for canonical URLs).
const TRACKING_PARAMS: ReadonlySet<string> = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  'spm',
  'scm',
  'xtor',
  'ref_src',
  'ref_url',
  '_ga',
  '_gl',
  'ocid',
  'cmpid',
  'share_source',
  'vero_id',
  'mkt_tok',
]);

// Browsers drop ASCII whitespace and C0 controls while parsing a URL, so `jav&#x09;ascript:` is still
// `javascript:`; remove them before deciding anything about the scheme.
// eslint-disable-next-line no-control-regex
const URL_NOISE = /[\u0000-\u0020\u007f-\u009f]+/g;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
// eslint-disable-next-line no-control-regex
const EDGE_NOISE = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;
const SAFE_IMAGE_DATA = /^data:image\/(?:png|jpeg|jpg|gif|webp);base64,[a-z0-9+/=\s]*$/i;
const RELATIVE_PROBE_BASE = 'https://relative.invalid/';
// An absolute http(s) URL already written the way URL#href prints it (lower-case host, no port, a path
// without dot segments, only characters the parser keeps as they are) needs no parse: most feed URLs.
const CANONICAL =
  /^https?:\/\/[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\/(?![^?#]*\/\.)[\w\-.~!$&()*+,;=:@/%]*(?:\?[\w\-.~!$&()*+,;=:@/%?]*)?(?:#[\w\-.~!$&()*+,;=:@/%?#]*)?$/;

/**
 * IMAGE_PROXY_HOSTS are third-party image proxies that feeds route images through; the original
 * image URL sits in their `url` query parameter.
 */
const IMAGE_PROXY_HOSTS: ReadonlySet<string> = new Set(['images.weserv.nl', 'wsrv.nl', 'images.weserv.nl.']);

/**
 * unwrapProxyUrl returns the original image URL of a proxied one (`images.weserv.nl/?url=host/path`,
 * with or without a scheme or weserv's `ssl:` prefix in the parameter), or the input unchanged.
 */
export function unwrapProxyUrl(raw: string): string {
  if (!raw.includes('url=')) return raw;
  let url: URL;
  try {
    url = new URL(raw.startsWith('//') ? `https:${raw}` : raw);
  } catch {
    return raw;
  }
  if (!IMAGE_PROXY_HOSTS.has(url.hostname)) return raw;
  const inner = url.searchParams.get('url');
  if (!inner) return raw;
  let target = inner.trim();
  if (target.startsWith('ssl:')) target = `https://${target.slice(4)}`;
  else if (target.startsWith('//')) target = `https:${target}`;
  else if (!SCHEME.test(target)) target = `https://${target}`;
  try {
    const parsed = new URL(target);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : raw;
  } catch {
    return raw;
  }
}

// dropTrackingParams removes the TRACKING_PARAMS and every `utm_*` parameter from an absolute URL.
function dropTrackingParams(url: URL): URL {
  if (url.search === '') return url;
  const names = [...url.searchParams.keys()];
  const drop = names.filter((name) => {
    const lower = name.toLowerCase();
    return lower.startsWith('utm_') || TRACKING_PARAMS.has(lower);
  });
  if (drop.length === 0) return url;
  for (const name of drop) url.searchParams.delete(name);
  return url;
}

/**
 * safeUrl returns the URL to keep for an attribute at `place`, made absolute against `base` when one is
 * given, or `undefined` when the URL must go: a scheme other than http(s) (plus mailto/tel for links and
 * `data:image/(png|jpeg|gif|webp)` for images), or a value no browser could resolve.
 */
export function safeUrl(raw: string, place: UrlPlace, base?: URL): string | undefined {
  const probe = raw.replace(URL_NOISE, '');
  if (probe === '') return undefined;
  const scheme = SCHEME.exec(probe)?.[1]?.toLowerCase();
  if (scheme === 'data') {
    return place === 'image' && SAFE_IMAGE_DATA.test(probe) ? probe : undefined;
  }
  if (scheme !== undefined && !allowedScheme(scheme, place)) return undefined;
  if (scheme === 'mailto' || scheme === 'tel') return probe;
  if (CANONICAL.test(raw) && (place !== 'link' || !raw.includes('?'))) return raw;
  let url: URL;
  try {
    url = new URL(raw, base ?? RELATIVE_PROBE_BASE);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  // Without a base a relative reference stays relative, cleaned the way a browser would read it.
  if (base === undefined && scheme === undefined) {
    // Trim exactly what a URL parser trims (C0 controls and space, never U+2000 or U+FEFF), then
    // check the result once more: it must still have no scheme.
    const relative = raw.replace(/[\t\n\r]/g, '').replace(EDGE_NOISE, '');
    return SCHEME.test(relative.replace(URL_NOISE, '')) ? undefined : relative;
  }
  if (place === 'link') dropTrackingParams(url);
  return url.href;
}

function allowedScheme(scheme: string, place: UrlPlace): boolean {
  if (scheme === 'http' || scheme === 'https') return true;
  return place === 'link' && (scheme === 'mailto' || scheme === 'tel');
}

/** parseBase turns an article URL into a base for resolution, or `undefined` when it is not http(s). */
export function parseBase(raw: string | undefined): URL | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    const url = new URL(raw.replace(URL_NOISE, ''));
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** hostMatches tells whether `host` is `domain` or one of its subdomains. */
export function hostMatches(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}
