import { isIP } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

import { Agent, ProxyAgent, Socks5ProxyAgent, buildConnector, type Dispatcher } from 'undici';

import { NewsmirrorError, errorMessage, isNewsmirrorError, redactUrl } from '../../core/errors.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../core/ports.js';
import {
  PRIVATE_ADDRESS_CODE,
  PrivateAddressError,
  checkResolved,
  createGuardedLookup,
  isPrivateAddress,
  resolveWithSystem,
  type Resolver,
} from './address.js';
import { BodyDecodeError, BodyTooLargeError, UnsupportedEncodingError, readBody } from './body.js';
import { isChallengePage } from './challenge.js';
import { HostLimiter } from './limiter.js';
import { proxyForTarget, readProxySettings } from './proxy.js';
import { RETRY_STATUSES, backoffDelay, parseRetryAfter } from './retry.js';

/** HttpClientOptions configures createHttpClient; every field has a polite default. */
export interface HttpClientOptions {
  /** User-Agent header; defaults to DEFAULT_USER_AGENT. */
  userAgent?: string;
  /** Proxy URL (http://, https:// or socks5://) for every request; overrides HTTP(S)_PROXY. */
  proxy?: string;
  /** Time allowed for one request hop, from sending it to the last body byte. Default 30 s. */
  timeoutSeconds?: number;
  /** Time allowed to open the TCP (and TLS) connection. Default 10 s. */
  connectTimeoutMs?: number;
  /** Time allowed from sending the request to the response headers. Default: the whole timeout. */
  firstByteTimeoutMs?: number;
  /** Requests in flight across all hosts. Default 8. */
  concurrency?: number;
  /** Requests in flight per host name. Default 2. */
  perHost?: number;
  /** Allow private, loopback and link-local targets (tests, LAN-hosted feeds). Default false. */
  allowPrivateNetworks?: boolean;
  /** Body cap in bytes, for the received and for the decompressed size. Default 20 MB. */
  maxBytes?: number;
  /** Retries after the first attempt, for the retryable failures only. Default 2. */
  retries?: number;
  /** Longest Retry-After the client waits itself; longer ones fail with `retryAfterMs` set. Default 60 s. */
  maxRetryAfterMs?: number;
  /** First backoff delay; it doubles per retry (with jitter) up to 30 s. Default 1 s. */
  backoffBaseMs?: number;
  /** Environment for HTTP_PROXY / HTTPS_PROXY / ALL_PROXY / NO_PROXY. Default: process.env, read once here. */
  env?: Record<string, string | undefined>;
  /** Waits between attempts; injected so tests record waits instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
  /** Wall clock, for Retry-After dates. Default Date.now. */
  now?: () => number;
  /** Random source for backoff jitter. Default Math.random. */
  random?: () => number;
  /** Host name resolver; injected so tests can point names at 127.0.0.1. Default: the system resolver. */
  resolve?: Resolver;
}

/** DEFAULT_USER_AGENT names the tool and where to read about it, as polite crawlers do. */
export const DEFAULT_USER_AGENT = 'newsmirror/0.1 (+https://github.com/newsmirror/newsmirror)';

const DEFAULT_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8';
const ACCEPT_ENCODING = 'gzip, deflate, br';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
const CHALLENGE_STATUSES = new Set([403, 429, 503]);
const CHALLENGE_SNIFF_BYTES = 64 * 1024;
const DISCARD_LIMIT = 64 * 1024;
/** Headers that must not follow a redirect to another origin. */
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];
/** Failures of the connection itself, worth a retry; a body cut short of its Content-Length is one. */
const RESET_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_FAIL', 'EAI_NONAME']);
const TLS_CODES = /^(?:ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$|ERR_OSSL_|HOSTNAME_MISMATCH)/;

interface Settings {
  userAgent: string;
  timeoutMs: number;
  firstByteTimeoutMs: number;
  maxBytes: number;
  retries: number;
  maxRetryAfterMs: number;
  backoffBaseMs: number;
  allowPrivate: boolean;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
  resolve: Resolver;
}

/**
 * createHttpClient builds the polite HttpClient over undici: conditional GET, decompression with a
 * byte cap, manual redirects, timeouts, retries with backoff for a listed set of failures,
 * Retry-After, global and per-host limits, one request in flight per request shape, proxies and
 * private-address refusal checked on the address actually connected.
 * It throws a `proxy` error (stage `config`) when the proxy setting is unusable.
 *
 * @example
 * const http = createHttpClient({ userAgent: 'newsmirror/0.1', perHost: 2 });
 * const response = await http.get({ url: 'https://feedx.net/rss/rfi.xml', sourceId: 'rfi', etag });
 * if (!response.notModified) parse(response.body);
 * await http.close();
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const env = options.env ?? process.env;
  const proxySettings = readProxySettings(options.proxy, env);
  const timeoutMs = Math.max(1, Math.round((options.timeoutSeconds ?? 30) * 1000));
  const settings: Settings = {
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    timeoutMs,
    firstByteTimeoutMs: options.firstByteTimeoutMs ?? timeoutMs,
    maxBytes: options.maxBytes ?? 20 * 1024 * 1024,
    retries: Math.max(0, options.retries ?? 2),
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    backoffBaseMs: options.backoffBaseMs ?? 1000,
    allowPrivate: options.allowPrivateNetworks ?? false,
    sleep: options.sleep ?? ((ms) => delay(ms)),
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    resolve: options.resolve ?? resolveWithSystem,
  };
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const limiter = new HostLimiter(options.concurrency ?? 8, options.perHost ?? 2);
  const direct = new Agent({
    connect: { timeout: connectTimeoutMs, lookup: createGuardedLookup(settings.resolve, settings.allowPrivate) },
  });
  const proxies = new Map<string, Dispatcher>();
  const inFlight = new Map<string, Promise<HttpResponse>>();
  const signalIds = createSignalIds();
  let closed = false;

  const dispatcherFor = (proxy: URL | undefined): Dispatcher => {
    if (proxy === undefined) return direct;
    let dispatcher = proxies.get(proxy.href);
    if (dispatcher === undefined) {
      dispatcher = createProxyDispatcher(proxy, connectTimeoutMs);
      proxies.set(proxy.href, dispatcher);
    }
    return dispatcher;
  };

  const hop = (url: URL, request: HttpRequest, headers: Record<string, string>): Promise<HopResult> =>
    fetchHop(url, request, headers, settings, limiter, dispatcherFor, proxySettings);

  return {
    get(request: HttpRequest): Promise<HttpResponse> {
      if (closed) {
        return Promise.reject(
          new NewsmirrorError('internal', 'fetch', 'HTTP client is closed', { sourceId: request.sourceId, url: request.url }),
        );
      }
      const key = requestKey(request, signalIds);
      const running = inFlight.get(key);
      if (running) return running;
      const promise = getWithRetries(request, settings, hop).finally(() => inFlight.delete(key));
      inFlight.set(key, promise);
      return promise;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.all([direct.close(), ...[...proxies.values()].map((dispatcher) => dispatcher.close())]);
    },
  };
}

function createProxyDispatcher(proxy: URL, connectTimeoutMs: number): Dispatcher {
  if (proxy.protocol === 'socks5:' || proxy.protocol === 'socks5h:' || proxy.protocol === 'socks:') {
    // undici sends the host name to the SOCKS server (socks5h behaviour), so names resolve there.
    // No proxyTls here: its mere presence makes undici speak TLS to the SOCKS server.
    const url = new URL(proxy.href.replace(/^socks5h:/, 'socks5:'));
    return new Socks5ProxyAgent(url, { connect: buildConnector({ timeout: connectTimeoutMs }) });
  }
  // proxyTunnel false: http:// targets are forwarded in absolute form (what every HTTP proxy
  // accepts, even those that only allow CONNECT to port 443); https:// targets use CONNECT.
  return new ProxyAgent({ uri: proxy.href, proxyTunnel: false, proxyTls: { timeout: connectTimeoutMs } });
}

/**
 * requestKey identifies requests that would put the same question to the server; only those share
 * one in-flight fetch (a conditional and an unconditional GET of one URL do not). The abort signal
 * is part of the key, so one caller giving up never cancels a fetch another caller waits for.
 */
function requestKey(request: HttpRequest, signalIds: (signal: AbortSignal | undefined) => number): string {
  return JSON.stringify([
    request.url,
    signalIds(request.signal),
    request.etag ?? null,
    request.lastModified ?? null,
    request.accept ?? null,
    request.maxBytes ?? null,
    Object.entries(request.headers ?? {}).sort(([a], [b]) => a.localeCompare(b)),
  ]);
}

/** createSignalIds numbers abort signals by identity (0 for none) without keeping them alive. */
function createSignalIds(): (signal: AbortSignal | undefined) => number {
  const ids = new WeakMap<AbortSignal, number>();
  let next = 1;
  return (signal) => {
    if (signal === undefined) return 0;
    let id = ids.get(signal);
    if (id === undefined) {
      id = next++;
      ids.set(signal, id);
    }
    return id;
  };
}

type HopResult = { kind: 'response'; response: HttpResponse } | { kind: 'redirect'; location: string | undefined };

async function getWithRetries(
  request: HttpRequest,
  settings: Settings,
  hop: (url: URL, request: HttpRequest, headers: Record<string, string>) => Promise<HopResult>,
): Promise<HttpResponse> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await followRedirects(request, settings, hop);
    } catch (error) {
      if (!isNewsmirrorError(error) || attempt >= settings.retries || !isRetryable(error) || request.signal?.aborted) {
        throw error;
      }
      if (error.retryAfterMs !== undefined && error.retryAfterMs > settings.maxRetryAfterMs) throw error;
      const waitMs =
        error.retryAfterMs ??
        backoffDelay(attempt, { baseMs: settings.backoffBaseMs, maxMs: 30_000, random: settings.random });
      await settings.sleep(waitMs);
    }
  }
}

async function followRedirects(
  request: HttpRequest,
  settings: Settings,
  hop: (url: URL, request: HttpRequest, headers: Record<string, string>) => Promise<HopResult>,
): Promise<HttpResponse> {
  const first = parseTarget(request.url, request);
  const visited = new Set([withoutHash(first)]);
  let url = first;
  let headers = requestHeaders(request, settings);
  for (let redirects = 0; ; redirects += 1) {
    const result = await hop(url, request, headers);
    if (result.kind === 'response') return result.response;
    const context = { sourceId: request.sourceId, url: url.href };
    if (result.location === undefined || result.location.trim() === '') {
      throw new NewsmirrorError('redirect-missing-location', 'fetch', 'redirect without a Location header', context);
    }
    let next: URL;
    try {
      next = new URL(result.location, url);
    } catch (cause) {
      throw new NewsmirrorError('bad-url', 'fetch', 'redirect Location is not a URL', { ...context, cause });
    }
    next = parseTarget(next.href, request);
    if (visited.has(withoutHash(next))) {
      throw new NewsmirrorError('redirect-loop', 'fetch', `redirect loop back to ${redactUrl(next.href)}`, context);
    }
    if (redirects + 1 > MAX_REDIRECTS) {
      throw new NewsmirrorError('too-many-redirects', 'fetch', `more than ${MAX_REDIRECTS} redirects`, context);
    }
    if (next.origin !== url.origin) headers = withoutOriginBound(headers);
    visited.add(withoutHash(next));
    url = next;
  }
}

function parseTarget(raw: string, request: HttpRequest): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new NewsmirrorError('bad-url', 'fetch', 'not an absolute URL', { sourceId: request.sourceId, url: raw, cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NewsmirrorError('bad-url', 'fetch', `scheme ${url.protocol} is not http(s)`, {
      sourceId: request.sourceId,
      url: url.href,
    });
  }
  return url;
}

function withoutHash(url: URL): string {
  const copy = new URL(url.href);
  copy.hash = '';
  return copy.href;
}

function requestHeaders(request: HttpRequest, settings: Settings): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': settings.userAgent,
    accept: request.accept ?? DEFAULT_ACCEPT,
    'accept-encoding': ACCEPT_ENCODING,
  };
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  if (request.etag !== undefined) headers['if-none-match'] = request.etag;
  if (request.lastModified !== undefined) headers['if-modified-since'] = request.lastModified;
  return headers;
}

function withoutOriginBound(headers: Record<string, string>): Record<string, string> {
  const copy = { ...headers };
  for (const name of ORIGIN_BOUND_HEADERS) delete copy[name];
  return copy;
}

async function fetchHop(
  url: URL,
  request: HttpRequest,
  headers: Record<string, string>,
  settings: Settings,
  limiter: HostLimiter,
  dispatcherFor: (proxy: URL | undefined) => Dispatcher,
  proxySettings: ReturnType<typeof readProxySettings>,
): Promise<HopResult> {
  const context = { sourceId: request.sourceId, url: url.href };
  const proxy = proxyForTarget(url, proxySettings);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!settings.allowPrivate) {
    try {
      // A literal IP never goes through the lookup hook, and through a proxy nothing of ours
      // resolves the name at all, so both are checked here; direct connections by name are
      // checked again in the lookup hook on the address actually dialled.
      if (isIP(host) !== 0 && isPrivateAddress(host)) throw new PrivateAddressError(host, host);
      if (proxy !== undefined) await checkResolved(host, settings.resolve);
    } catch (error) {
      throw toFetchError(error, context, { proxied: proxy !== undefined });
    }
  }

  if (url.username !== '' || url.password !== '') {
    // undici ignores user info in the URL; send it as Basic auth (and only to this origin).
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers = { ...headers, authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
  }

  const release = await limiter.acquire(host);
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(), settings.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timer.signal]) : timer.signal;
  try {
    const response = await dispatcherFor(proxy).request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers,
      signal,
      headersTimeout: settings.firstByteTimeoutMs,
      bodyTimeout: settings.timeoutMs,
    });
    const responseHeaders = flattenHeaders(response.headers);
    const status = response.statusCode;
    const body = response.body;

    if (REDIRECT_STATUSES.has(status)) {
      await discard(body);
      return { kind: 'redirect', location: responseHeaders.location };
    }
    if (status === 304) {
      await discard(body);
      return { kind: 'response', response: buildResponse(url, status, responseHeaders, new Uint8Array(0), true) };
    }
    const contentEncoding = responseHeaders['content-encoding'];
    if (status >= 200 && status < 300) {
      const maxBytes = request.maxBytes ?? settings.maxBytes;
      const declared = Number(responseHeaders['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        // undici emits "Request aborted" on a destroyed body; unhandled, it would crash the process.
        body.on('error', () => undefined);
        body.destroy();
        throw new BodyTooLargeError(maxBytes);
      }
      const bytes = await readBody(body, { contentEncoding, maxBytes });
      return { kind: 'response', response: buildResponse(url, status, responseHeaders, bytes, false) };
    }

    const statusContext = { ...context, status, retryAfterMs: retryAfterOf(status, responseHeaders, settings.now()) };
    if (CHALLENGE_STATUSES.has(status)) {
      const start = await readBody(body, { contentEncoding, maxBytes: CHALLENGE_SNIFF_BYTES, truncate: true }).catch(
        () => new Uint8Array(0),
      );
      if (isChallengePage(responseHeaders, new TextDecoder().decode(start))) {
        throw new NewsmirrorError('challenge-page', 'fetch', `HTTP ${status}: anti-bot challenge page`, statusContext);
      }
    } else {
      await discard(body);
    }
    throw new NewsmirrorError('http-status', 'fetch', `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}`, statusContext);
  } catch (error) {
    throw toFetchError(error, context, {
      proxied: proxy !== undefined,
      timedOut: timer.signal.aborted,
      callerAborted: request.signal?.aborted === true,
      timeoutMs: settings.timeoutMs,
    });
  } finally {
    clearTimeout(timeout);
    release();
  }
}

function retryAfterOf(status: number, headers: Record<string, string>, now: number): number | undefined {
  if (status !== 429 && status !== 503) return undefined;
  return parseRetryAfter(headers['retry-after'], now);
}

function buildResponse(
  url: URL,
  status: number,
  headers: Record<string, string>,
  body: Uint8Array,
  notModified: boolean,
): HttpResponse {
  // The final URL becomes the base of the feed's relative links and is stored with every raw item:
  // without the user info, which would otherwise be copied into every resolved article link.
  const publicForm = new URL(url.href);
  publicForm.username = '';
  publicForm.password = '';
  return {
    url: publicForm.href,
    status,
    notModified,
    headers,
    body,
    etag: headers.etag,
    lastModified: headers['last-modified'],
  };
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/**
 * discard drops a body we do not want. A small one is read to its end so the connection can be
 * reused; past DISCARD_LIMIT undici closes the socket instead of reading a hostile body.
 */
async function discard(body: Dispatcher.ResponseData['body']): Promise<void> {
  await body.dump({ limit: DISCARD_LIMIT }).catch(() => undefined);
}

interface FailureContext {
  proxied: boolean;
  timedOut?: boolean;
  callerAborted?: boolean;
  timeoutMs?: number;
}

/** toFetchError sorts whatever went wrong into one stable code, where it was detected. */
function toFetchError(error: unknown, context: { sourceId?: string; url: string }, failure: FailureContext): NewsmirrorError {
  if (isNewsmirrorError(error)) return error;
  const base = { ...context, cause: error };
  if (error instanceof BodyTooLargeError) {
    return new NewsmirrorError('too-large', 'fetch', `${error.message}; stopped reading`, base);
  }
  if (failure.callerAborted) return new NewsmirrorError('network', 'fetch', 'request aborted by the caller', base);
  if (failure.timedOut) {
    return new NewsmirrorError('timeout', 'fetch', `no complete response within ${failure.timeoutMs ?? 0} ms`, base);
  }
  if (error instanceof BodyDecodeError || error instanceof UnsupportedEncodingError) {
    return new NewsmirrorError('network', 'fetch', error.message, base);
  }
  const codes = errorCodes(error);
  const detail = errorMessage(error);
  const has = (test: (code: string) => boolean): boolean => codes.some(test);
  if (has((code) => code === PRIVATE_ADDRESS_CODE)) {
    return new NewsmirrorError('private-address', 'fetch', `refused: ${detail}`, {
      ...base,
      hint: 'set network.allowPrivateNetworks: true to fetch from private networks',
    });
  }
  if (has((code) => TIMEOUT_CODES.has(code))) return new NewsmirrorError('timeout', 'fetch', detail, base);
  // undici reports proxy refusals (407, a failed CONNECT, SOCKS replies) as generic errors whose
  // message names the proxy; only trusted when a proxy was in the path.
  if (failure.proxied && (/proxy|socks/i.test(detail) || has((code) => code.includes('SOCKS')))) {
    return new NewsmirrorError('proxy', 'fetch', `proxy failed: ${detail}`, base);
  }
  if (has((code) => DNS_CODES.has(code))) return new NewsmirrorError('dns', 'fetch', `DNS lookup failed: ${detail}`, base);
  if (has((code) => TLS_CODES.test(code))) return new NewsmirrorError('tls', 'fetch', `TLS failed: ${detail}`, base);
  if (has((code) => code === 'ECONNREFUSED')) {
    return failure.proxied
      ? new NewsmirrorError('proxy', 'fetch', `proxy refused the connection: ${detail}`, base)
      : new NewsmirrorError('connect', 'fetch', `connection refused: ${detail}`, base);
  }
  return new NewsmirrorError('network', 'fetch', detail, base);
}

/** errorCodes collects `code` values along the cause chain and inside AggregateErrors (happy eyeballs). */
function errorCodes(error: unknown, depth = 0): string[] {
  if (typeof error !== 'object' || error === null || depth > 5) return [];
  const codes: string[] = [];
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') codes.push(code);
  if (cause !== undefined) codes.push(...errorCodes(cause, depth + 1));
  if (Array.isArray(errors)) for (const inner of errors) codes.push(...errorCodes(inner, depth + 1));
  return codes;
}

/** isRetryable keeps retries to the listed failures: resets, timeouts and RETRY_STATUSES. */
function isRetryable(error: NewsmirrorError): boolean {
  switch (error.code) {
    case 'timeout':
      return true;
    case 'http-status':
      return error.status !== undefined && RETRY_STATUSES.has(error.status);
    case 'network':
      return errorCodes(error.cause).some((code) => RESET_CODES.has(code));
    default:
      return false;
  }
}
