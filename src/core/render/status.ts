import type { Health, SourceState } from '../model/index.js';
import type { SourceSummary } from '../ports.js';
import { formatListTime } from './path.js';
import { tableCell } from './readme.js';

/** StatusRow is one source in STATUS.md. */
export interface StatusRow {
  id: string;
  name: string;
  health: Health;
  state?: SourceState;
  summary?: SourceSummary;
  missingImages?: number;
}

/**
 * renderStatus renders STATUS.md: per source its health, last success, newest item, articles in the
 * last 24 hours, missing images and the current error. Times are absolute (in `timeZone`) rather than
 * ages, so the file does not churn merely because a clock moved on.
 */
export function renderStatus(rows: StatusRow[], timeZone: string): string {
  const time = (ms?: number) => (ms === undefined ? '—' : formatListTime(ms, timeZone));
  const lines = [
    '# 状态 Status',
    '',
    `Times in ${timeZone}. 健康 health: ok / failing (last attempt failed) / stale (answers, but only with old items) / never (not fetched yet).`,
    '',
    '| source | health | last success | newest item | articles (24 h) | missing images | current error |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of [...rows].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const error = row.state?.lastError ? `\`${row.state.lastErrorCode ?? 'error'}\` ${tableCell(row.state.lastError.slice(0, 200))}` : '';
    lines.push(
      `| ${tableCell(row.name)} (\`${row.id}\`) | ${row.health} | ${time(row.state?.lastSuccessAt)} | ${time(row.summary?.newestPublished)} | ${row.summary?.articlesLast24h ?? 0} | ${row.missingImages ?? 0} | ${error} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
