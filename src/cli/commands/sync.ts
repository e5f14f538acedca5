import { randomUUID } from 'node:crypto';
import { syncAll } from '../../core/pipeline/index.js';
import { openContext } from '../../main/context.js';
import { runExitCode } from '../exit-codes.js';
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
      const progress = createProgress(io.stderr, sources.map((source) => source.id));
      const run = await syncAll(context.deps, sources, { concurrency: config.network.concurrency, runId: randomUUID(), onProgress: progress.onProgress });
      io.stdout.write(`${formatRunSummary(run)}\n`);
      return runExitCode(run);
    } finally {
      await context.close();
    }
  },
};
