export { createArchiveWriter, removeStaleTemporaries } from './writer.js';
export { resolveInside, TEMPORARY_PREFIX, writeFileAtomic } from './safe-fs.js';
export type { AtomicWriteOptions } from './safe-fs.js';
export type { ArchiveWriterOptions } from './writer.js';
