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
  /** The file system holding the archive or the store is mounted read-only. */
  | 'read-only'
  /** The process may not create, write or open a path (EACCES, EPERM, SQLite cannot open the file). */
  | 'permission'
  /** The disk (or the user's quota) is full. */
  | 'no-space'
  /** The disk answered a read or write with an input/output error. */
  | 'disk-io'
  /** The SQLite file is damaged or is not a database. */
  | 'store-corrupt'
  /** The PostgreSQL server cannot be reached or refuses the login (a missing database, wrong credentials). */
  | 'store-unreachable'
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

/** EnvironmentCode is an ErrorCode that blames the machine (disk, mount, permissions, database server), not newsmirror. */
export type EnvironmentCode = 'read-only' | 'permission' | 'no-space' | 'disk-io' | 'store-corrupt' | 'store-unreachable';

/** ENVIRONMENT_CODES lists every EnvironmentCode, for the exit-code mapping and the docs. */
export const ENVIRONMENT_CODES: readonly EnvironmentCode[] = ['read-only', 'permission', 'no-space', 'disk-io', 'store-corrupt', 'store-unreachable'];

/** isEnvironmentCode tells whether an error code blames the machine rather than newsmirror. */
export function isEnvironmentCode(code: string): code is EnvironmentCode {
  return (ENVIRONMENT_CODES as readonly string[]).includes(code);
}

/** EnvironmentProblem is what classifyEnvironmentError recognized: the code, the cause in words, a hint. */
export interface EnvironmentProblem {
  code: EnvironmentCode;
  reason: string;
  hint: string;
}

// Node's errno codes and better-sqlite3's (extended) result codes, e.g. SQLITE_READONLY_DBMOVED.
const ENVIRONMENT_PATTERNS: readonly { pattern: RegExp; problem: EnvironmentProblem }[] = [
  {
    pattern: /^(?:EROFS|SQLITE_READONLY(?:_.*)?)$/,
    problem: { code: 'read-only', reason: 'read-only file system', hint: 'remount it read-write, or point the config at a writable folder' },
  },
  {
    pattern: /^(?:EACCES|EPERM|SQLITE_PERM|SQLITE_CANTOPEN(?:_.*)?)$/,
    problem: { code: 'permission', reason: 'permission denied (or the folder cannot be used)', hint: 'give the user running newsmirror write access to it' },
  },
  {
    pattern: /^(?:ENOSPC|EDQUOT|SQLITE_FULL)$/,
    problem: {
      code: 'no-space',
      reason: 'no space left on the device',
      hint: 'free some space and run again: what is stored stays, and the next run writes the files that are missing',
    },
  },
  {
    pattern: /^(?:SQLITE_CORRUPT(?:_.*)?|SQLITE_NOTADB)$/,
    problem: {
      code: 'store-corrupt',
      reason: 'the database file is damaged (or is not a SQLite database)',
      hint: 'run `newsmirror rebuild`: it keeps the damaged file as <file>.corrupt-<time> and recreates the store from the archive files',
    },
  },
  {
    // PostgreSQL's SQLSTATEs for a refused login, a missing database and a server starting or stopping.
    // A refused or unresolvable connection is classified where it happens (the PostgreSQL client): the
    // same errno codes from a feed server are that source's failure, not the machine's.
    pattern: /^(?:28000|28P01|3D000|57P03)$/,
    problem: {
      code: 'store-unreachable',
      reason: 'the PostgreSQL server cannot be reached or refuses the connection',
      hint: 'check that the server is running and that `database` names the right host, port, database, user and password',
    },
  },
  {
    pattern: /^(?:EIO|SQLITE_IOERR(?:_.*)?)$/,
    problem: { code: 'disk-io', reason: 'input/output error from the disk', hint: 'check the disk and the system log (dmesg) before running again' },
  },
];

/** environmentProblem returns the cause in words and the hint of an environment code (for reports, which keep only codes). */
export function environmentProblem(code: EnvironmentCode): EnvironmentProblem {
  return (ENVIRONMENT_PATTERNS.find(({ problem }) => problem.code === code) ?? ENVIRONMENT_PATTERNS[0]!).problem;
}

/**
 * classifyEnvironmentError recognizes a failure of the machine (read-only mount, permissions, full
 * disk, I/O error, damaged database) by the errno or SQLite code of the error or of its causes, and
 * returns it in words with a hint; undefined for anything else.
 */
export function classifyEnvironmentError(error: unknown): EnvironmentProblem | undefined {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    if (current instanceof NewsmirrorError && isEnvironmentCode(current.code)) return environmentProblem(current.code);
    const code = typeof current === 'object' ? (current as { code?: unknown }).code : undefined;
    if (typeof code === 'string') {
      const found = ENVIRONMENT_PATTERNS.find(({ pattern }) => pattern.test(code));
      if (found) return found.problem;
    }
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}

/**
 * environmentError wraps a machine failure met while doing `action` on `path` (e.g. `cannot write`,
 * `data/newsmirror.db`) as a NewsmirrorError with the classified code, the cause in words and the hint;
 * any other failure becomes a `fallback` error with the same message. The original error is the cause.
 */
export function environmentError(stage: Stage, fallback: ErrorCode, action: string, path: string, cause: unknown): NewsmirrorError {
  const problem = classifyEnvironmentError(cause);
  if (problem) return new NewsmirrorError(problem.code, stage, `${action} ${path}: ${problem.reason}`, { cause, hint: problem.hint });
  return new NewsmirrorError(fallback, stage, `${action} ${path}: ${errorMessage(cause)}`, { cause });
}
