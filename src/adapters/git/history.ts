/**
 * Reading an old archive's whole history with two git processes, whatever its size: one `git log`
 * streaming every commit that touched the folders (oldest first, with the blob ids it wrote, NUL
 * separated so that any path survives), and one long-lived `git cat-file --batch` answering for
 * the blobs. Nothing is held beyond two groups of commits' files (the group read and the one read
 * ahead), so memory does not grow with the history.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { NewsmirrorError } from '../../core/errors.js';
import type { ArchiveHistory, HistoryCommit, HistoryFile } from '../../core/import/index.js';
import { createGitContext, type GitOptions } from './repo.js';
import { GIT_CONFIG_ARGS, git, failureText, type GitContext } from './run.js';

/** GitHistoryOptions says which repository and which of its files the walk reads. */
export interface GitHistoryOptions extends GitOptions {
  /** The folders walked, repository-relative, each with a trailing slash (default `['articles/']`). */
  folders?: readonly string[];
  /** Keeps only the paths worth reading (default: every file under the folders). */
  accept?: (path: string) => boolean;
}

/** BLOBS_PER_REQUEST bounds the blobs asked of cat-file at once, and so the bytes buffered. */
const BLOBS_PER_REQUEST = 64;

/** COMMITS_PER_GROUP bounds the commits read ahead together (most touch a few files each). */
const COMMITS_PER_GROUP = 32;

const ZERO_BLOB = /^0+$/;

/**
 * openGitHistory walks the history of a local clone at `dir` (every commit reachable from HEAD that
 * touched the folders, merges' sides included, in commit time order with parents first). The
 * repository is only read. Call `close` when done, also after a failure.
 *
 * @example
 * const history = openGitHistory('/srv/news');
 * for await (const commit of history.commits()) console.log(commit.commit, commit.files.length);
 * await history.close();
 */
export function openGitHistory(dir: string, options: GitHistoryOptions = {}): ArchiveHistory {
  const context = createGitContext(dir, options);
  const folders = options.folders ?? ['articles/'];
  const accept = options.accept ?? (() => true);
  let blobs: BlobReader | undefined;
  return {
    async *commits() {
      const reader = (blobs ??= new BlobReader(context));
      const entries = logEntries(context, folders);
      const readNext = (): Promise<HistoryCommit[]> => {
        const reading = readGroup(reader, entries, accept);
        // Marked handled: a failure while the caller is busy surfaces at its next await, not as an unhandled rejection.
        reading.catch(() => undefined);
        return reading;
      };
      // One group of commits is read ahead while the caller works on the current one: git and the import overlap.
      let ahead = readNext();
      try {
        for (let group = await ahead; group.length > 0; group = await ahead) {
          ahead = readNext();
          yield* group;
        }
      } finally {
        await ahead.catch(() => undefined);
        await entries.return(undefined);
      }
    },
    async headBlobs() {
      const listing = await git(context, ['ls-tree', '-r', '-z', 'HEAD', '--', ...folders]);
      const found = new Set<string>();
      for (const record of listing.split('\0')) {
        const match = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(record);
        if (match && accept(match[2] as string)) found.add(match[1] as string);
      }
      return found;
    },
    async close() {
      await blobs?.close();
      blobs = undefined;
    },
  };
}

// The next commits of the log, up to COMMITS_PER_GROUP or BLOBS_PER_REQUEST blobs (a commit is
// never split), their blobs asked of cat-file together: with one request per commit, writing the
// ids to cat-file's stdin took a tenth of an import's time in a profile.
async function readGroup(blobs: BlobReader, entries: AsyncGenerator<LogEntry>, accept: (path: string) => boolean): Promise<HistoryCommit[]> {
  const group: { entry: LogEntry; wanted: LogEntry['changes'] }[] = [];
  let count = 0;
  while (group.length < COMMITS_PER_GROUP && count < BLOBS_PER_REQUEST) {
    const next = await entries.next();
    if (next.done === true) break;
    const wanted = next.value.changes.filter((change) => change.blob !== undefined && accept(change.path));
    group.push({ entry: next.value, wanted });
    count += wanted.length;
  }
  const ids = group.flatMap(({ wanted }) => wanted.map((change) => change.blob as string));
  const contents: Uint8Array[] = [];
  for (let start = 0; start < ids.length; start += BLOBS_PER_REQUEST) contents.push(...(await blobs.read(ids.slice(start, start + BLOBS_PER_REQUEST))));
  let read = 0;
  return group.map(({ entry, wanted }) => {
    const files: HistoryFile[] = wanted.map((change) => ({ path: change.path, blob: change.blob as string, bytes: contents[read++] as Uint8Array }));
    const deleted = entry.changes.filter((change) => change.blob === undefined && accept(change.path)).map((change) => change.path);
    return { commit: entry.commit, time: entry.time, files, deleted };
  });
}

interface LogEntry {
  commit: string;
  time: number;
  /** A file written (blob id) or deleted (no blob). */
  changes: { path: string; blob?: string }[];
}

function spawnGit(context: GitContext, args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn('git', [...GIT_CONFIG_ARGS, ...args], { cwd: context.dir, env: context.env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
}

// `git log -z --raw`: tokens separated by NUL; a commit line `<hash> <ct> <parents>`, then for each
// file a `:<modes> <old> <new> <status>` token followed by the path token.
//
// The log has no pathspec: with one, git tests every commit against its parents for the folders
// before it diffs it again for --raw, which was 45 % of the log's processor time over the bench's
// history (D32). Without one, the walk keeps what `git log --full-history -- <folders>` kept: a
// commit that changed a path under the folders, and a merge that differs there from at least one of
// its parents (git drops a merge TREESAME to all of them), which `-m` tells by diffing it against each parent in turn
// (the same commit line again before each). A merge still has no files of its own: its sides' commits
// are walked.
async function* logEntries(context: GitContext, folders: readonly string[]): AsyncGenerator<LogEntry> {
  const args = ['log', '-z', '--raw', '-m', '--no-renames', '--no-abbrev', '--reverse', '--date-order', '--format=%H %ct %P', 'HEAD'];
  const child = spawnGit(context, args);
  child.stdin.end();
  const stderr: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) => reject(new NewsmirrorError('git', 'git', `cannot run git: ${error.code ?? 'spawn failed'}`, { hint: 'install git and put it on PATH' })));
    child.on('close', (code) => resolve(code ?? -1));
  });
  const inFolders = (path: string): boolean => folders.some((folder) => path.startsWith(folder));
  let current: LogEntry | undefined;
  let merge = false;
  let touched = false;
  let pendingStatus: { blob?: string } | undefined;
  let carry: Buffer = Buffer.alloc(0);
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      carry = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
      let start = 0;
      for (let nul = carry.indexOf(0, start); nul >= 0; nul = carry.indexOf(0, start)) {
        const token = carry.toString('utf8', start, nul);
        start = nul + 1;
        if (pendingStatus !== undefined) {
          if (inFolders(token)) {
            touched = true;
            if (!merge) current?.changes.push({ path: token, ...pendingStatus });
          }
          pendingStatus = undefined;
          continue;
        }
        const raw = token.replace(/^\n/, '');
        if (raw.startsWith(':')) {
          const [, newMode, , newBlob, status] = raw.slice(1).split(' ');
          // Submodules and symlinks are no article files; a deletion has no new blob.
          const isFile = newMode === '100644' || newMode === '100755';
          pendingStatus = status === 'D' || ZERO_BLOB.test(newBlob ?? '') || !isFile ? {} : { blob: newBlob as string };
          continue;
        }
        // A root commit's line ends in the space before its (no) parents.
        const header = /^([0-9a-f]{40,64}) (\d+) ((?:[0-9a-f]{40,64} ?)*)$/.exec(raw);
        if (!header) continue;
        // A merge's diff against its next parent.
        if (merge && current?.commit === header[1]) continue;
        if (current && touched) yield current;
        current = { commit: header[1] as string, time: Number(header[2]) * 1000, changes: [] };
        merge = (header[3] as string).includes(' ');
        touched = false;
      }
      carry = carry.subarray(start);
    }
    if (current && touched) yield current;
  } finally {
    if (child.exitCode === null) child.kill();
  }
  const code = await exited;
  if (code !== 0) {
    throw new NewsmirrorError('git', 'git', `git log of ${folders.join(' ')} in ${context.dir}: exit ${code}: ${failureText(context, Buffer.concat(stderr).toString('utf8'))}`, {
      hint: 'the path must be a local clone of the archive with at least one commit',
    });
  }
}

/**
 * BlobReader is one `git cat-file --batch` for the whole walk: blob ids in on stdin, `<id> blob
 * <size>\n<bytes>\n` out, read back in order.
 */
class BlobReader {
  private readonly child: ChildProcessWithoutNullStreams;
  private pending: Buffer = Buffer.alloc(0);
  private ended = false;
  private wake: (() => void) | undefined;
  private readonly stderr: Buffer[] = [];
  private readonly context: GitContext;

  constructor(context: GitContext) {
    this.context = context;
    this.child = spawnGit(context, ['cat-file', '--batch']);
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
      this.notify();
    });
    this.child.stdout.on('end', () => {
      this.ended = true;
      this.notify();
    });
    this.child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    this.child.on('error', () => {
      this.ended = true;
      this.notify();
    });
    this.child.stdin.on('error', () => undefined);
  }

  async read(blobIds: string[]): Promise<Uint8Array[]> {
    this.child.stdin.write(blobIds.map((id) => `${id}\n`).join(''));
    const contents: Uint8Array[] = [];
    for (const id of blobIds) {
      const lineEnd = await this.waitFor(() => {
        const index = this.pending.indexOf(0x0a);
        return index < 0 ? undefined : index;
      });
      const header = this.pending.toString('utf8', 0, lineEnd);
      this.pending = this.pending.subarray(lineEnd + 1);
      const match = /^([0-9a-f]+) blob (\d+)$/.exec(header);
      if (!match || match[1] !== id) throw new NewsmirrorError('git', 'git', `git cat-file: blob ${id}: ${header || 'no answer'}`);
      const size = Number(match[2]);
      await this.waitFor(() => (this.pending.length >= size + 1 ? size : undefined));
      // A copy: `pending` is one buffer shared by every blob of the answer.
      contents.push(Uint8Array.prototype.slice.call(this.pending, 0, size));
      this.pending = this.pending.subarray(size + 1);
    }
    return contents;
  }

  private async waitFor<T>(ready: () => T | undefined): Promise<T> {
    for (;;) {
      const value = ready();
      if (value !== undefined) return value;
      if (this.ended) {
        throw new NewsmirrorError('git', 'git', `git cat-file --batch stopped: ${failureText(this.context, Buffer.concat(this.stderr).toString('utf8')) || 'no output'}`);
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const closed = new Promise<void>((resolve) => this.child.on('close', () => resolve()));
    this.child.stdin.end();
    await closed;
  }
}
