/**
 * An ArchiveWriter whose writes run on a worker thread: the same writer (createArchiveWriter) with the
 * same checks and atomic renames, but the file system calls of each write and their callbacks no
 * longer take the processor time of the thread that renders and stores. Reads and listings stay on
 * the calling thread: a write is answered once its file is in place, so a read after it sees it.
 */
import { createArchiveWriter, type ArchiveWriterOptions } from '../archive/index.js';
import type { ArchiveWriter } from '../../core/ports.js';
import { startThread } from './thread.js';

/** ThreadedArchiveWriter is an ArchiveWriter to close when done. */
export interface ThreadedArchiveWriter extends ArchiveWriter {
  close(): Promise<void>;
}

/**
 * openArchiveThread starts a thread writing below `root` as `createArchiveWriter(root, options)`
 * writes. Call `close` when done.
 *
 * @example
 * const archive = openArchiveThread('/srv/archive');
 * await archive.write('articles/rfi/2020/07/01/0800-abc.md', text);
 * await archive.close();
 */
export function openArchiveThread(root: string, options: ArchiveWriterOptions = {}): ThreadedArchiveWriter {
  const thread = startThread<{ path: string; content: string | Uint8Array }, boolean>('archive-thread', 'archive', { root, options });
  const local = createArchiveWriter(root, options);
  return {
    write: (path, content) => thread.call({ path, content }),
    read: (path) => local.read(path),
    list: (folder) => local.list(folder),
    close: () => thread.close(),
  };
}
