import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { mapLimit } from '../../core/concurrency.js';
import { NewsmirrorError, errorMessage, isNewsmirrorError } from '../../core/errors.js';
import {
  collectImageRefs,
  mediaPath,
  planMediaRetry,
  rewriteImages,
  sanitizeSvg,
  sniffImageType,
  type MediaRetryPolicy,
} from '../../core/media/index.js';
import type { Clock, HttpClient, ImageMirror, ImageMirrorInput, ImageMirrorResult, MediaFailure, MediaItemState, MediaStateStore, WorkerLeases } from '../../core/ports.js';
import { createMemoryMediaState } from './state.js';
import { createDiskMediaSink, type MediaSink } from './sink.js';
import { createImageHosts, hostOf, type ImageHosts } from './hosts.js';

/**
 * ImageMirrorOptions configures createImageMirror: where the bytes go, either `root` (the folder that
 * holds `media/` on this machine: the archive by default, or config `media.dir`) or a `sink` (a
 * worker's: createBlobMediaSink over the store's MediaBlobs), and the limits.
 */
export type ImageMirrorOptions = ImageMirrorSettings & ({ root: string } | { sink: MediaSink });

/** ImageMirrorSettings are the options of createImageMirror other than where the bytes go. */
export interface ImageMirrorSettings {
  /** The shared polite client: per-host limits then hold across feeds, pages and images. */
  http: HttpClient;
  /**
   * Where the media root is as seen from the archive root, for the links in article files: ''
   * (default) when media sits inside the archive, a relative path such as `../news-media` for a
   * sibling folder, or an absolute URL prefix where the media are published.
   */
  linkBase?: string;
  /** Largest image accepted, in bytes. Default 10 MB. */
  maxImageBytes?: number;
  /** Largest total of one article's images, in bytes. Default 50 MB. */
  maxArticleBytes?: number;
  /** Images of one article fetched at the same time (the client's host limits still apply). Default 6. */
  concurrency?: number;
  /** Time allowed for one image, from its request to its last byte. Default 10 s. */
  timeoutMs?: number;
  /**
   * Per-host and global download limits and the per-host breakers (see createImageHosts). Default:
   * no breaker, and no limit beyond `concurrency` per article and the client's own.
   */
  hosts?: ImageHosts;
  clock: Clock;
  /** Retry bookkeeping; default in memory (forgotten when the process ends). */
  state?: MediaStateStore;
  /**
   * A worker's leases (docs/decisions.md D30): an image URL is downloaded by the worker that leases
   * it, and another worker that wants it meanwhile waits for that copy instead of fetching it too.
   */
  leases?: WorkerLeases;
  retry?: MediaRetryPolicy;
}

const IMAGE_ACCEPT = 'image/avif,image/webp,image/png,image/jpeg,image/gif,image/svg+xml;q=0.9,image/*;q=0.8';
const DEFAULT_MAX_IMAGE_BYTES = 10 * 1024 * 1024;
const DEFAULT_MAX_ARTICLE_BYTES = 50 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;
// How often a worker looks again at an image another worker is downloading: soon, then less often.
const IMAGE_WAIT_FIRST_MS = 50;
const IMAGE_WAIT_LAST_MS = 500;

/**
 * Outcome of getting one URL: its media path and, when just downloaded, the bytes still to store.
 * A failure `notTried` never reached the host (its breaker was open, or the caller stopped the
 * work): it is not held against the image, which is tried again on a later run.
 */
type Outcome =
  | { ok: true; path: string; size: number; bytes?: Uint8Array; downloaded: number }
  | { ok: false; failure: MediaFailure; notTried?: 'host-open' | 'stopped' };

/**
 * createImageMirror builds the image mirror over the shared HttpClient: each image is fetched
 * politely (with the source's Referer and a byte cap), its type sniffed from the bytes (JPEG, PNG,
 * GIF, WebP, AVIF; SVG only once sanitized), and stored once at `media/<2 hex>/<sha256>.<ext>`:
 * below `root` by an atomic rename, or in the given `sink` (a worker's blobs in the store). Private
 * addresses and redirects to them are refused by the client when it does not allow private networks.
 *
 * @example
 * const mirror = createImageMirror({ http, root: config.archive, clock, state: openSqliteMediaState(config.database) });
 * const { html, failed } = await mirror.mirrorArticleImages({ sourceId: 'rfi', articleId, articlePath, html: body });
 */
export function createImageMirror(options: ImageMirrorOptions): ImageMirror {
  const sink = 'sink' in options ? options.sink : createDiskMediaSink(options.root);
  const state = options.state ?? createMemoryMediaState();
  const maxImageBytes = options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES;
  const maxArticleBytes = options.maxArticleBytes ?? DEFAULT_MAX_ARTICLE_BYTES;
  const concurrency = Math.max(1, options.concurrency ?? 6);
  const linkBase = (options.linkBase ?? '').replace(/\/+$/, '');
  const timeoutMs = Math.max(1, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const hosts = options.hosts ?? createImageHosts({ perHost: Number.MAX_SAFE_INTEGER, concurrency: Number.MAX_SAFE_INTEGER, breakerFailures: Number.MAX_SAFE_INTEGER });
  // One download per URL at a time, even when several articles name the same image at once.
  const inFlight = new Map<string, Promise<Outcome>>();
  const writing = new Map<string, Promise<void>>();
  const { leases } = options;
  // Image URLs this worker downloaded under their lease and has not kept yet, with their lease keys.
  const leased = new Map<string, string>();

  const storedCopyIsThere = async (item: MediaItemState | undefined): Promise<boolean> =>
    item?.path !== undefined && (await sink.stored(item.path, item.bytes));

  const store = async (path: string, bytes: Uint8Array): Promise<void> => {
    // Content-addressed: a copy of the right size under this name already holds these bytes.
    if (await sink.stored(path, bytes.length)) return;
    let running = writing.get(path);
    if (running === undefined) {
      running = sink.put(path, bytes).finally(() => writing.delete(path));
      writing.set(path, running);
    }
    await running;
  };

  const download = async (url: string, input: ImageMirrorInput, maxBytes: number): Promise<Outcome> => {
    const host = hostOf(url);
    const hostOpen = (): Outcome => ({ ok: false, notTried: 'host-open', failure: { code: 'host-unavailable', message: `${host} stopped answering in this run` } });
    const isStopped = (): boolean => input.signal?.aborted === true;
    if (isStopped()) return stoppedOutcome();
    if (hosts.isOpen(host)) return hostOpen();
    const release = await hosts.acquire(host);
    const timer = AbortSignal.timeout(timeoutMs);
    try {
      // Checked again once a slot is free: the wait may have outlasted the run or the host.
      if (isStopped()) return stoppedOutcome();
      if (hosts.isOpen(host)) return hostOpen();
      const outcome = await fetchImage(url, input, maxBytes, input.signal ? AbortSignal.any([timer, input.signal]) : timer);
      if (isStopped() && !outcome.ok) return stoppedOutcome();
      if (!outcome.ok && timer.aborted) outcome.failure = { code: 'timeout', message: `media: ${url}: no image within ${timeoutMs} ms` };
      hosts.record(host, outcome.ok ? undefined : outcome.failure.code);
      return outcome;
    } finally {
      release();
    }
  };

  const fetchImage = async (url: string, input: ImageMirrorInput, maxBytes: number, signal: AbortSignal): Promise<Outcome> => {
    const context = { sourceId: input.sourceId, url };
    try {
      const headers: Record<string, string> = {};
      if (input.referer !== undefined) headers.Referer = input.referer;
      const response = await options.http.get({ url, sourceId: input.sourceId, accept: IMAGE_ACCEPT, headers, maxBytes, signal });
      if (response.body.length === 0) throw new NewsmirrorError('empty-body', 'media', 'empty image body', context);
      const sniffed = sniffImageType(response.body);
      let bytes = response.body;
      if (sniffed === undefined) {
        throw new NewsmirrorError('unsupported-media', 'media', `not an accepted image (served as ${response.headers['content-type'] ?? 'no type'})`, context);
      }
      if (sniffed.type === 'svg') {
        const safe = sanitizeSvg(new TextDecoder().decode(response.body));
        if (safe === undefined) throw new NewsmirrorError('unsupported-media', 'media', 'SVG cannot be made safe', context);
        bytes = new TextEncoder().encode(safe);
      }
      const path = mediaPath(createHash('sha256').update(bytes).digest('hex'), sniffed.ext);
      return { ok: true, path, size: bytes.length, bytes, downloaded: response.body.length };
    } catch (error) {
      if (isNewsmirrorError(error)) {
        const message = error.code === 'too-large' ? `${error.message} (cap ${maxBytes} bytes)` : error.message;
        return { ok: false, failure: { code: error.code, message } };
      }
      return { ok: false, failure: { code: 'internal', message: `media: ${url}: ${errorMessage(error)}` } };
    }
  };

  const fetchOnce = async (url: string, item: MediaItemState | undefined, input: ImageMirrorInput, maxBytes: number): Promise<Outcome> => {
    const outcome = await download(url, input, maxBytes);
    const now = options.clock.now();
    if (!outcome.ok && outcome.failure.code === 'too-large' && maxBytes < maxImageBytes) {
      // Too large for what is left of this article's budget, not for the archive: another article may take it.
      return { ok: false, failure: articleCapFailure(input, url, maxArticleBytes) };
    }
    if (!outcome.ok) {
      const earlier = item?.path === undefined ? (item?.attempts ?? 0) : 0;
      const attempts = outcome.notTried === undefined ? earlier + 1 : earlier;
      const failed: MediaItemState = { url, attempts, lastError: outcome.failure, updatedAt: now };
      // A host whose breaker opened waits one backoff step; an image the run stopped before is due at once.
      let next: number | undefined = now;
      if (outcome.notTried === 'host-open') next = planMediaRetry(1, outcome.failure.code, now, options.retry) ?? now;
      else if (outcome.notTried === undefined) next = planMediaRetry(attempts, outcome.failure.code, now, options.retry);
      if (next !== undefined) failed.nextAttemptAt = next;
      await state.saveItems([failed]);
    }
    return outcome;
  };

  /** keep stores freshly downloaded bytes and records the URL as mirrored; returns a failure or undefined. */
  const keep = async (url: string, outcome: Extract<Outcome, { ok: true }>): Promise<MediaFailure | undefined> => {
    if (outcome.bytes === undefined) return undefined;
    try {
      await store(outcome.path, outcome.bytes);
    } catch (error) {
      return { code: isNewsmirrorError(error) ? error.code : 'internal', message: errorMessage(error) };
    }
    await state.saveItems([{ url, path: outcome.path, bytes: outcome.size, attempts: 0, updatedAt: options.clock.now() }]);
    return undefined;
  };

  /** settledOf is what an image's state already answers: its stored copy, or a failure still in its backoff. */
  const settledOf = async (item: MediaItemState | undefined): Promise<Outcome | undefined> => {
    if (item?.path !== undefined && (await storedCopyIsThere(item))) return { ok: true, path: item.path, size: item.bytes ?? 0, downloaded: 0 };
    const now = options.clock.now();
    if (item !== undefined && item.path === undefined && item.lastError !== undefined && (item.nextAttemptAt === undefined || item.nextAttemptAt > now)) {
      const last = item.lastError;
      const when = item.nextAttemptAt === undefined ? 'given up' : `next attempt at ${new Date(item.nextAttemptAt).toISOString()}`;
      return { ok: false, failure: { code: last.code, message: `${last.message} (${when})` } };
    }
    return undefined;
  };

  const resolve = async (url: string, item: MediaItemState | undefined, input: ImageMirrorInput, maxBytes: number): Promise<Outcome> => {
    const settled = await settledOf(item);
    if (settled !== undefined) return settled;
    let running = inFlight.get(url);
    if (running === undefined) {
      running = (leases === undefined ? fetchOnce(url, item, input, maxBytes) : fetchLeased(leases, url, item, input, maxBytes)).finally(() => inFlight.delete(url));
      inFlight.set(url, running);
    }
    return running;
  };

  /** known reads an image's state again: another worker may have kept it, or failed, since it was read. */
  const known = async (url: string): Promise<{ item: MediaItemState | undefined; settled?: Outcome }> => {
    const item = (await state.getItems([url])).get(url);
    return { item, settled: await settledOf(item) };
  };

  /**
   * fetchLeased downloads an image under its lease, so that two workers whose articles show it never
   * both fetch it. The lease is released once the copy is kept (`settle`), the failure recorded, or
   * nothing was fetched; a worker that finds it leased waits for that worker's copy or failure, and
   * claims it itself if the lease ends without either (that worker died).
   */
  const fetchLeased = async (work: WorkerLeases, url: string, item: MediaItemState | undefined, input: ImageMirrorInput, maxBytes: number): Promise<Outcome> => {
    const key = createHash('sha256').update(url).digest('hex');
    let waitMs = IMAGE_WAIT_FIRST_MS;
    for (;;) {
      if (input.signal?.aborted === true) return stoppedOutcome();
      if ((await work.work.claim({ kind: 'image', owner: work.owner, keys: [key], leaseMs: work.leaseMs })).length > 0) {
        let outcome: Outcome | undefined;
        try {
          // Another worker may have kept it (or failed) between this article's read of the state and the claim.
          const now = await known(url);
          outcome = now.settled ?? (await fetchOnce(url, now.item ?? item, input, maxBytes));
          return outcome;
        } finally {
          if (outcome?.ok === true && outcome.bytes !== undefined) leased.set(url, key);
          else await work.work.release('image', work.owner, [key]).catch(() => undefined);
        }
      }
      await sleep(waitMs, undefined, { signal: input.signal }).catch(() => undefined);
      waitMs = Math.min(waitMs * 2, IMAGE_WAIT_LAST_MS);
      const settled = (await known(url)).settled;
      if (settled !== undefined) return settled;
    }
  };

  /** settle ends this worker's lease on an image it downloaded, once its copy is kept or refused. */
  const settle = async (url: string): Promise<void> => {
    const key = leased.get(url);
    if (key === undefined || leases === undefined) return;
    leased.delete(url);
    // A lease that cannot be released ends on its own once it expires.
    await leases.work.release('image', leases.owner, [key]).catch(() => undefined);
  };

  return {
    async mirrorArticleImages(input) {
      const refs = collectImageRefs(input.html, { enclosures: input.enclosures, leadImage: input.leadImage });
      const items = await state.getItems([...new Set(refs.flatMap((ref) => ref.candidates))]);
      let used = 0;
      let downloaded = 0;
      const mapping = new Map<string, string>();
      const failed: ImageMirrorResult['failed'] = [];

      const mirrorRef = async (candidates: string[]): Promise<void> => {
        let first: MediaFailure | undefined;
        for (const url of candidates) {
          const budget = Math.min(maxImageBytes, maxArticleBytes - used);
          let outcome: Outcome;
          if (budget <= 0) {
            outcome = { ok: false, failure: articleCapFailure(input, url, maxArticleBytes) };
          } else {
            outcome = await resolve(url, items.get(url), input, budget);
          }
          if (outcome.ok) {
            downloaded += outcome.downloaded;
            // Checked once the bytes are in and before they are stored, so images fetched at the
            // same time never overrun the cap together and a refused one leaves no file behind.
            if (used + outcome.size > maxArticleBytes) {
              first ??= articleCapFailure(input, url, maxArticleBytes);
              await settle(url);
              continue;
            }
            used += outcome.size;
            const stored = await keep(url, outcome);
            await settle(url);
            if (stored === undefined) {
              mapping.set(url, outcome.path);
              return;
            }
            used -= outcome.size;
            first ??= stored;
            continue;
          }
          first ??= outcome.failure;
        }
        failed.push({ url: candidates[0] ?? '', code: first?.code ?? 'internal', message: first?.message ?? 'no candidate' });
      };

      await mapLimit(refs, concurrency, (ref) => mirrorRef(ref.candidates));

      const missing = failed.map((failure) => failure.url).sort();
      await state.setArticleMissing(input.articleId, input.sourceId, missing);
      const links = new Map([...mapping].map(([url, path]) => [url, linkBase === '' ? path : `${linkBase}/${path}`]));
      const images = refs.flatMap((ref) => {
        const url = ref.candidates.find((candidate) => mapping.has(candidate));
        return url === undefined ? [] : [{ url, path: mapping.get(url) ?? '' }];
      });
      return {
        html: rewriteImages(input.html, links, input.articlePath),
        mirrored: images.length,
        failed: failed.sort((a, b) => a.url.localeCompare(b.url)),
        bytes: downloaded,
        images,
      };
    },
    async recordPending(input) {
      const refs = collectImageRefs(input.html, { enclosures: input.enclosures, leadImage: input.leadImage });
      const urls = refs.flatMap((ref) => (ref.candidates[0] === undefined ? [] : [ref.candidates[0]]));
      const items = await state.getItems(urls);
      const now = options.clock.now();
      // Only unknown images are added: one that failed before keeps its own backoff.
      const unknown = urls.filter((url) => !items.has(url)).map((url): MediaItemState => ({ url, attempts: 0, nextAttemptAt: now, updatedAt: now }));
      if (unknown.length > 0) await state.saveItems(unknown);
      const missing = urls.filter((url) => items.get(url)?.path === undefined);
      await state.setArticleMissing(input.articleId, input.sourceId, [...new Set(missing)].sort());
      return refs.length;
    },
    retryPending(now) {
      return state.dueArticles(now);
    },
    missingImagesBySource() {
      return state.missingBySource();
    },
  };
}

function stoppedOutcome(): Outcome {
  return { ok: false, notTried: 'stopped', failure: { code: 'stopped', message: 'the run stopped before this image was fetched' } };
}

function articleCapFailure(input: ImageMirrorInput, url: string, maxArticleBytes: number): MediaFailure {
  const error = new NewsmirrorError('too-large', 'media', `images of article ${input.articleId} exceed ${maxArticleBytes} bytes`, {
    sourceId: input.sourceId,
    url,
  });
  return { code: error.code, message: error.message };
}
