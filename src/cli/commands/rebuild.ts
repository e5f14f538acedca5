import { isNewsmirrorError } from '../../core/errors.js';
import { rebuildStore, type RebuildReport } from '../../core/pipeline/index.js';
import { SYSTEM_CLOCK, openContext } from '../../main/context.js';
import { moveAsideDamagedStore } from '../../main/recover.js';
import { EXIT } from '../exit-codes.js';
import { loadConfig, shellPorts, type Command } from '../io.js';

const isDamagedStore = (error: unknown): boolean => isNewsmirrorError(error) && error.code === 'store-corrupt';

/**
 * rebuildCommand recreates the store from the archive files (the archive is the backup). A damaged
 * database is moved aside (kept as `<file>.corrupt-<time>`) and a new one is created in its place.
 */
export const rebuildCommand: Command = {
  summary: 'recreate the store from the archive files alone (a damaged database is kept aside)',
  usage: 'newsmirror rebuild [--config FILE]',
  async run(args, io) {
    const config = await loadConfig(args);
    const ports = shellPorts(io, args);
    const moveAside = async (): Promise<void> => {
      const aside = await moveAsideDamagedStore(config, (ports.clock ?? SYSTEM_CLOCK).now(), ports.logger);
      io.stdout.write(`rebuild: the database was damaged; kept as ${aside}\n`);
    };
    // A damaged file can open fine and fail only when rebuild reads or clears it: both cases move it aside.
    const attempt = async (): Promise<RebuildReport> => {
      const context = await openContext(config, { ...ports, lock: 'rebuild' });
      try {
        return await rebuildStore(context.deps);
      } finally {
        await context.close();
      }
    };
    let report: RebuildReport;
    try {
      report = await attempt();
    } catch (error) {
      if (!isDamagedStore(error)) throw error;
      await moveAside();
      report = await attempt();
    }
    io.stdout.write(
      `rebuild: ${report.articles} article(s) restored from ${config.archive} (${report.versions} earlier version(s), ${report.removals} removal(s)); ${report.skipped.length} file(s) skipped\n`,
    );
    for (const skipped of report.skipped.slice(0, 20)) io.stdout.write(`  skipped ${skipped.path}: ${skipped.reason}\n`);
    if (report.skipped.length > 20) io.stdout.write(`  … and ${report.skipped.length - 20} more\n`);
    return EXIT.OK;
  },
};
