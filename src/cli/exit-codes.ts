import type { RunReport } from '../core/model/index.js';

/** EXIT is the table of exit codes; docs/cli.md documents the same table. */
export const EXIT = {
  /** Everything succeeded. */
  OK: 0,
  /** The run finished, but at least one source or item failed, or a degraded feed was held back (see the report). */
  FAILURES: 1,
  /** Bad command line or invalid configuration: nothing was done. */
  USAGE: 2,
  /**
   * The archive or the store cannot be used: another newsmirror holds the lock, or the machine
   * refuses (read-only, permission, no space, I/O error, damaged database). Nothing was done.
   */
  UNAVAILABLE: 3,
  /** A bug: an unexpected error. Please report it with the message. */
  INTERNAL: 70,
} as const;

/**
 * runExitCode is the exit code of a finished sync run: FAILURES when a source or an item failed, a
 * suspect version was held back, or a feed document had to be recovered (each says why in the
 * printed report), else OK.
 */
export function runExitCode(run: RunReport): number {
  const troubled = run.sources.some(
    (report) => report.status === 'failed' || report.failedItems > 0 || (report.suspectVersions ?? 0) > 0 || report.recovered === true,
  );
  return troubled ? EXIT.FAILURES : EXIT.OK;
}
