import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config/index.js';
import type { RunReport } from '../core/model/index.js';
import type { Clock, Logger } from '../core/ports.js';
import { syncAll } from '../core/pipeline/index.js';
import { isEnvironmentCode, isNewsmirrorError } from '../core/errors.js';
import { databaseOf, openContext, type ReaderContext } from './context.js';
import { runAllRoles } from './roles.js';
import { publishUnattended } from './publish.js';
import { restoreEmptyStore } from './recover.js';
import { recheckBetweenSyncs } from './recheck.js';

/** DaemonHooks let the caller observe rounds (the CLI prints them; tests wait for them). */
export interface DaemonHooks {
  onRound?: (summary: { sources: number; newArticles: number; editedArticles: number; failed: number; published: boolean }) => void;
  onListening?: (url: string) => void;
}

/** RunOptions are what `run` is given, on either engine. */
export interface RunOptions {
  logger: Logger;
  clock?: Clock;
  signal: AbortSignal;
  hooks?: DaemonHooks;
  /** Starts the web reader over the daemon's store; omitted when the reader is not wanted. */
  startWeb?: (context: ReaderContext) => Promise<{ url: string; close(): Promise<void> }>;
}

/**
 * runDaemon keeps the mirror current until `signal` aborts: every tick it syncs the sources that are
 * due (each source's next check is planned by the pipeline), publishes after a round that changed
 * something, and serves the web reader meanwhile. On abort, sources in flight finish their writes and
 * nothing new starts; what a killed run left pending is completed on the next start. On PostgreSQL
 * it runs a worker, an archiver and the reader in this process instead (`runAllRoles`).
 */
export async function runDaemon(config: Config, options: RunOptions): Promise<{ failedRounds: number }> {
  // On PostgreSQL the database coordinates, not this process's lock file: the same roles as separate processes.
  if (databaseOf(config.database).engine === 'postgres') return runAllRoles(config, options);
  const { logger, signal, hooks } = options;
  const context = await openContext(config, { logger, clock: options.clock, lock: 'run' });
  try {
    await restoreEmptyStore(context);
  } catch (error) {
    await context.close();
    throw error;
  }
  const web = config.server.enabled && options.startWeb ? await options.startWeb(context) : undefined;
  if (web) hooks?.onListening?.(web.url);
  let failedRounds = 0;
  try {
    while (!signal.aborted) {
      const now = context.deps.clock.now();
      const states = new Map((await context.store.listSourceStates()).map((state) => [state.sourceId, state]));
      const due = config.sources.filter((source) => source.enabled && (states.get(source.id)?.nextCheckAt ?? 0) <= now);
      if (due.length > 0) {
        let run: RunReport;
        try {
          run = await syncAll(context.deps, due, { concurrency: config.network.concurrency, runId: randomUUID(), signal });
        } catch (error) {
          // A full or read-only disk fails the round, not the daemon: the sources that ran kept their
          // health and their stored articles, and a later round writes the missing files once there is room.
          if (!isNewsmirrorError(error) || !isEnvironmentCode(error.code)) throw error;
          failedRounds++;
          logger.error(`round: ${error.message}`, { code: error.code, hint: error.hint ?? '' });
          await sleep(config.schedule.tickSeconds * 1000, undefined, { signal }).catch(() => undefined);
          continue;
        }
        const newArticles = run.sources.reduce((sum, report) => sum + report.newArticles, 0);
        const editedArticles = run.sources.reduce((sum, report) => sum + report.editedArticles, 0);
        const failed = run.sources.filter((report) => report.status === 'failed').length;
        if (failed > 0) failedRounds++;
        let published = false;
        if (newArticles + editedArticles > 0 && !signal.aborted) published = await publishUnattended(context);
        logger.info(`round: ${due.length} source(s), ${newArticles} new, ${editedArticles} edited, ${failed} failed${published ? ', published' : ''}`);
        hooks?.onRound?.({ sources: due.length, newArticles, editedArticles, failed, published });
      }
      await recheckBetweenSyncs(context, signal);
      await sleep(config.schedule.tickSeconds * 1000, undefined, { signal }).catch(() => undefined);
    }
  } finally {
    await web?.close();
    await context.close();
  }
  return { failedRounds };
}
