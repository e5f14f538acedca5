/** FileChanges are the archive paths a commit adds, modifies and deletes. */
export interface FileChanges {
  added: string[];
  modified: string[];
  deleted: string[];
}

const ARTICLE = /^articles\/([^/]+)\//;

/**
 * planCommitMessage summarises a publish for `git log`: a subject with the new and edited article
 * counts, then one line per source (by name), then what else changed (images, lists, status).
 *
 * @example
 * planCommitMessage({ added: ['articles/rfi/2023/10/20/1815-x.md'], modified: [], deleted: [] }, new Map([['rfi', '法广 RFI']]))
 * // 'Mirror: 1 new article\n\n法广 RFI (rfi): 1 new\n'
 */
export function planCommitMessage(changes: FileChanges, sourceNames: ReadonlyMap<string, string>): string {
  const perSource = new Map<string, { added: number; edited: number; deleted: number }>();
  const count = (paths: string[], field: 'added' | 'edited' | 'deleted') => {
    for (const path of paths) {
      const source = ARTICLE.exec(path)?.[1];
      // An earlier version's file (`….versions/v<N>.md`) comes with its article's edit, counted once.
      if (!source || path.includes('.versions/')) continue;
      const entry = perSource.get(source) ?? { added: 0, edited: 0, deleted: 0 };
      entry[field]++;
      perSource.set(source, entry);
    }
  };
  count(changes.added, 'added');
  count(changes.modified, 'edited');
  count(changes.deleted, 'deleted');
  const total = (field: 'added' | 'edited' | 'deleted') => [...perSource.values()].reduce((sum, entry) => sum + entry[field], 0);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts: string[] = [];
  if (total('added')) parts.push(plural(total('added'), 'new article'));
  if (total('edited')) parts.push(`${total('edited')} edited`);
  if (total('deleted')) parts.push(`${total('deleted')} removed`);
  const media = [...changes.added, ...changes.modified].filter((path) => path.startsWith('media/')).length;
  if (media) parts.push(plural(media, 'image'));
  const subject = `Mirror: ${parts.length ? parts.join(', ') : 'lists and status'}`;
  const lines = [...perSource.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([id, entry]) => {
      const counts = [entry.added && `${entry.added} new`, entry.edited && `${entry.edited} edited`, entry.deleted && `${entry.deleted} removed`].filter(Boolean);
      return `${sourceNames.get(id) ?? id} (${id}): ${counts.join(', ')}`;
    });
  return `${subject}\n\n${lines.length ? `${lines.join('\n')}\n` : ''}`;
}
