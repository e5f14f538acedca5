import { mkdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { NewsmirrorError } from '../../core/errors.js';
import type { MediaBlobs } from '../../core/ports.js';
import { resolveInside, writeFileAtomic } from '../archive/index.js';

/**
 * MediaSink is where the image mirror keeps the bytes it downloads, by media path: the archive's disk
 * (one process, `sync` and `run`) or the store's MediaBlobs (a worker, which must not write a local
 * disk; the archiver writes them out with flushMediaBlobs). The mirror has one code path over either.
 */
export interface MediaSink {
  /** stored tells whether a copy of `path` is kept, of exactly `size` bytes when a size is given. */
  stored(path: string, size: number | undefined): Promise<boolean>;
  /** put keeps `bytes` under `path`; throws a NewsmirrorError when it cannot. */
  put(path: string, bytes: Uint8Array): Promise<void>;
}

/**
 * createDiskMediaSink keeps images below `root` (the folder that holds `media/`), each written
 * atomically like the archive's files: no folder on the way may link outside the root.
 *
 * @example
 * const sink = createDiskMediaSink(config.media.dir ?? config.archive);
 */
export function createDiskMediaSink(root: string): MediaSink {
  let realRoot: Promise<string> | undefined;
  const mediaRoot = (): Promise<string> => {
    realRoot ??= mkdir(root, { recursive: true })
      .then(() => realpath(root))
      .catch((cause: unknown) => {
        realRoot = undefined;
        throw cause;
      });
    return realRoot;
  };
  return {
    async stored(path, size) {
      const info = await stat(join(root, path)).catch(() => undefined);
      return info !== undefined && info.isFile() && (size === undefined || info.size === size);
    },
    async put(path, bytes) {
      try {
        const target = await resolveInside(await mediaRoot(), path.split('/'), true);
        await writeFileAtomic(target, bytes);
      } catch (error) {
        throw new NewsmirrorError('archive', 'media', `cannot write ${path}`, { cause: error });
      }
    },
  };
}

/**
 * createBlobMediaSink keeps images in the store (MediaBlobs), content-addressed, pending until the
 * archiver writes them to the archive's media folder.
 *
 * @example
 * const sink = createBlobMediaSink(await openPostgresMediaBlobs(url, { schema }));
 */
export function createBlobMediaSink(blobs: MediaBlobs): MediaSink {
  return {
    async stored(path, size) {
      const kept = await blobs.size(path);
      return kept !== undefined && (size === undefined || kept === size);
    },
    put(path, bytes) {
      return blobs.put(path, bytes);
    },
  };
}
