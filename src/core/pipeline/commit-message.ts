/** FileChanges are the archive paths a commit adds, modifies and deletes. */
export interface FileChanges {
  added: string[];
  modified: string[];
  deleted: string[];
}

const ARTICLE = /^articles\/([^/]+)\//;

type Count = 'added' | 'edited' | 'updated' | 'deleted';

/**
 * planCommitMessage summarises a publish for `git log`: a subject with the new, edited and updated
 * article counts, then one line per source (by name), then what else changed (images, lists, status).
 * An edit writes the earlier version beside its article (`….versions/v<N>.md`); an article file that
 * changed without one was updated in place (its images mirrored, a removal at the source noted), and
 * is not called edited.
 *
 * @example
 * planCommitMessage({ added: ['articles/rfi/2023/10/20/1815-x.md'], modified: [], deleted: [] }, new Map([['rfi', '法广 RFI']]))
 * // 'Mirror: 1 new article\n\n法广 RFI (rfi): 1 new\n'
 */
export function planCommitMessage(changes: FileChanges, sourceNames: ReadonlyMap<string, string>): string {
  const perSource = new Map<string, Record<Count, number>>();
  const versioned = new Set(changes.added.filter((path) => path.includes('.versions/')).map((path) => path.replace(/\.versions\/[^/]+$/, '.md')));
  const count = (paths: string[], field: (path: string) => Count) => {
    for (const path of paths) {
      const source = ARTICLE.exec(path)?.[1];
      // An earlier version's file comes with its article's edit, counted once.
      if (!source || path.includes('.versions/')) continue;
      const entry = perSource.get(source) ?? { added: 0, edited: 0, updated: 0, deleted: 0 };
      entry[field(path)]++;
      perSource.set(source, entry);
    }
  };
  count(changes.added, () => 'added');
  count(changes.modified, (path) => (versioned.has(path) ? 'edited' : 'updated'));
  count(changes.deleted, () => 'deleted');
  const total = (field: Count) => [...perSource.values()].reduce((sum, entry) => sum + entry[field], 0);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const words = (entry: Record<Count, number>, added: string) =>
    [entry.added && `${entry.added} ${added}`, entry.edited && `${entry.edited} edited`, entry.updated && `${entry.updated} updated`, entry.deleted && `${entry.deleted} removed`].filter(Boolean);
  const totals = { added: total('added'), edited: total('edited'), updated: total('updated'), deleted: total('deleted') };
  const parts = words(totals, totals.added === 1 ? 'new article' : 'new articles');
  const media = [...changes.added, ...changes.modified].filter((path) => path.startsWith('media/')).length;
  if (media) parts.push(plural(media, 'image'));
  const subject = `Mirror: ${parts.length ? parts.join(', ') : 'lists and status'}`;
  const lines = [...perSource.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([id, entry]) => `${sourceNames.get(id) ?? id} (${id}): ${words(entry, 'new').join(', ')}`);
  return `${subject}\n\n${lines.length ? `${lines.join('\n')}\n` : ''}`;
}
