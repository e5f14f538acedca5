import { databaseOf, openContext } from '../../main/context.js';
import { runRecheckPass } from '../../main/recheck.js';
import { restoreEmptyStore } from '../../main/recover.js';
import type { RecheckReport } from '../../core/recheck/index.js';
import { EXIT } from '../exit-codes.js';
import { loadConfig, shellPorts, type Command } from '../io.js';
import { selectSources } from './select.js';

/** formatRecheckReport is the one-paragraph summary of a re-check pass. */
export function formatRecheckReport(report: RecheckReport): string {
  const { outcomes: o, removals: r } = report;
  return [
    `recheck: ${report.checked} page(s) checked: ${o.unchanged} unchanged, ${o.edited} edited, ${o.suspect} suspect, ${o.gone} gone, ${o.unreachable} unreachable`,
    `  removals: ${r.opened} suspected, ${r.confirmed} confirmed, ${r.withdrawn} withdrawn; ${report.early} early check(s) for items that left a feed out of order; ${report.failed.length} failed`,
    ...report.failed.slice(0, 20).map((failure) => `  ${failure.articleId}: ${failure.message}`),
  ].join('\n');
}

/** recheckCommand fetches the due pages of archived articles again: edits become versions, removals are confirmed or withdrawn. */
export const recheckCommand: Command = {
  summary: 're-check archived articles on their schedule: record edits as versions, confirm and withdraw removals',
  usage: 'newsmirror recheck [--config FILE] [--source ID]… [--all]',
  async run(args, io) {
    const config = await loadConfig(args);
    // Articles of a source switched off for syncing are still watched unless named otherwise.
    const sources = args.sources.length > 0 ? selectSources(config, args.sources) : config.sources;
    // On PostgreSQL the archiver writes the files a re-check changes; this process only stores the changes.
    const onPostgres = databaseOf(config.database).engine === 'postgres';
    const context = await openContext(config, { ...shellPorts(io, args), ...(onPostgres ? { worker: true } : { lock: 'recheck' }) });
    try {
      if (!onPostgres) await restoreEmptyStore(context);
      const report = await runRecheckPass(context, sources, { all: args.flags.all === true });
      io.stdout.write(`${formatRecheckReport(report)}\n`);
      return report.failed.length > 0 ? EXIT.FAILURES : EXIT.OK;
    } finally {
      await context.close();
    }
  },
};
