export { createArchiveWriter, removeStaleTemporaries, TEMPORARY_PREFIX } from './writer.js';
export type { ArchiveWriterOptions } from './writer.js';
