/** EXIT is the table of exit codes; docs/cli.md documents the same table. */
export const EXIT = {
  /** Everything succeeded. */
  OK: 0,
  /** The run finished, but at least one source or item failed (see the report). */
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
