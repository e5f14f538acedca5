import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, readFile, realpath, rename, rm, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { NewsmirrorError, classifyEnvironmentError } from '../../core/errors.js';
import type { ArchiveWriter } from '../../core/ports.js';

/** TEMPORARY_PREFIX starts the name of every temporary file; removeStaleTemporaries deletes what a killed run left. */
export const TEMPORARY_PREFIX = '.tmp-';

const TEMPORARY_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;

/** ArchiveWriterOptions tunes durability against speed. */
export interface ArchiveWriterOptions {
  /**
   * fsync each file before the rename (default true), so a power cut cannot leave a renamed but empty
   * file. A killed process cannot leave a half file either way: the rename is what makes it visible.
   */
  syncFiles?: boolean;
  /** Also fsync the folder after the rename (default false), so the rename itself survives a power cut. */
  syncDirectories?: boolean;
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
  // Folders already checked (or created) by this writer; a sync writes thousands of files into few folders.
  const knownFolders = new Set<string>();
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
      let target: string;
      if (knownFolders.has(folderKey)) {
        target = join(base, ...segments);
      } else {
        target = await resolveInside(base, segments, true);
        knownFolders.add(folderKey);
      }
      const existing = await readUnlessLink(target, relativePath);
      if (existing !== undefined && existing.equals(bytes)) return false;
      const folder = join(target, '..');
      const temporary = join(folder, `${TEMPORARY_PREFIX}${randomBytes(8).toString('hex')}`);
      try {
        let handle;
        try {
          handle = await open(temporary, TEMPORARY_FLAGS, 0o644);
        } catch (cause) {
          if (!isCode(cause, 'ENOENT')) throw cause;
          // The folder was removed since this writer checked it: check and create it again.
          knownFolders.delete(folderKey);
          await resolveInside(base, segments, true);
          knownFolders.add(folderKey);
          handle = await open(temporary, TEMPORARY_FLAGS, 0o644);
        }
        try {
          await handle.writeFile(bytes);
          if (syncFiles) await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temporary, target);
      } catch (cause) {
        await rm(temporary, { force: true }).catch(() => undefined);
        throw archiveError(`cannot write ${relativePath}`, cause);
      }
      if (syncDirectories) await syncDirectory(folder);
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

/**
 * resolveInside joins segments to the real root, checking every existing component: a symlink is
 * followed only when it stays inside the root. With `create`, missing folders are made (after the
 * check, so mkdir never walks through a link that leads out).
 */
async function resolveInside(realRoot: string, segments: string[], create: boolean): Promise<string> {
  let current = realRoot;
  for (let i = 0; i < segments.length; i++) {
    const isLast = i === segments.length - 1;
    const next = join(current, segments[i]!);
    let info;
    try {
      info = await lstat(next);
    } catch (cause) {
      if (!isCode(cause, 'ENOENT')) throw archiveError(`cannot inspect ${segments.slice(0, i + 1).join('/')}`, cause);
      if (create && !isLast) {
        const folder = join(current, ...segments.slice(i, -1));
        await makeFolder(folder).catch((cause: unknown) => {
          throw archiveError(`cannot create folder ${segments.slice(0, -1).join('/')}`, cause);
        });
      }
      return join(current, ...segments.slice(i));
    }
    if (info.isSymbolicLink()) {
      // Renaming over a link would replace the link, and reading it would follow it: refuse both.
      if (isLast && create) throw archiveError(`refused path ${segments.join('/')}: the target is a symbolic link`);
      const resolved = await realpath(next).catch((cause: unknown) => {
        throw archiveError(`cannot resolve link ${segments.slice(0, i + 1).join('/')}`, cause);
      });
      if (!isInside(realRoot, resolved)) {
        throw archiveError(`refused path ${segments.join('/')}: ${segments.slice(0, i + 1).join('/')} links outside the archive`);
      }
      current = resolved;
    } else {
      if (!isLast && !info.isDirectory()) throw archiveError(`refused path ${segments.join('/')}: ${segments.slice(0, i + 1).join('/')} is not a folder`);
      current = next;
    }
  }
  return current;
}

/**
 * makeFolder is `mkdir -p` that reports the real cause: Node's recursive mkdir says ENOENT when the
 * file system refuses a level (EROFS, EACCES), so on ENOENT the levels are made one at a time.
 */
async function makeFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (cause) {
    if (!isCode(cause, 'ENOENT')) throw cause;
    const parent = dirname(folder);
    if (parent !== folder) await makeFolder(parent);
    await mkdir(folder).catch((error: unknown) => {
      if (!isCode(error, 'EEXIST')) throw error;
    });
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
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

async function syncDirectory(folder: string): Promise<void> {
  const handle = await open(folder, constants.O_RDONLY);
  try {
    await handle.sync();
  } catch (cause) {
    // Some file systems refuse fsync on a folder (EINVAL, EISDIR); the rename has happened anyway.
    if (!isCode(cause, 'EINVAL') && !isCode(cause, 'EISDIR') && !isCode(cause, 'EPERM')) throw archiveError(`cannot sync ${folder}`, cause);
  } finally {
    await handle.close();
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

// A failure of the machine (read-only, permission, full disk) gets its own code, the cause and a hint.
function archiveError(message: string, cause?: unknown): NewsmirrorError {
  const problem = cause === undefined ? undefined : classifyEnvironmentError(cause);
  if (problem) return new NewsmirrorError(problem.code, 'archive', `${message}: ${problem.reason}`, { cause, hint: problem.hint });
  return new NewsmirrorError('archive', 'archive', message, cause === undefined ? {} : { cause });
}
