import { writeFile } from 'node:fs/promises';
import { DEFAULT_CONFIG_YAML } from '../../config/index.js';
import { environmentError } from '../../core/errors.js';
import { EXIT } from '../exit-codes.js';
import type { Command } from '../io.js';

/** initCommand writes the commented default configuration, never over an existing file. */
export const initCommand: Command = {
  summary: 'write a commented default config with the sources of the system we continue',
  usage: 'newsmirror init [--config FILE] [--force]',
  async run(args, io) {
    try {
      await writeFile(args.config, DEFAULT_CONFIG_YAML, { flag: args.flags.force ? 'w' : 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        io.stderr.write(`init: ${args.config} exists; not overwritten (use --force)\n`);
        return EXIT.USAGE;
      }
      // A read-only or full disk is the machine's (exit 3); a missing folder is the command line's (exit 2).
      throw environmentError('cli', 'usage', 'cannot write', args.config, error);
    }
    io.stdout.write(`wrote ${args.config}\nnext: newsmirror sync --config ${args.config}\n`);
    return EXIT.OK;
  },
};
