import { randomUUID } from 'node:crypto';
import { errorMessage, isNewsmirrorError } from '../../core/errors.js';
import type { RunReport, SourceReport } from '../../core/model/index.js';
import type { Store } from '../../core/ports.js';
import { syncAll } from '../../core/pipeline/index.js';
import { openContext } from '../../main/context.js';
import { restoreEmptyStore } from '../../main/recover.js';
import { EXIT, runExitCode } from '../exit-codes.js';
import { loadConfig, shellPorts, type Command } from '../io.js';
import { createProgress, formatRunSummary } from '../progress.js';
import { selectSources } from './select.js';

/** syncCommand fetches every (or the named) enabled source once and updates store and archive. */
export const syncCommand: Command = {
  summary: 'fetch every source once and update the store and the archive',
  usage: 'newsmirror sync [--config FILE] [--source ID]… [--verbose]',
  async run(args, io) {
    const config = await loadConfig(args);
    const sources = selectSources(config, args.sources);
    const context = await openContext(config, { ...shellPorts(io, args), lock: 'sync' });
    try {
      await restoreEmptyStore(context);
      const progress = createProgress(io.stderr, sources.map((source) => source.id));
      const runId = randomUUID();
      const startedAt = context.clock.now();
      // Kept as they finish, so a run that fails after its sources (README, run report on a full disk) still reports them.
      const finished: SourceReport[] = [];
      let run: RunReport;
      let runError: unknown;
      try {
        run = await syncAll(context.deps, sources, {
          concurrency: config.network.concurrency,
          runId,
          onProgress: (event) => {
            if (event.type === 'done') finished.push(event.report);
            progress.onProgress(event);
          },
        });
      } catch (error) {
        runError = error;
        run = { id: runId, startedAt, finishedAt: context.clock.now(), sources: finished };
      }
      const finishError = runError === undefined ? undefined : { code: isNewsmirrorError(runError) ? runError.code : 'internal', message: errorMessage(runError) };
      io.stdout.write(`${formatRunSummary(run, { pendingFiles: await countPendingFiles(context.store, run.sources), finishError })}\n`);
      // A failure of the machine or a stage ends the run as failed; anything else is a bug (exit 70, with its stack).
      if (runError !== undefined && !isNewsmirrorError(runError)) throw runError;
      if (finishError) return EXIT.FAILURES;
      return runExitCode(run);
    } finally {
      await context.close();
    }
  },
};

/** countPendingFiles counts, per failed source, the stored articles whose file is still to be written. */
async function countPendingFiles(store: Store, reports: SourceReport[]): Promise<Map<string, number>> {
  const pending = new Map<string, number>();
  for (const report of reports) {
    if (report.status !== 'failed') continue;
    try {
      pending.set(report.sourceId, (await store.listPendingFiles(report.sourceId)).length);
    } catch {
      // The store itself failing is already the source's reported error; the count is then unknown.
    }
  }
  return pending;
}
