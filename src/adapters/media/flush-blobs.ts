import type { ArchiveWriter, MediaBlobs } from '../../core/ports.js';

/** FlushMediaBlobsReport is what one flush did: blobs whose file was (re)written, and those already on disk. */
export interface FlushMediaBlobsReport {
  written: number;
  unchanged: number;
}

const DEFAULT_BATCH = 100;

/**
 * flushMediaBlobs is the archiver's half of the workers' image mirroring: it writes every pending
 * blob to its media path through `media` (an ArchiveWriter over the folder that holds `media/`: the
 * archive, or config `media.dir`), atomically and inside that folder, then clears the marks it
 * listed, which releases the blobs' bytes in the store. So `media` must make each write durable
 * (files and folders fsynced) before it returns. A flush killed between a write and the clearing leaves the marks, so the next flush writes
 * those blobs again (the writer skips unchanged bytes) and clears them; a blob put again meanwhile
 * keeps its newer mark and is written by the next flush. Memory holds one batch of blobs at a time.
 *
 * @example
 * await flushMediaBlobs(blobs, createArchiveWriter(config.media.dir ?? config.archive, { syncDirectories: true }));
 */
export async function flushMediaBlobs(blobs: MediaBlobs, media: ArchiveWriter, options: { batch?: number } = {}): Promise<FlushMediaBlobsReport> {
  const batch = Math.max(1, Math.trunc(options.batch ?? DEFAULT_BATCH));
  const report: FlushMediaBlobsReport = { written: 0, unchanged: 0 };
  for (;;) {
    const pending = await blobs.listPending(batch);
    if (pending.length === 0) return report;
    for (const item of pending) {
      const bytes = await blobs.read(item.path);
      // A pending row always holds its bytes; one written out meanwhile (a second archiver pass) has nothing left to write.
      if (bytes === undefined) continue;
      if (await media.write(item.path, bytes)) report.written++;
      else report.unchanged++;
    }
    await blobs.markWritten(pending);
  }
}
