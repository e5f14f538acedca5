/** Stage names the pipeline step where an error was detected. */
export type Stage =
  | 'config'
  | 'fetch'
  | 'decode'
  | 'parse'
  | 'identify'
  | 'extract'
  | 'clean'
  | 'media'
  | 'store'
  | 'archive'
  | 'git'
  | 'web'
  | 'cli';

/** ErrorCode is a stable, documented identifier of a failure kind. */
export type ErrorCode =
  | 'dns'
  | 'tls'
  | 'connect'
  | 'timeout'
  | 'too-large'
  | 'http-status'
  | 'challenge-page'
  | 'redirect-loop'
  | 'redirect-missing-location'
  | 'too-many-redirects'
  | 'private-address'
  | 'bad-url'
  | 'proxy'
  | 'network'
  | 'empty-body'
  /** Bytes that are not an accepted image type (sniffed), or an SVG that cannot be made safe. */
  | 'unsupported-media'
  | 'decode'
  | 'not-a-feed'
  | 'bad-item'
  | 'config-invalid'
  | 'store'
  | 'archive'
  | 'locked'
  | 'git'
  | 'usage'
  | 'internal';

export interface NewsmirrorErrorOptions {
  sourceId?: string;
  url?: string;
  status?: number;
  hint?: string;
  cause?: unknown;
  /** Retry-After in ms, when the server named one. */
  retryAfterMs?: number;
}

/**
 * NewsmirrorError is the one error type that crosses stage boundaries: a stable `code`, the `stage`
 * that detected it, the source and URL it concerns (credentials removed), and the original `cause`.
 */
export class NewsmirrorError extends Error {
  readonly code: ErrorCode;
  readonly stage: Stage;
  readonly sourceId?: string;
  readonly url?: string;
  readonly status?: number;
  readonly hint?: string;
  readonly retryAfterMs?: number;

  constructor(code: ErrorCode, stage: Stage, message: string, options: NewsmirrorErrorOptions = {}) {
    const url = options.url === undefined ? undefined : redactUrl(options.url);
    const where = [options.sourceId, url].filter((part) => part !== undefined).join(' ');
    super(redactText(`${stage}: ${where ? `${where}: ` : ''}${message}`), { cause: options.cause });
    this.name = 'NewsmirrorError';
    this.code = code;
    this.stage = stage;
    this.sourceId = options.sourceId;
    this.url = url;
    this.status = options.status;
    this.hint = options.hint;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** isNewsmirrorError tells a NewsmirrorError apart from any other thrown value. */
export function isNewsmirrorError(value: unknown): value is NewsmirrorError {
  return value instanceof NewsmirrorError;
}

/** redactUrl removes user info and credential-like query parameters from a URL string. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return redactText(raw);
  }
  if (url.username || url.password) {
    url.username = '***';
    url.password = '';
  }
  for (const name of [...url.searchParams.keys()]) {
    if (SECRET_PARAM.test(name)) url.searchParams.set(name, '***');
  }
  return url.toString();
}

// The query parameters that carry credentials, for URLs parsed whole and for URLs inside free text alike.
const SECRET_PARAM_NAMES = 'access_?token|token|api_?key|key|secret|password|passwd|auth|sig|signature|client_secret';
const SECRET_PARAM = new RegExp(`^(?:${SECRET_PARAM_NAMES})$`, 'i');
const SECRET_PARAM_IN_TEXT = new RegExp(`([?&](?:${SECRET_PARAM_NAMES})=)[^&\\s#]+`, 'gi');

/**
 * publicUrl is the form of a URL that newsmirror shows or writes anywhere outside the config: the
 * user info and every credential-like query parameter removed, not masked, so that a reader who
 * follows the link gets the resource without the secrets instead of a URL carrying `***`. The other
 * parameters are kept byte for byte (a bare `?/a-54180796` must not become `?%2Fa-54180796=`), and a
 * URL without secrets comes back unchanged. Text that is not an absolute URL is redacted instead.
 *
 * @example
 * publicUrl('https://user:pass@example.com/feed?token=abc&lang=zh') // 'https://example.com/feed?lang=zh'
 */
export function publicUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return redactText(raw);
  }
  const pieces = url.search.length > 1 ? url.search.slice(1).split('&') : [];
  const kept = pieces.filter((piece) => !SECRET_PARAM.test(paramName(piece)));
  if (url.username === '' && url.password === '' && kept.length === pieces.length) return raw;
  url.username = '';
  url.password = '';
  url.search = kept.length === 0 ? '' : `?${kept.join('&')}`;
  return url.href;
}

function paramName(piece: string): string {
  const equals = piece.indexOf('=');
  const name = equals === -1 ? piece : piece.slice(0, equals);
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/** redactText removes credentials from URLs embedded anywhere in free text (git output, error messages). */
export function redactText(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)([^/\s:@]+)(?::[^/\s@]*)?@/gi, '$1***@')
    .replace(SECRET_PARAM_IN_TEXT, '$1***');
}

/** errorMessage renders any thrown value as one line, redacted. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return redactText(error.message);
  return redactText(String(error));
}
