// The file-system safety of the archive, shared by the archive writer and the media mirror (whose
// files live in the archive folder or a sibling): paths that stay inside a root, and atomic writes.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, lstatSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, writeSync, type MakeDirectoryOptions, type Stats } from 'node:fs';
import { lstat, mkdir, open, realpath, rename, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { NewsmirrorError, classifyEnvironmentError } from '../../core/errors.js';

/** TEMPORARY_PREFIX starts the name of every temporary file; removeStaleTemporaries deletes what a killed run left. */
export const TEMPORARY_PREFIX = '.tmp-';

const TEMPORARY_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;

/** AtomicWriteOptions says how durable one atomic write is. */
export interface AtomicWriteOptions {
  /**
   * fsync the file before the rename (default true), so a power cut cannot leave a renamed but empty
   * file. A killed process cannot leave a half file either way: the rename is what makes it visible.
   */
  syncFile?: boolean;
  /** Also fsync the folder after the rename (default false), so the rename itself survives a power cut. */
  syncFolder?: boolean;
}

/**
 * writeFileAtomic writes `bytes` to `target` through a `.tmp-<random>` file in the target's folder,
 * written (and fsynced) then renamed over the target: a reader sees the old file or the new one, never
 * a part. A symbolic link at the target is refused, as renaming would replace the link. The folder
 * must exist; on failure the temporary file is removed and the file-system error is thrown as is
 * (ENOENT when the folder has gone), for the caller to name the stage.
 */
export async function writeFileAtomic(target: string, bytes: Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const info = await lstat(target).catch((cause: unknown) => {
    if (isCode(cause, 'ENOENT')) return undefined;
    throw cause;
  });
  if (info?.isSymbolicLink() === true) throw archiveError(`refused path ${target}: the target is a symbolic link`);
  const folder = dirname(target);
  const temporary = join(folder, `${TEMPORARY_PREFIX}${randomBytes(8).toString('hex')}`);
  try {
    const handle = await open(temporary, TEMPORARY_FLAGS, 0o644);
    try {
      await handle.writeFile(bytes);
      if (options.syncFile ?? true) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (cause) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw cause;
  }
  if (options.syncFolder === true) await syncPath(folder);
}

/**
 * writeFileAtomicSync is writeFileAtomic with blocking calls and no folder sync (the caller syncs the
 * folder when it must), for a thread that does nothing but write: each asynchronous call would cost
 * two hand-offs to libuv's thread pool and back.
 */
export function writeFileAtomicSync(target: string, bytes: Uint8Array, options: Pick<AtomicWriteOptions, 'syncFile'> = {}): void {
  if (lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink() === true) throw archiveError(`refused path ${target}: the target is a symbolic link`);
  const temporary = join(dirname(target), `${TEMPORARY_PREFIX}${randomBytes(8).toString('hex')}`);
  try {
    const fd = openSync(temporary, TEMPORARY_FLAGS, 0o644);
    try {
      for (let written = 0; written < bytes.byteLength;) written += writeSync(fd, bytes, written);
      if (options.syncFile ?? true) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, target);
  } catch (cause) {
    rmSync(temporary, { force: true });
    throw cause;
  }
}

/** FolderCalls are the file system calls resolveInside makes. */
export interface FolderCalls {
  lstat(path: string): Promise<Stats>;
  realpath(path: string): Promise<string>;
  mkdir(path: string, options?: MakeDirectoryOptions): Promise<unknown>;
}

const ASYNC_FOLDER_CALLS: FolderCalls = { lstat, realpath, mkdir };

/**
 * BLOCKING_FOLDER_CALLS are resolveInside's calls made blocking behind a promise, for a thread that
 * does nothing but write (see writeFileAtomicSync).
 */
export const BLOCKING_FOLDER_CALLS: FolderCalls = {
  lstat: async (path) => lstatSync(path),
  realpath: async (path) => realpathSync(path),
  mkdir: async (path, options) => mkdirSync(path, options),
};

/** ResolveOptions: the calls to make, and how many leading segments are folders already checked. */
export interface ResolveOptions {
  calls?: FolderCalls;
  /** The first `checked` segments are folders this caller resolved before: checking starts below them. */
  checked?: number;
}

/**
 * resolveInside joins segments to the real root, checking every existing component: a symlink is
 * followed only when it stays inside the root. With `create`, missing folders are made (after the
 * check, so mkdir never walks through a link that leads out).
 */
export async function resolveInside(realRoot: string, segments: string[], create: boolean, options: ResolveOptions = {}): Promise<string> {
  const { calls = ASYNC_FOLDER_CALLS, checked = 0 } = options;
  let current = join(realRoot, ...segments.slice(0, checked));
  for (let i = checked; i < segments.length; i++) {
    const isLast = i === segments.length - 1;
    const next = join(current, segments[i]!);
    let info;
    try {
      info = await calls.lstat(next);
    } catch (cause) {
      if (!isCode(cause, 'ENOENT')) throw archiveError(`cannot inspect ${segments.slice(0, i + 1).join('/')}`, cause);
      if (create && !isLast) {
        await makeFolder(join(current, ...segments.slice(i, -1)), calls).catch((cause: unknown) => {
          throw archiveError(`cannot create folder ${segments.slice(0, -1).join('/')}`, cause);
        });
      }
      return join(current, ...segments.slice(i));
    }
    if (info.isSymbolicLink()) {
      // Renaming over a link would replace the link, and reading it would follow it: refuse both.
      if (isLast && create) throw archiveError(`refused path ${segments.join('/')}: the target is a symbolic link`);
      const resolved = await calls.realpath(next).catch((cause: unknown) => {
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
async function makeFolder(folder: string, calls: FolderCalls): Promise<void> {
  try {
    await calls.mkdir(folder, { recursive: true });
  } catch (cause) {
    if (!isCode(cause, 'ENOENT')) throw cause;
    const parent = dirname(folder);
    if (parent !== folder) await makeFolder(parent, calls);
    await calls.mkdir(folder).catch((error: unknown) => {
      if (!isCode(error, 'EEXIST')) throw error;
    });
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * syncPath fsyncs a file or a folder. Some file systems refuse fsync on a folder (EINVAL, EISDIR,
 * EPERM): that is no failure, the rename has happened anyway. With `missingOk`, a path gone since it
 * was written has nothing left to make durable.
 */
export async function syncPath(path: string, options: { missingOk?: boolean } = {}): Promise<void> {
  const handle = await open(path, constants.O_RDONLY).catch((cause: unknown) => {
    if (options.missingOk === true && isCode(cause, 'ENOENT')) return undefined;
    throw cause;
  });
  if (handle === undefined) return;
  try {
    await handle.sync();
  } catch (cause) {
    if (!isCode(cause, 'EINVAL') && !isCode(cause, 'EISDIR') && !isCode(cause, 'EPERM')) throw archiveError(`cannot sync ${path}`, cause);
  } finally {
    await handle.close();
  }
}

/** isCode tells whether a thrown value is a Node.js system error with this `code`. */
export function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/**
 * archiveError is a NewsmirrorError of the archive stage; a failure of the machine (read-only,
 * permission, full disk) gets its own code, the cause and a hint.
 */
export function archiveError(message: string, cause?: unknown): NewsmirrorError {
  const problem = cause === undefined ? undefined : classifyEnvironmentError(cause);
  if (problem) return new NewsmirrorError(problem.code, 'archive', `${message}: ${problem.reason}`, { cause, hint: problem.hint });
  return new NewsmirrorError('archive', 'archive', message, cause === undefined ? {} : { cause });
}
