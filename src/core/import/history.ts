/**
 * ArchiveHistory is the port through which an import reads an old archive's git history: every
 * commit that touched the article folder, oldest first, with the contents of the files it wrote.
 * The git adapter implements it (src/adapters/git/history.ts) with one long-lived blob reader.
 */

/** HistoryFile is one file version a commit wrote: its path, blob id and bytes. */
export interface HistoryFile {
  path: string;
  blob: string;
  bytes: Uint8Array;
}

/** HistoryCommit is one commit of the walk, with what it wrote and what it deleted under the folder. */
export interface HistoryCommit {
  commit: string;
  /** Committer time, epoch ms. */
  time: number;
  files: HistoryFile[];
  deleted: string[];
}

/** ArchiveHistory walks a repository's history under one folder, in commit time order (parents first). */
export interface ArchiveHistory {
  /** Every commit reachable from HEAD that touched the folder, oldest first, its files' bytes read. */
  commits(): AsyncIterable<HistoryCommit>;
  /** Blob ids of the files under the folder at HEAD: what the old archive still shows. */
  headBlobs(): Promise<Set<string>>;
  /** Ends the blob reader. */
  close(): Promise<void>;
}
