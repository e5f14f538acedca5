import { environmentProblem, isEnvironmentCode } from '../core/errors.js';
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

/** RunEnding is what the summary adds to a run's report: files still to write, and a failure after the sources. */
export interface RunEnding {
  /**
   * Per source, the articles stored whose file is not written yet (a full or read-only disk): new and
   * edited count what the store took, so the summary says how many of them are not in the archive yet.
   */
  pendingFiles?: ReadonlyMap<string, number>;
  /** Finishing the run (archive README, run report) failed after the sources were synced. */
  finishError?: { code: string; message: string };
}

/** formatRunSummary renders the closing report of a sync. */
export function formatRunSummary(run: RunReport, ending: RunEnding = {}): string {
  const pendingFiles = ending.pendingFiles ?? new Map<string, number>();
  const total = (pick: (report: SourceReport) => number) => run.sources.reduce((sum, report) => sum + pick(report), 0);
  const failed = run.sources.filter((report) => report.status === 'failed');
  const lines = [
    `sync ${run.id}: ${run.sources.length} source(s) in ${((run.finishedAt - run.startedAt) / 1000).toFixed(1)} s — ` +
      `new ${total((r) => r.newArticles)}, edited ${total((r) => r.editedArticles)}, unchanged ${total((r) => r.unchangedArticles)}, ` +
      `failed items ${total((r) => r.failedItems)}, failed sources ${failed.length}, not modified ${run.sources.filter((r) => r.status === 'not-modified').length}`,
  ];
  const pending = [...pendingFiles.values()].reduce((sum, count) => sum + count, 0);
  if (pending > 0) lines.push(`  files not written ${pending}: stored, and written by the next run (${[...pendingFiles].filter(([, count]) => count > 0).map(([id, count]) => `${id} ${count}`).join(', ')})`);
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
    if (report.images) lines.push(`  ${report.sourceId}: images mirrored ${report.images.mirrored}, missing ${report.images.missing}`);
    for (const warning of report.warnings.filter((text) => text.startsWith('media: '))) lines.push(`  ${report.sourceId}: warning: ${warning}`);
  }
  if (ending.finishError) lines.push(`  run: the sources were synced, but finishing the run failed: ${ending.finishError.message}`);
  // Reports keep codes, not hints: a failure of the machine gets its hint once, after the errors.
  const codes = [...run.sources.flatMap((report) => report.errors.map((error) => error.code)), ending.finishError?.code ?? ''];
  const machine = new Set(codes.filter(isEnvironmentCode));
  for (const code of machine) lines.push(`hint (${code}): ${environmentProblem(code).hint}`);
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
