import { runArchiver } from '../../main/roles.js';
import { EXIT } from '../exit-codes.js';
import { loadConfig, shellPorts, type Command } from '../io.js';

/**
 * archiverCommand is the one writer of the archive in a deployment of workers: it waits to lead (a
 * second archiver takes over when the first dies), then writes the pending article files, lists,
 * README and STATUS and publishes to the git remotes.
 */
export const archiverCommand: Command = {
  summary: 'write the archive from the store (one leader at a time) and publish it to the git remotes',
  usage: 'newsmirror archiver [--config FILE] [--once] [--verbose]',
  async run(args, io) {
    const config = await loadConfig(args);
    const controller = new AbortController();
    const stop = (signal: NodeJS.Signals) => {
      if (controller.signal.aborted) process.exit(130);
      io.stderr.write(`archiver: ${signal} received; finishing the writes in flight (send it again to exit at once)\n`);
      controller.abort();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    try {
      const result = await runArchiver(config, {
        ...shellPorts(io, args),
        signal: controller.signal,
        once: args.flags.once === true,
        hooks: {
          onLeading: () => io.stdout.write('archiver: leading\n'),
          onPass: (pass) => {
            if (pass.files > 0) io.stdout.write(`archiver: ${pass.files} file(s) written${pass.published ? ', published' : ''}\n`);
          },
        },
      });
      io.stdout.write(`archiver: ${result.files} file(s) written in all\n`);
      return EXIT.OK;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  },
};
