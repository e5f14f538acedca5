import { NewsmirrorError } from '../../core/errors.js';
import { runWorker } from '../../main/roles.js';
import { EXIT } from '../exit-codes.js';
import { loadConfig, shellPorts, type Command } from '../io.js';

/**
 * workerCommand is the fetching role of a deployment on several processes or machines: it claims due
 * sources from the database and syncs them up to the store and the image queue; the archiver writes
 * the files. Any number of workers may run; the first SIGINT/SIGTERM lets the syncs in flight finish.
 */
export const workerCommand: Command = {
  summary: 'claim due sources and sync them into the store (no archive files: those are the archiver\'s)',
  usage: 'newsmirror worker [--config FILE] [--once] [--all] [--verbose]',
  async run(args, io) {
    if (args.flags.all === true && args.flags.once !== true) {
      // A worker that kept running would count every source as due only once anyway: say so.
      throw new NewsmirrorError('usage', 'cli', 'worker: --all needs --once (one pass over every enabled source)');
    }
    const config = await loadConfig(args);
    const controller = new AbortController();
    const stop = (signal: NodeJS.Signals) => {
      if (controller.signal.aborted) process.exit(130);
      io.stderr.write(`worker: ${signal} received; finishing the syncs in flight (send it again to exit at once)\n`);
      controller.abort();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    try {
      const result = await runWorker(config, {
        ...shellPorts(io, args),
        signal: controller.signal,
        once: args.flags.once === true,
        all: args.flags.all === true,
        hooks: {
          onSource: (report) => io.stdout.write(`worker: ${report.sourceId} ${report.status}: ${report.newArticles} new, ${report.editedArticles} edited\n`),
        },
      });
      io.stdout.write(`worker: ${result.synced} source(s) synced, ${result.failed} failed\n`);
      return result.failed > 0 ? EXIT.FAILURES : EXIT.OK;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  },
};
