import { runDaemon } from '../../main/daemon.js';
import { startReader } from '../../main/web.js';
import { EXIT } from '../exit-codes.js';
import { clockFromEnv, loadConfig, stderrLogger, type Command } from '../io.js';

/**
 * runCommand is the unattended mode (`npm start`): schedule, sync, publish and serve in one process
 * until SIGINT/SIGTERM. The first signal lets the writes in flight finish; a second one exits at once.
 */
export const runCommand: Command = {
  summary: 'run unattended: sync each source on its schedule, publish after changes, serve the reader',
  usage: 'newsmirror run [--config FILE] [--verbose]',
  async run(args, io) {
    const config = await loadConfig(args);
    const controller = new AbortController();
    const stop = (signal: NodeJS.Signals) => {
      if (controller.signal.aborted) process.exit(130);
      io.stderr.write(`run: ${signal} received; finishing the writes in flight (send it again to exit at once)\n`);
      controller.abort();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    try {
      const logger = stderrLogger(io, { ...args, flags: { ...args.flags, verbose: true } });
      await runDaemon(config, {
        logger,
        clock: clockFromEnv(io.env),
        signal: controller.signal,
        startWeb: (context) => startReader(context),
        hooks: {
          onListening: (url) => io.stdout.write(`run: web reader at ${url}\n`),
          onRound: (round) =>
            io.stdout.write(`run: round of ${round.sources} source(s): ${round.newArticles} new, ${round.editedArticles} edited, ${round.failed} failed${round.published ? ', published' : ''}\n`),
        },
      });
      io.stdout.write('run: stopped cleanly\n');
      return EXIT.OK;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  },
};
