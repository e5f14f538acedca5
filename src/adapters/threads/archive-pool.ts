/**
 * An ArchiveWriter whose writes run on a worker thread: the same writer (createArchiveWriter) with the
 * same checks and atomic renames, but the file system calls of each write and their callbacks no
 * longer take the processor time of the thread that renders and stores. Reads and listings stay on
 * the calling thread: a write is answered once its file is in place, so a read after it sees it.
 */
import { createArchiveWriter, type ArchiveWriterOptions } from '../archive/index.js';
import type { ArchiveWriter } from '../../core/ports.js';
import { startThread } from './thread.js';

/** ArchiveThreadRequest is one request to the archive thread: a write, or a sync of the writes so far. */
export type ArchiveThreadRequest = { kind: 'write'; path: string; content: string | Uint8Array } | { kind: 'sync' };

/** ThreadedArchiveWriter is an ArchiveWriter on a thread, to close when done. */
export interface ThreadedArchiveWriter extends ArchiveWriter {
  /**
   * sync makes every write answered so far durable: with `deferSync`, each file written since the
   * last sync and its folder are fsynced now; without it, each write was already.
   */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** ArchiveThreadOptions are the writer's options, and whether its writes wait for `sync` to be durable. */
export interface ArchiveThreadOptions extends ArchiveWriterOptions {
  /** Writes do not fsync (whatever `syncFiles` says); `sync` fsyncs the files and folders written since the last one. */
  deferSync?: boolean;
}

/**
 * openArchiveThread starts a thread writing below `root` as `createArchiveWriter(root, options)`
 * writes. Call `close` when done.
 *
 * @example
 * const archive = openArchiveThread('/srv/archive', { deferSync: true });
 * await archive.write('articles/rfi/2020/07/01/0800-abc.md', text);
 * await archive.sync();
 * await archive.close();
 */
export function openArchiveThread(root: string, options: ArchiveThreadOptions = {}): ThreadedArchiveWriter {
  const { deferSync = false, ...writerOptions } = options;
  const thread = startThread<ArchiveThreadRequest, boolean>('archive-thread', 'archive', { root, options: writerOptions, deferSync });
  const local = createArchiveWriter(root, writerOptions);
  return {
    write: (path, content) => thread.call({ kind: 'write', path, content }),
    read: (path) => local.read(path),
    list: (folder) => local.list(folder),
    async sync() {
      if (deferSync) await thread.call({ kind: 'sync' });
    },
    close: () => thread.close(),
  };
}
