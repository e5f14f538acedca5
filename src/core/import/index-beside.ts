/**
 * IndexBeside is the port through which an import gives way to a search index that writes the same
 * database file from another thread (src/adapters/threads, ThreadedSearchIndex): SQLite has one
 * writer at a time, and its busy handler sleeps in steps of up to 100 ms, so the walk pauses the
 * index around its own store batches instead of waiting for the lock.
 */
export interface IndexBeside {
  /**
   * Asks the index to write nothing after its current transaction until `resume`; true while that
   * transaction still runs (the caller may put its write off, or wait for the lock). A pause not
   * resumed lapses after a while, so a caller that dies paused never stops the index.
   */
  pause(): boolean;
  /** Lets the index write again. */
  resume(): void;
}
