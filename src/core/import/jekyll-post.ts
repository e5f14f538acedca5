/**
 * The forks' Jekyll posts: `_posts/*.md` files holding the same article block inside front matter
 * (read by readDutyMachineFile). Such a post has no site folder; its front matter's first category
 * names the site instead (`categories: [ 法广 ]`, `categories: 法广`, `category: 法广`, or a YAML
 * block list), and is mapped to a source like a folder.
 */

/** DUTYMACHINE_TREES are the folders an import walks: the original's articles and the forks' posts. */
export const DUTYMACHINE_TREES: readonly string[] = ['articles/', '_posts/'];

/** JEKYLL_UNCATEGORIZED stands for the site of a post whose front matter names no category. */
export const JEKYLL_UNCATEGORIZED = '_posts';

/**
 * isJekyllPostPath is true for a Markdown file under the top-level `_posts/` folder (Jekyll also
 * reads its subfolders).
 *
 * @example isJekyllPostPath('_posts/2020-07-01-标题.md') // true
 */
export function isJekyllPostPath(path: string): boolean {
  return /^_posts\/(?:[^/]+\/)*[^/]+\.md$/su.test(path);
}

/**
 * jekyllCategory reads the first category of a post's front matter; undefined when the text has no
 * front matter or it names none. Jekyll splits a plain `categories:` string on spaces.
 *
 * @example jekyllCategory('---\ncategories: [ 法广 ]\n---\n…') // '法广'
 */
export function jekyllCategory(text: string): string | undefined {
  const front = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text)?.[1];
  if (front === undefined) return undefined;
  const lines = front.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    const field = /^(?:categories|category):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!field) continue;
    const value = field[1] as string;
    if (value === '') {
      const item = /^[ \t]*-[ \t]*(.+?)[ \t]*$/.exec(lines[index + 1] ?? '');
      return item ? unquote(item[1] as string) : undefined;
    }
    const list = /^\[(.*)\]$/.exec(value);
    const first = list ? (list[1] as string).split(',')[0] : value.split(/[ \t]+/)[0];
    const category = unquote((first ?? '').trim());
    return category === '' ? undefined : category;
  }
  return undefined;
}

function unquote(value: string): string {
  return value.replace(/^(["'])(.*)\1$/, '$2');
}
