import { readSourceHealth } from '../../core/pipeline/index.js';
import { openReaderContext } from '../../main/context.js';
import { EXIT } from '../exit-codes.js';
import { loadConfig, shellPorts, type Command } from '../io.js';

function ago(now: number, then?: number): string {
  if (then === undefined) return 'never';
  const minutes = Math.round((now - then) / 60_000);
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h ago`;
  return `${Math.round(minutes / 1440)} d ago`;
}

/** statusCommand prints each source's health from the store; exit 1 when a source is failing. */
export const statusCommand: Command = {
  summary: "show each source's health: last success, newest article, current error, suspect versions held back",
  usage: 'newsmirror status [--config FILE] [--json]',
  async run(args, io) {
    const config = await loadConfig(args);
    const context = await openReaderContext(config, shellPorts(io, args));
    try {
      const now = context.clock.now();
      const verdicts = await readSourceHealth(context.store, config.sources, now);
      const missing = (await context.mediaState?.missingBySource()) ?? new Map<string, number>();
      const suspects = new Map<string, number>();
      for (const suspect of await context.store.listSuspects()) suspects.set(suspect.sourceId, (suspects.get(suspect.sourceId) ?? 0) + 1);
      const enabled = new Map(config.sources.map((source) => [source.id, source.enabled]));
      const rows = verdicts.map(({ id, name, summary, state, health }) => ({
        id,
        name,
        enabled: enabled.get(id) ?? true,
        health: health === 'never' ? 'never synced' : health === 'failing' ? `failing ×${state?.consecutiveFailures ?? 0}` : health,
        articles: summary.articleCount,
        last24h: summary.articlesLast24h,
        newest: summary.newestPublished,
        lastSuccessAt: state?.lastSuccessAt,
        lastError: state?.lastError ? `[${state.lastErrorCode ?? '?'}] ${state.lastError}` : undefined,
        missingImages: missing.get(id) ?? 0,
        suspectVersions: suspects.get(id) ?? 0,
        nextCheckAt: state?.nextCheckAt,
      }));
      if (args.flags.json) {
        io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      } else {
        for (const row of rows) {
          io.stdout.write(
            `${row.id.padEnd(12)} ${row.health.padEnd(14)} ${String(row.articles).padStart(7)} articles  ${String(row.last24h).padStart(4)} in 24 h  ` +
              `newest ${ago(now, row.newest).padEnd(12)} last success ${ago(now, row.lastSuccessAt).padEnd(12)}` +
              `${row.missingImages > 0 ? ` ${row.missingImages} image(s) missing` : ''}` +
              `${row.suspectVersions > 0 ? ` ${row.suspectVersions} suspect version(s) held back` : ''}${row.enabled ? '' : '  (disabled)'}\n`,
          );
          if (row.lastError) io.stdout.write(`${' '.repeat(13)}${row.lastError}\n`);
        }
      }
      return rows.some((row) => row.health.startsWith('failing')) ? EXIT.FAILURES : EXIT.OK;
    } finally {
      await context.close();
    }
  },
};
