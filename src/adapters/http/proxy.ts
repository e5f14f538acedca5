import { isIP } from 'node:net';

import { NewsmirrorError, redactUrl } from '../../core/errors.js';

/** PROXY_SCHEMES are the proxy URL schemes undici 7 can dial: HTTP CONNECT (over TCP or TLS) and SOCKS5. */
const PROXY_SCHEMES = new Set(['http:', 'https:', 'socks5:', 'socks5h:', 'socks:']);

/** ProxySettings is the proxy configuration after reading options and the environment. */
export interface ProxySettings {
  /** Proxy for http:// targets, if any. */
  http?: URL;
  /** Proxy for https:// targets, if any. */
  https?: URL;
  /** Raw NO_PROXY list; empty when nothing bypasses the proxy. */
  noProxy: string;
}

/**
 * readProxySettings picks the proxy from `configured` (network.proxy, used for every scheme) or
 * else from HTTPS_PROXY / HTTP_PROXY, then ALL_PROXY (either case, lower case winning as in curl),
 * plus NO_PROXY.
 * It throws a `proxy` config error for an unparsable URL or a scheme undici cannot dial; the
 * message never carries the proxy's credentials.
 */
export function readProxySettings(configured: string | undefined, env: Record<string, string | undefined>): ProxySettings {
  const noProxy = env.no_proxy ?? env.NO_PROXY ?? '';
  if (configured !== undefined && configured.trim() !== '') {
    const url = parseProxyUrl(configured, 'network.proxy');
    return { http: url, https: url, noProxy };
  }
  // ALL_PROXY is what desktop proxy tools (Clash, v2rayN, Shadowsocks clients) often export, as socks5://.
  const allRaw = env.all_proxy ?? env.ALL_PROXY;
  const httpRaw = env.http_proxy ?? env.HTTP_PROXY ?? allRaw;
  const httpsRaw = env.https_proxy ?? env.HTTPS_PROXY ?? allRaw;
  return {
    http: httpRaw ? parseProxyUrl(httpRaw, 'HTTP_PROXY') : undefined,
    https: httpsRaw ? parseProxyUrl(httpsRaw, 'HTTPS_PROXY') : undefined,
    noProxy,
  };
}

function parseProxyUrl(raw: string, origin: string): URL {
  let url: URL;
  try {
    // A bare host:port is what many people put in HTTP_PROXY; curl reads it as http://.
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch (cause) {
    // The raw text is left out: an unparsable URL may hide a password from the redactor.
    throw new NewsmirrorError('proxy', 'config', `${origin} is not a valid proxy URL`, { cause });
  }
  if (!PROXY_SCHEMES.has(url.protocol)) {
    throw new NewsmirrorError(
      'proxy',
      'config',
      `${origin} scheme ${url.protocol} is not supported (use http://, https:// or socks5://)`,
      { url: redactUrl(url.href) },
    );
  }
  return url;
}

/** proxyForTarget returns the proxy to use for a target URL, or undefined to connect directly. */
export function proxyForTarget(target: URL, settings: ProxySettings): URL | undefined {
  const proxy = target.protocol === 'https:' ? settings.https : settings.http;
  if (proxy === undefined) return undefined;
  return bypassesProxy(target, settings.noProxy) ? undefined : proxy;
}

/**
 * bypassesProxy applies a NO_PROXY list the way curl does: `*` bypasses everything; `host`,
 * `.host` and `*.host` match the host and every subdomain; `host:port` only that port; an IP
 * literal matches itself and an IPv4 CIDR (`10.0.0.0/8`) its range. Matching ignores case.
 */
export function bypassesProxy(target: URL, noProxy: string): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const { name, entryPort } = splitPort(entry);
    if (entryPort !== undefined && entryPort !== port) continue;
    if (name.includes('/')) {
      if (inIPv4Cidr(host, name)) return true;
      continue;
    }
    const domain = name.replace(/^\*?\./, '');
    if (host === domain || host.endsWith(`.${domain}`)) return true;
  }
  return false;
}

function splitPort(entry: string): { name: string; entryPort?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed?.[1] !== undefined) return { name: bracketed[1], entryPort: bracketed[2] };
  if (isIP(entry) === 6) return { name: entry };
  const match = /^(.*):(\d+)$/.exec(entry);
  if (match?.[1] !== undefined) return { name: match[1], entryPort: match[2] };
  return { name: entry };
}

function inIPv4Cidr(host: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (base === undefined || isIP(base) !== 4 || isIP(host) !== 4 || !Number.isInteger(bits) || bits < 0 || bits > 32) {
    return false;
  }
  const toNumber = (ip: string): number => ip.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((toNumber(host) & mask) >>> 0) === ((toNumber(base) & mask) >>> 0);
}
