import { mapLimit } from '../../core/concurrency.js';
import { errorMessage } from '../../core/errors.js';
import type { ImageDrainReport, ImageMirror, ImageMirrorInput, ImageQueue, WorkerLeases } from '../../core/ports.js';
import { hostOf, type ImageHosts } from './hosts.js';

/** ImageQueueOptions configures createImageQueue. */
export interface ImageQueueOptions {
  mirror: ImageMirror;
  /** The limits and breakers the mirror downloads under; reset at the end of each drain. */
  hosts: ImageHosts;
  /** Longest drain, in ms; what is not fetched by then waits for the next run. Default 30 s. */
  drainMs?: number;
  /** Articles whose images are worked on at once (their downloads still wait for the host limits). Default 8. */
  articles?: number;
  /**
   * A worker's leases (docs/decisions.md D30): an article's images are queued and mirrored only by
   * the worker that leases them, so two workers never fetch one article's images at once.
   */
  leases?: WorkerLeases;
}

const DEFAULT_DRAIN_MS = 30_000;

/**
 * createImageQueue is the in-process ImageQueue: `enqueue` records the article's images as missing
 * (so a run killed before they arrive retries them) and keeps the article for the drain; `drain`
 * mirrors the queued articles under the mirror's host limits and breakers until done or its
 * deadline, whichever comes first, and reports per source and per opened breaker.
 *
 * @example
 * const hosts = createImageHosts({ perHost: 2 });
 * const queue = createImageQueue({ mirror: createImageMirror({ http, root, clock, hosts }), hosts, drainMs: 30_000 });
 */
export function createImageQueue(options: ImageQueueOptions): ImageQueue {
  const drainMs = Math.max(1, options.drainMs ?? DEFAULT_DRAIN_MS);
  const articles = Math.max(1, options.articles ?? 8);
  // By article id: an article queued twice in one run (retried, then edited) is mirrored once, as last queued.
  const queued = new Map<string, ImageMirrorInput>();
  const { leases } = options;
  const claim = async (articleId: string): Promise<boolean> =>
    leases === undefined || (await leases.work.claim({ kind: 'images', owner: leases.owner, keys: [articleId], leaseMs: leases.leaseMs })).length > 0;
  const release = async (articleId: string): Promise<void> => {
    await leases?.work.release('images', leases.owner, [articleId]);
  };
  return {
    async enqueue(input) {
      // Recorded even when another worker leases the article: its images are then due for a later drain.
      const images = await options.mirror.recordPending(input);
      if (images > 0 && (await claim(input.articleId))) queued.set(input.articleId, input);
    },
    async drain({ signal, onArticle }) {
      const deadline = AbortSignal.timeout(drainMs);
      const stop = signal ? AbortSignal.any([deadline, signal]) : deadline;
      const report: ImageDrainReport = { bySource: new Map(), openHosts: [], deferred: 0, failed: [] };
      const sourcesByHost = new Map<string, Set<string>>();
      const jobs = [...queued.values()];
      queued.clear();
      try {
        await mapLimit(jobs, articles, async (input) => {
          try {
            // Claimed again, which extends the lease the enqueue took: a long round may have outlived it.
            if (!(await claim(input.articleId))) return;
            // Called even once stopped: the images are then only recorded as deferred, without a request.
            const result = await options.mirror.mirrorArticleImages({ ...input, signal: stop });
            const counts = report.bySource.get(input.sourceId) ?? { mirrored: 0, missing: 0 };
            counts.mirrored += result.mirrored;
            counts.missing += result.failed.length;
            report.bySource.set(input.sourceId, counts);
            report.deferred += result.failed.filter((failure) => failure.code === 'stopped').length;
            for (const failure of result.failed) {
              const host = hostOf(failure.url);
              sourcesByHost.set(host, (sourcesByHost.get(host) ?? new Set()).add(input.sourceId));
            }
            await onArticle(input, result);
          } catch (error) {
            report.failed.push({ sourceId: input.sourceId, articleId: input.articleId, message: errorMessage(error) });
          } finally {
            // A lease that cannot be released ends on its own once it expires.
            await release(input.articleId).catch(() => undefined);
          }
        });
        report.openHosts = options.hosts.openHosts().map((open) => ({ ...open, sourceIds: [...(sourcesByHost.get(open.host) ?? [])].sort() }));
        return report;
      } finally {
        options.hosts.reset();
      }
    },
  };
}
