import type { RunReport, SourceReport } from '../core/model/index.js';
import type { SyncProgress } from '../core/pipeline/index.js';
import type { OutStream } from './io.js';

function counts(report: SourceReport): string {
  const suspect = (report.suspectVersions ?? 0) > 0 ? ` / suspect ${report.suspectVersions}` : '';
  return `fetched ${report.fetchedItems} / new ${report.newArticles} / edited ${report.editedArticles} / unchanged ${report.unchangedArticles} / failed ${report.failedItems}${suspect}${report.recovered === true ? ' / recovered feed' : ''}`;
}

/** formatSourceLine renders one finished source as a plain line. */
export function formatSourceLine(report: SourceReport): string {
  const status = report.status === 'failed' ? `FAILED ${report.errors[0]?.code ?? ''}`.trim() : report.status;
  const error = report.status === 'failed' ? `: ${report.errors[0]?.message ?? ''}` : '';
  return `${report.sourceId.padEnd(12)} ${status.padEnd(14)} ${counts(report)} (${report.durationMs} ms)${error}`;
}

/** formatRunSummary renders the closing report of a sync. */
export function formatRunSummary(run: RunReport): string {
  const total = (pick: (report: SourceReport) => number) => run.sources.reduce((sum, report) => sum + pick(report), 0);
  const failed = run.sources.filter((report) => report.status === 'failed');
  const lines = [
    `sync ${run.id}: ${run.sources.length} source(s) in ${((run.finishedAt - run.startedAt) / 1000).toFixed(1)} s — ` +
      `new ${total((r) => r.newArticles)}, edited ${total((r) => r.editedArticles)}, unchanged ${total((r) => r.unchangedArticles)}, ` +
      `failed items ${total((r) => r.failedItems)}, failed sources ${failed.length}, not modified ${run.sources.filter((r) => r.status === 'not-modified').length}`,
  ];
  const suspects = total((r) => r.suspectVersions ?? 0);
  const recovered = run.sources.filter((r) => r.recovered === true).length;
  if (suspects + recovered > 0) lines[0] += `, suspect versions ${suspects}, recovered feeds ${recovered}`;
  for (const report of run.sources) {
    // A degraded feed is why the run exits 1 even with no error: say so with a stable code.
    if (report.recovered === true) lines.push(`  ${report.sourceId}: [parse/recovered] the feed document was malformed or cut off and had to be recovered; its edits are held back`);
    if ((report.suspectVersions ?? 0) > 0) {
      lines.push(`  ${report.sourceId}: [store/suspect] ${report.suspectVersions} suspect version(s) held back (much shorter, empty or from a recovered feed); the current text is kept`);
    }
    for (const warning of report.warnings.filter((text) => text.startsWith('limits: ')).slice(0, 3)) lines.push(`  ${report.sourceId}: ${warning}`);
    for (const error of report.errors.slice(0, 5)) lines.push(`  ${report.sourceId}: [${error.stage}/${error.code}] ${error.message}`);
    if (report.errors.length > 5) lines.push(`  ${report.sourceId}: … and ${report.errors.length - 5} more error(s)`);
  }
  return lines.join('\n');
}

/**
 * createProgress shows live per-source progress: a redrawn table on a terminal, one plain line per
 * finished source otherwise (logs, CI, cron mail).
 */
export function createProgress(stream: OutStream, sourceIds: string[]): { onProgress: (event: SyncProgress) => void } {
  if (!stream.isTTY) {
    return {
      onProgress: (event) => {
        if (event.type === 'done') stream.write(`${formatSourceLine(event.report)}\n`);
      },
    };
  }
  const lines = new Map<string, string>(sourceIds.map((id) => [id, `${id.padEnd(12)} waiting`]));
  let drawn = 0;
  const draw = () => {
    if (drawn > 0) stream.write(`\x1b[${drawn}A`);
    for (const line of lines.values()) stream.write(`\x1b[2K${line.slice(0, (stream.columns || 120) - 1)}\n`);
    drawn = lines.size;
  };
  return {
    onProgress: (event) => {
      if (event.type === 'start') lines.set(event.sourceId, `${event.sourceId.padEnd(12)} fetching…`);
      else lines.set(event.report.sourceId, formatSourceLine(event.report));
      draw();
    },
  };
}
