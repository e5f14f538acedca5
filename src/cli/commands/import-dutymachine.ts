import { resolve } from 'node:path';
import { NewsmirrorError } from '../../core/errors.js';
import { DUTYMACHINE_FOLDERS } from '../../core/import/index.js';
import { importDutyMachine, REPORT_LISTED, type ImportReport } from '../../core/pipeline/index.js';
import { openContext } from '../../main/context.js';
import { openDutyMachineArchive, openDutyMachineCleaner, openDutyMachineHistory, openDutyMachineSearch, openDutyMachineTally } from '../../main/import.js';
import { EXIT } from '../exit-codes.js';
import { loadConfig, shellPorts, type Command, type CommandArgs } from '../io.js';

/** PROGRESS_EVERY is how many commits pass between two progress lines on stderr. */
const PROGRESS_EVERY = 500;

/**
 * importDutyMachineCommand adopts an existing duty-machine archive: every version of every article
 * file in a local clone's whole history is stored and written in newsmirror's layout. The clone is
 * only read; running it again adds only what is new.
 */
export const importDutyMachineCommand: Command = {
  summary: 'adopt a duty-machine archive: import every article version from a local clone\'s git history',
  usage: 'newsmirror import-dutymachine PATH [--config FILE] [--map 文件夹=id]… [--no-media] [--json]',
  async run(args, io) {
    const [path, ...extra] = args.positionals;
    if (path === undefined || extra.length > 0) throw new NewsmirrorError('usage', 'cli', 'import-dutymachine takes exactly one PATH: a local clone of the old archive');
    const folders = { ...DUTYMACHINE_FOLDERS, ...parseMaps(args) };
    const loaded = await loadConfig(args);
    const config = args.flags['no-media'] === true ? { ...loaded, media: { ...loaded.media, enabled: false } } : loaded;
    const history = await openDutyMachineHistory(resolve(io.cwd, path));
    const ports = shellPorts(io, args);
    const context = await openContext(config, { ...ports, lock: 'import-dutymachine' });
    const tally = openDutyMachineTally();
    const cleaner = openDutyMachineCleaner();
    const archive = openDutyMachineArchive(config.archive);
    const search = openDutyMachineSearch(config);
    // The first signal ends the walk after the commit in flight, its files written; a second exits at once.
    const controller = new AbortController();
    const stop = (signal: NodeJS.Signals): void => {
      if (controller.signal.aborted) process.exit(130);
      io.stderr.write(`import-dutymachine: ${signal} received; stopping after the commit in flight (run again to go on)\n`);
      controller.abort();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    let report: ImportReport;
    try {
      report = await importDutyMachine({ ...context.deps, archive, ...(search === undefined ? {} : { search }) }, history, {
        sources: config.sources,
        folders,
        tally,
        cleaner,
        settle: () => archive.sync(),
        indexBeside: search,
        signal: controller.signal,
        onProgress: ({ commits, versions }) => {
          if (commits % PROGRESS_EVERY === 0) ports.logger.info(`import: ${commits} commit(s), ${versions} version(s) read`);
        },
      });
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await history.close();
      await tally.close();
      await cleaner.close();
      await archive.close();
      await search?.close();
      await context.close();
    }
    io.stdout.write(args.flags.json === true ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
    const unmapped = Object.keys(report.unmappedFolders).length > 0;
    return report.failed.length > 0 || unmapped || report.stopped ? EXIT.FAILURES : EXIT.OK;
  },
};

function parseMaps(args: CommandArgs): Record<string, string> {
  const raw = args.flags.map;
  const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)];
  const maps: Record<string, string> = {};
  for (const value of values) {
    const match = /^([^=]+)=([a-z0-9][a-z0-9_-]*)$/.exec(value.trim());
    if (!match) throw new NewsmirrorError('usage', 'cli', `--map ${value}: expected 文件夹=id, e.g. --map 联合早报=zaobao`);
    maps[match[1] as string] = match[2] as string;
  }
  return maps;
}

/** renderReport is the report for people: what was walked, what came back, what could not be used. */
function renderReport(report: ImportReport): string {
  const lines = [
    `import: ${report.commits} commit(s) walked, ${report.versionsRead} article file version(s) read${report.stopped ? ' (stopped early: run again to go on)' : ''}`,
    `  ${report.articles} distinct article(s), ${report.recovered} recovered (in the history but not at HEAD)`,
    `  stored now: ${report.newArticles} new article(s), ${report.newVersions} later version(s); ${report.unchanged} version(s) already stored, ${report.duplicatesMerged} duplicate path(s) merged, ${report.older} older than stored, ${report.suspects} held back as suspect`,
  ];
  for (const share of report.sources) {
    lines.push(`  ${share.sourceId.padEnd(10)} ${share.articles} article(s), ${share.recovered} recovered, +${share.newArticles} new, +${share.newVersions} version(s), ${share.duplicatesMerged} merged`);
  }
  const reasons = Object.entries(report.unreadableByReason);
  if (reasons.length > 0) lines.push(`  unreadable: ${reasons.map(([reason, count]) => `${count} ${reason}`).join(', ')}`);
  for (const file of report.unreadable.slice(0, 20)) lines.push(`    ${file.reason}: ${file.path} @ ${file.commit.slice(0, 12)}`);
  const unlisted = report.unreadable.length - Math.min(report.unreadable.length, 20) + report.notListed.unreadable;
  if (unlisted > 0) lines.push(`    … and ${unlisted} more (--json lists the first ${REPORT_LISTED})`);
  for (const [folder, count] of Object.entries(report.unmappedFolders)) {
    lines.push(`  folder ${folder}: ${count} version(s) not imported: no source; add --map ${folder}=ID for a configured source`);
  }
  for (const failure of report.failed.slice(0, 20)) lines.push(`  failed @ ${failure.commit.slice(0, 12)}: ${failure.message}`);
  for (const warning of report.warnings.slice(0, 20)) lines.push(`  warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}
