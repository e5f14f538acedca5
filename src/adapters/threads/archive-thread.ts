/** The body of the archive writing thread (see archive-pool.ts): one archive writer, its writes in flight together. */
import { workerData } from 'node:worker_threads';
import { createArchiveWriter, type ArchiveWriterOptions } from '../archive/index.js';
import { serveThread } from './thread.js';

const { root, options } = workerData as { root: string; options: ArchiveWriterOptions };
const writer = createArchiveWriter(root, options);

serveThread((request: { path: string; content: string | Uint8Array }) => writer.write(request.path, request.content));
