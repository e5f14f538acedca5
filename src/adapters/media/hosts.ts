import { HostLimiter, type Release } from '../http/limiter.js';

/**
 * UNREACHABLE_CODES are the failures that say a host is not answering at all, as opposed to one
 * image being bad (a 404, an HTML page): only these count towards a host's breaker.
 */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set(['timeout', 'connect', 'dns', 'tls', 'network']);

/** ImageHostsOptions configures createImageHosts. */
export interface ImageHostsOptions {
  /** Image downloads in flight per host name. Default 2. */
  perHost?: number;
  /** Image downloads in flight in all. Default 8. */
  concurrency?: number;
  /** Consecutive timeouts or connection failures after which a host is not tried again this run. Default 3. */
  breakerFailures?: number;
}

/**
 * ImageHosts bounds image downloads per host and in all, and keeps a breaker per host: after
 * `breakerFailures` consecutive unreachable-host failures the host is open (not tried) until reset.
 */
export interface ImageHosts {
  /** acquire waits for a download slot for `host`. */
  acquire(host: string): Promise<Release>;
  /** isOpen is true once the host's breaker has opened. */
  isOpen(host: string): boolean;
  /** record counts a finished download of `host`: a failure code, or undefined for a success. */
  record(host: string, code: string | undefined): void;
  /** openHosts lists the hosts whose breaker opened, with the failures that opened it, sorted. */
  openHosts(): { host: string; failures: number }[];
  /** reset closes every breaker (a new run tries every host again). */
  reset(): void;
}

/**
 * createImageHosts builds the per-host limits and breakers of one image mirror. The limits sit in
 * front of the shared HTTP client's own, so an image's timeout starts close to when its request goes
 * out rather than while it waits behind a host that does not answer.
 *
 * @example
 * const hosts = createImageHosts({ perHost: 2, breakerFailures: 3 });
 */
export function createImageHosts(options: ImageHostsOptions = {}): ImageHosts {
  const limiter = new HostLimiter(options.concurrency ?? 8, options.perHost ?? 2);
  const threshold = Math.max(1, options.breakerFailures ?? 3);
  const failures = new Map<string, number>();
  const key = (host: string): string => host.toLowerCase();
  return {
    acquire: (host) => limiter.acquire(key(host)),
    isOpen: (host) => (failures.get(key(host)) ?? 0) >= threshold,
    record(host, code) {
      if (code === undefined) failures.delete(key(host));
      else if (UNREACHABLE_CODES.has(code)) failures.set(key(host), (failures.get(key(host)) ?? 0) + 1);
    },
    openHosts() {
      return [...failures]
        .filter(([, count]) => count >= threshold)
        .map(([host, count]) => ({ host, failures: count }))
        .sort((a, b) => a.host.localeCompare(b.host));
    },
    reset() {
      failures.clear();
    },
  };
}

/** hostOf returns the host name an image URL is fetched from ('' for a URL that does not parse). */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}
