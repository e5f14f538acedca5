import { rebuildStore } from '../../core/pipeline/index.js';
import { openContext } from '../../main/context.js';
import { EXIT } from '../exit-codes.js';
import { loadConfig, shellPorts, type Command } from '../io.js';

/** rebuildCommand recreates the store from the archive files (the archive is the backup). */
export const rebuildCommand: Command = {
  summary: 'recreate the store from the archive files alone',
  usage: 'newsmirror rebuild [--config FILE]',
  async run(args, io) {
    const config = await loadConfig(args);
    const context = await openContext(config, { ...shellPorts(io, args), lock: 'rebuild' });
    try {
      const report = await rebuildStore(context.deps);
      io.stdout.write(`rebuild: ${report.articles} article(s) restored from ${config.archive}; ${report.skipped.length} file(s) skipped\n`);
      for (const skipped of report.skipped.slice(0, 20)) io.stdout.write(`  skipped ${skipped.path}: ${skipped.reason}\n`);
      if (report.skipped.length > 20) io.stdout.write(`  … and ${report.skipped.length - 20} more\n`);
      return EXIT.OK;
    } finally {
      await context.close();
    }
  },
};
