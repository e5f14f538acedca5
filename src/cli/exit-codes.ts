/** EXIT is the table of exit codes; docs/cli.md documents the same table. */
export const EXIT = {
  /** Everything succeeded. */
  OK: 0,
  /** The run finished, but at least one source or item failed (see the report). */
  FAILURES: 1,
  /** Bad command line or invalid configuration: nothing was done. */
  USAGE: 2,
  /** Another newsmirror holds the archive's lock: nothing was done. */
  LOCKED: 3,
  /** A bug: an unexpected error. Please report it with the message. */
  INTERNAL: 70,
} as const;
