import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** TreeEntry is one file of a snapshot. */
export interface TreeEntry {
  sha: string;
  mtimeMs: number;
}

/** snapshotTree hashes every file below `root` (skipping .git and the lock), keyed by relative path. */
export async function snapshotTree(root: string): Promise<Map<string, TreeEntry>> {
  const out = new Map<string, TreeEntry>();
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name === '.git' || entry.name === '.newsmirror.lock') continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else {
        const [bytes, info] = await Promise.all([readFile(full), stat(full)]);
        out.set(relative(root, full), { sha: createHash('sha256').update(bytes).digest('hex'), mtimeMs: info.mtimeMs });
      }
    }
  };
  await walk(root);
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}
