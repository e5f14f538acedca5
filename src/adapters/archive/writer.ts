import { closeSync, constants, openSync, readFileSync } from 'node:fs';
import { open, readdir, readFile, realpath, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { ArchiveWriter } from '../../core/ports.js';
import { archiveError, BLOCKING_FOLDER_CALLS, isCode, resolveInside, syncPath, TEMPORARY_PREFIX, writeFileAtomic, writeFileAtomicSync, type ResolveOptions } from './safe-fs.js';

/** ArchiveWriterOptions tunes durability against speed. */
export interface ArchiveWriterOptions {
  /**
   * fsync each file before the rename (default true), so a power cut cannot leave a renamed but empty
   * file. A killed process cannot leave a half file either way: the rename is what makes it visible.
   */
  syncFiles?: boolean;
  /** Also fsync the folder after the rename (default false), so the rename itself survives a power cut. */
  syncDirectories?: boolean;
  /**
   * Read and write each file with blocking calls (default false): for a writer on a thread of its
   * own, where blocking holds nothing else up and each call saves two hand-offs to libuv's thread
   * pool. Folders are still checked and made as without it.
   */
  blocking?: boolean;
}

/**
 * createArchiveWriter writes below `root` atomically (a `.tmp-<random>` file in the target's own
 * folder, written and fsynced, then renamed over the target) and only when the content differs from
 * the bytes already there. Paths are archive-relative with `/`; absolute paths, `..`, `.`, empty
 * segments, NUL, backslashes and symlinks leading outside the root are refused with an `archive` error.
 */
export function createArchiveWriter(root: string, options: ArchiveWriterOptions = {}): ArchiveWriter {
  const syncFiles = options.syncFiles ?? true;
  const syncDirectories = options.syncDirectories ?? false;
  const blocking = options.blocking ?? false;
  const atomicWrite = async (target: string, bytes: Buffer): Promise<void> => {
    if (!blocking) return writeFileAtomic(target, bytes, { syncFile: syncFiles, syncFolder: syncDirectories });
    writeFileAtomicSync(target, bytes, { syncFile: syncFiles });
    if (syncDirectories) await syncPath(dirname(target));
  };
  // Folders already checked (or created) by this writer; a sync writes thousands of files into few folders.
  const knownFolders = new Set<string>();
  const checking = new Map<string, Promise<string>>();
  // A new folder is checked from its nearest folder this writer already checked (an article's
  // `.versions` folder from its day's), not from the root again.
  const resolveOptions = (segments: string[]): ResolveOptions => {
    let checked = Math.max(0, segments.length - 2);
    while (checked > 0 && !knownFolders.has(segments.slice(0, checked).join('/'))) checked--;
    return { calls: blocking ? BLOCKING_FOLDER_CALLS : undefined, checked };
  };
  let realRoot: Promise<string> | undefined;
  const rootReal = (): Promise<string> => {
    realRoot ??= realpath(root).catch((cause: unknown) => {
      realRoot = undefined;
      throw archiveError(`archive root ${root} is not readable`, cause);
    });
    return realRoot;
  };

  return {
    async write(relativePath, content) {
      const segments = checkRelativePath(relativePath, false);
      const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
      const folderKey = segments.slice(0, -1).join('/');
      const base = await rootReal();
      // Writes into a folder still being checked wait for that check rather than repeat it.
      if (!knownFolders.has(folderKey)) await checking.get(folderKey)?.catch(() => undefined);
      let target: string;
      if (knownFolders.has(folderKey)) {
        target = join(base, ...segments);
      } else {
        const check = resolveInside(base, segments, true, resolveOptions(segments));
        checking.set(folderKey, check);
        try {
          target = await check;
        } finally {
          checking.delete(folderKey);
        }
        knownFolders.add(folderKey);
      }
      const existing = blocking ? readUnlessLinkSync(target, relativePath) : await readUnlessLink(target, relativePath);
      if (existing !== undefined && existing.equals(bytes)) return false;
      try {
        try {
          await atomicWrite(target, bytes);
        } catch (cause) {
          if (!isCode(cause, 'ENOENT')) throw cause;
          // The folder was removed since this writer checked it: check and create it again.
          knownFolders.delete(folderKey);
          await resolveInside(base, segments, true, { calls: resolveOptions(segments).calls });
          knownFolders.add(folderKey);
          await atomicWrite(target, bytes);
        }
      } catch (cause) {
        throw archiveError(`cannot write ${relativePath}`, cause);
      }
      return true;
    },

    async read(relativePath) {
      const segments = checkRelativePath(relativePath, false);
      const target = await resolveInside(await rootReal(), segments, false);
      const bytes = await readIfFile(target, relativePath);
      return bytes?.toString('utf8');
    },

    async list(relativeFolder) {
      const segments = checkRelativePath(relativeFolder, true);
      const base = await rootReal();
      const folder = await resolveInside(base, segments, false);
      const files: string[] = [];
      await walk(folder, segments.join('/'), files);
      return files.sort(compareStrings);
    },
  };
}

/**
 * removeStaleTemporaries deletes every `.tmp-*` file below `root` (outside `.git`) that a killed run left
 * behind, and returns how many it removed. Call it at start, before any writer of this archive runs.
 */
export async function removeStaleTemporaries(root: string): Promise<number> {
  let removed = 0;
  const visit = async (folder: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (cause) {
      if (isCode(cause, 'ENOENT')) return;
      throw archiveError(`cannot list ${folder}`, cause);
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git') await visit(path);
      } else if (entry.name.startsWith(TEMPORARY_PREFIX) && (entry.isFile() || entry.isSymbolicLink())) {
        await unlink(path).catch((cause: unknown) => {
          if (!isCode(cause, 'ENOENT')) throw archiveError(`cannot remove ${path}`, cause);
        });
        removed++;
      }
    }
  };
  await visit(root);
  return removed;
}

// Returns the path segments, or throws: the path must stay a plain archive-relative path.
function checkRelativePath(relativePath: string, folder: boolean): string[] {
  if (typeof relativePath !== 'string') throw archiveError('path is not a string');
  if (folder && (relativePath === '' || relativePath === '.')) return [];
  const refuse = (why: string): never => {
    throw archiveError(`refused path ${JSON.stringify(relativePath)}: ${why}`);
  };
  if (relativePath.length === 0) refuse('empty');
  if (relativePath.includes('\0')) refuse('NUL character');
  if (relativePath.includes('\\')) refuse('backslash');
  if (relativePath.startsWith('/') || isAbsolute(relativePath) || /^[A-Za-z]:/.test(relativePath)) refuse('absolute');
  const segments = (folder ? relativePath.replace(/\/$/, '') : relativePath).split('/');
  for (const segment of segments) {
    if (segment === '..') refuse('parent segment');
    if (segment === '.' || segment === '') refuse('empty or "." segment');
  }
  if (!folder && segments[segments.length - 1]!.startsWith(TEMPORARY_PREFIX)) refuse('reserved temporary name');
  return segments;
}

async function readIfFile(path: string, relativePath: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (cause) {
    if (isCode(cause, 'ENOENT')) return undefined;
    throw archiveError(`cannot read ${relativePath}`, cause);
  }
}

// O_NOFOLLOW: a symlink at the target is refused even when its folder was checked earlier (the
// rename would replace the link, but comparing would read whatever it points to).
async function readUnlessLink(path: string, relativePath: string): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (cause) {
    if (isCode(cause, 'ENOENT')) return undefined;
    if (isCode(cause, 'ELOOP')) throw archiveError(`refused path ${relativePath}: the target is a symbolic link`, cause);
    throw archiveError(`cannot read ${relativePath}`, cause);
  }
  try {
    return await handle.readFile();
  } catch (cause) {
    throw archiveError(`cannot read ${relativePath}`, cause);
  } finally {
    await handle.close();
  }
}

function readUnlessLinkSync(path: string, relativePath: string): Buffer | undefined {
  let fd;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (cause) {
    if (isCode(cause, 'ENOENT')) return undefined;
    if (isCode(cause, 'ELOOP')) throw archiveError(`refused path ${relativePath}: the target is a symbolic link`, cause);
    throw archiveError(`cannot read ${relativePath}`, cause);
  }
  try {
    return readFileSync(fd);
  } catch (cause) {
    throw archiveError(`cannot read ${relativePath}`, cause);
  } finally {
    closeSync(fd);
  }
}

async function walk(folder: string, prefix: string, files: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (cause) {
    if (isCode(cause, 'ENOENT') || isCode(cause, 'ENOTDIR')) return;
    throw archiveError(`cannot list ${prefix || '.'}`, cause);
  }
  for (const entry of entries) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (entry.name !== '.git') await walk(join(folder, entry.name), path, files);
    } else if (entry.isFile() && !entry.name.startsWith(TEMPORARY_PREFIX)) {
      files.push(path);
    }
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

