import type { Config } from '../config/index.js';
import type { Source } from '../core/model/index.js';
import { parseDuration, recheckArticles, type RecheckPolicy, type RecheckReport } from '../core/recheck/index.js';
import { errorMessage } from '../core/errors.js';
import type { AppContext } from './context.js';
import { publishUnattended } from './publish.js';

const HOUR_MS = 3_600_000;

/**
 * recheckPolicyOf reads a source's re-check schedule and confirmation time from the config: the
 * source's override in `recheck.sources`, else the section's own values.
 */
export function recheckPolicyOf(config: Config): (sourceId: string) => RecheckPolicy {
  return (sourceId) => {
    const override = config.recheck.sources[sourceId];
    const steps = override?.schedule ?? config.recheck.schedule;
    const confirmMs = (override?.confirmHours ?? config.recheck.confirmHours) * HOUR_MS;
    return { stepsMs: steps.map((step) => parseDuration(step) ?? 0), confirmMs, retryMs: Math.min(HOUR_MS, Math.max(confirmMs, 60_000)) };
  };
}

/**
 * runRecheckPass re-checks the due pages of `sources` (those the config does not switch off for
 * re-checks), or with `all` every page not fetched in the last hour. In a worker's context each page
 * is checked under its re-check lease, so the passes of several workers share the due pages.
 */
export async function runRecheckPass(
  context: AppContext,
  sources: Source[],
  options: { all?: boolean; signal?: AbortSignal } = {},
): Promise<RecheckReport> {
  const { config } = context;
  return recheckArticles(
    { ...context.deps, recheck: context.recheck },
    {
      sources: sources.filter((source) => config.recheck.sources[source.id]?.enabled !== false),
      policyOf: recheckPolicyOf(config),
      all: options.all,
      limit: config.recheck.perPass,
      concurrency: config.recheck.concurrency,
      signal: options.signal,
      leases: context.work,
    },
  );
}

/**
 * recheckStep runs one pass over the due pages of every configured source and logs what it found.
 * Returns whether the pass changed a file (an edit, a removal confirmed or withdrawn); false when
 * re-checks are off or nothing was due.
 */
async function recheckStep(context: AppContext, signal: AbortSignal): Promise<boolean> {
  const { config, logger } = context;
  if (!config.recheck.enabled || signal.aborted) return false;
  const report = await runRecheckPass(context, config.sources, { signal });
  if (report.checked === 0) return false;
  logger.info(`recheck: ${report.checked} page(s), ${report.outcomes.edited} edited, ${report.removals.confirmed} removal(s) confirmed, ${report.removals.withdrawn} withdrawn`);
  return report.outcomes.edited + report.removals.confirmed + report.removals.withdrawn > 0;
}

/**
 * recheckBetweenSyncs is the daemon's re-check step: one pass, then a publish when it changed a file.
 * A failure is logged and leaves the due pages due: the next tick tries again.
 */
export async function recheckBetweenSyncs(context: AppContext, signal: AbortSignal): Promise<void> {
  try {
    if ((await recheckStep(context, signal)) && !signal.aborted) await publishUnattended(context);
  } catch (error) {
    context.logger.error(`recheck: ${errorMessage(error)}`);
  }
}

/**
 * recheckOnWorker is a worker's re-check step: one pass under the workers' leases. It stores what it
 * finds; the archiver writes the files and publishes. A failure is logged and leaves the due pages due.
 */
export async function recheckOnWorker(context: AppContext, signal: AbortSignal): Promise<void> {
  try {
    await recheckStep(context, signal);
  } catch (error) {
    context.logger.error(`recheck: ${errorMessage(error)}`);
  }
}
