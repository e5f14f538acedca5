import { openSqliteStore } from '../../adapters/store/sqlite/index.js';
import { openSqliteMediaState } from '../../adapters/media/index.js';
import { assessHealth } from '../../core/pipeline/index.js';

async function readMissingImages(database: string): Promise<Map<string, number>> {
  const state = openSqliteMediaState(database);
  try {
    return await state.missingBySource();
  } finally {
    await state.close();
  }
}
import { EXIT } from '../exit-codes.js';
import { loadConfig, type Command } from '../io.js';

function ago(now: number, then?: number): string {
  if (then === undefined) return 'never';
  const minutes = Math.round((now - then) / 60_000);
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h ago`;
  return `${Math.round(minutes / 1440)} d ago`;
}

/** statusCommand prints each source's health from the store; exit 1 when a source is failing. */
export const statusCommand: Command = {
  summary: "show each source's health: last success, newest article, current error",
  usage: 'newsmirror status [--config FILE] [--json]',
  async run(args, io) {
    const config = await loadConfig(args);
    const store = openSqliteStore(config.database);
    try {
      const now = Date.now();
      const states = new Map((await store.listSourceStates()).map((state) => [state.sourceId, state]));
      const summaries = new Map((await store.summarizeSources(now)).map((summary) => [summary.sourceId, summary]));
      const missing = config.media.enabled ? await readMissingImages(config.database) : new Map<string, number>();
      const rows = await Promise.all(config.sources.map(async (source) => {
        const state = states.get(source.id);
        const summary = summaries.get(source.id);
        const recent = (await store.listArticles(source.id, { limit: 20 })).filter((item) => !item.dateMissing).map((item) => item.published);
        const assessed = assessHealth(state, summary, now, recent);
        const health = assessed === 'never' ? 'never synced' : assessed === 'failing' ? `failing ×${state?.consecutiveFailures ?? 0}` : assessed;
        return {
          id: source.id,
          name: source.name,
          enabled: source.enabled,
          health,
          articles: summary?.articleCount ?? 0,
          last24h: summary?.articlesLast24h ?? 0,
          newest: summary?.newestPublished,
          lastSuccessAt: state?.lastSuccessAt,
          lastError: state?.lastError ? `[${state.lastErrorCode ?? '?'}] ${state.lastError}` : undefined,
          missingImages: missing.get(source.id) ?? 0,
          nextCheckAt: state?.nextCheckAt,
        };
      }));
      if (args.flags.json) {
        io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      } else {
        for (const row of rows) {
          io.stdout.write(
            `${row.id.padEnd(12)} ${row.health.padEnd(14)} ${String(row.articles).padStart(7)} articles  ${String(row.last24h).padStart(4)} in 24 h  ` +
              `newest ${ago(now, row.newest).padEnd(12)} last success ${ago(now, row.lastSuccessAt).padEnd(12)}` +
              `${row.missingImages > 0 ? ` ${row.missingImages} image(s) missing` : ''}${row.enabled ? '' : '  (disabled)'}\n`,
          );
          if (row.lastError) io.stdout.write(`${' '.repeat(13)}${row.lastError}\n`);
        }
      }
      return rows.some((row) => row.health.startsWith('failing')) ? EXIT.FAILURES : EXIT.OK;
    } finally {
      await store.close();
    }
  },
};
