/**
 * The EPUB container's zip, streamed: the one module that knows fflate. Each entry is compressed as it
 * is added and handed to `write` at once, so a book of any size never sits in memory whole.
 */
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';

/** ZipSink receives the zip's bytes in order. */
export type ZipSink = (chunk: Uint8Array) => void;

/** ZipStream adds entries one after another, then ends the archive (its central directory). */
export interface ZipStream {
  /** add writes one entry; `stored` keeps it uncompressed (the EPUB's `mimetype`, already compressed images). */
  add(name: string, content: string | Uint8Array, options?: { stored?: boolean }): void;
  /** end writes the central directory; nothing may be added after it. */
  end(): void;
  /** entries is how many entries were added. */
  readonly entries: number;
}

/** MAX_ENTRIES: fflate writes no Zip64 records, so a zip holds at most 65,535 entries. */
export const MAX_ENTRIES = 65_535;

/**
 * createZipStream starts a zip whose bytes go to `sink`, every entry dated `mtime` so that the same
 * book gives the same bytes.
 */
export function createZipStream(sink: ZipSink, mtime: number): ZipStream {
  let failure: Error | undefined;
  const zip = new Zip((error, chunk) => {
    if (error !== null) failure = error;
    else sink(chunk);
  });
  const check = (): void => {
    if (failure !== undefined) throw failure;
  };
  const encoder = new TextEncoder();
  let entries = 0;
  return {
    add(name, content, options = {}) {
      entries++;
      const file = options.stored === true ? new ZipPassThrough(name) : new ZipDeflate(name, { level: 6 });
      file.mtime = mtime;
      zip.add(file);
      file.push(typeof content === 'string' ? encoder.encode(content) : content, true);
      check();
    },
    end() {
      zip.end();
      check();
    },
    get entries() {
      return entries;
    },
  };
}
