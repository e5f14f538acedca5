import type { ArticleListItem } from '../ports.js';
import { escapeTitle } from './article-file.js';
import { formatListTime, listPath, monthListPath, relativeLink } from './path.js';

/** LIST_LIMIT is how many of a source's newest articles `lists/<id>.md` shows; older ones are in the monthly lists. */
export const LIST_LIMIT = 300;

/** ListSource names a source in list headings. */
export interface ListSource {
  id: string;
  name: string;
}

// A list line: `YYYY-MM-DD HH:mm [title](path)`, separated by blank lines as in the original lists, so
// that every article is its own paragraph on GitHub and still one line in a diff.
// An article removed at its source keeps its line, marked.
function renderLines(fromFile: string, items: ArticleListItem[], timeZone: string, removed: ReadonlySet<string>): string[] {
  return items.map(
    (item) =>
      `${formatListTime(item.published, timeZone)} [${escapeTitle(item.title) || item.id}](${relativeLink(fromFile, item.path)})${removed.has(item.id) ? REMOVED_MARK : ''}`,
  );
}

/** REMOVED_MARK follows the line of an article whose removal at the source is confirmed. */
export const REMOVED_MARK = ' · 〔原文已删除 removed〕';

const NONE: ReadonlySet<string> = new Set();

function joinParagraphs(lines: string[]): string {
  return lines.join('\n\n');
}

/**
 * renderSourceList renders `lists/<id>.md`: a heading, one line per article (newest first, at most
 * LIST_LIMIT) as `YYYY-MM-DD HH:mm [title](../articles/…)` in `timeZone`, then links to the monthly
 * lists `lists/<id>/<YYYY-MM>.md` (`months` newest first). Articles in `removed` are marked (REMOVED_MARK).
 */
export function renderSourceList(source: ListSource, items: ArticleListItem[], months: string[], timeZone: string, removed: ReadonlySet<string> = NONE): string {
  const file = listPath(source.id);
  const parts = [`# ${headingText(source.name)}`, `最新文章 · Latest articles (${timeZone})`];
  const lines = renderLines(file, items.slice(0, LIST_LIMIT), timeZone, removed);
  parts.push(lines.length > 0 ? joinParagraphs(lines) : '（暂无文章 · no articles yet）');
  if (months.length > 0) {
    parts.push('## 按月 · By month');
    parts.push(joinParagraphs(months.map((month) => `[${month}](${relativeLink(file, monthListPath(source.id, month))})`)));
  }
  return `${parts.join('\n\n')}\n`;
}

/**
 * renderMonthList renders `lists/<id>/<YYYY-MM>.md`: every article of the month (as given, newest
 * first), with links relative to `lists/<id>/` and a link back to the source list; articles in `removed` marked.
 */
export function renderMonthList(source: ListSource, month: string, items: ArticleListItem[], timeZone: string, removed: ReadonlySet<string> = NONE): string {
  const file = monthListPath(source.id, month);
  const parts = [
    `# ${headingText(source.name)} · ${month}`,
    `[← ${headingText(source.name)}](${relativeLink(file, listPath(source.id))}) · ${items.length} 篇 · articles (${timeZone})`,
  ];
  const lines = renderLines(file, items, timeZone, removed);
  if (lines.length > 0) parts.push(joinParagraphs(lines));
  return `${parts.join('\n\n')}\n`;
}

/**
 * headingText keeps a configured source name on one line and stops it from opening links or HTML:
 * `&`, `<`, `>` become entities (as in titles) and the Markdown characters get a backslash.
 */
export function headingText(name: string): string {
  return name
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    .replace(/[\\[\]*_`#|~]/g, (c) => `\\${c}`);
}
