import type { Health } from '../model/index.js';
import type { SourceSummary } from '../ports.js';
import { formatListTime, listPath, relativeLink } from './path.js';
import { escapeTitle } from './article-file.js';
import { headingText } from './lists.js';

/** ReadmeSource is one row of the archive README. */
export interface ReadmeSource {
  id: string;
  name: string;
  summary: SourceSummary;
  health: Health;
  lastError?: string;
  /** Articles whose removal at the source is confirmed. */
  removed?: number;
}

const HEALTH_LABEL: Record<Health, string> = {
  ok: '✅ 正常 ok',
  failing: '❌ 出错 failing',
  stale: '⚠️ 停更 stale',
  never: '— 未抓取 never fetched',
};

/** README_ERROR_LENGTH caps the error text shown per source so one long message cannot bloat the table. */
const README_ERROR_LENGTH = 160;

/**
 * renderArchiveReadme renders the archive's root README.md: what the archive is (Chinese and English),
 * then a table of every source (sorted by id) with its article count, newest article time in `timeZone`,
 * health and a link to its list; once any article was removed at its source, a column counts the removals
 * per source and links `lists/removed.md`. It holds no "generated at" time: the same input gives the same bytes,
 * so the file is rewritten only when something in it changed.
 */
export function renderArchiveReadme(sources: ReadmeSource[], options: { timeZone: string; title?: string }): string {
  const { timeZone } = options;
  const removals = sources.reduce((sum, source) => sum + (source.removed ?? 0), 0);
  const rows = [...sources]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((source) => {
      const newest = source.summary.newestPublished === undefined ? '—' : formatListTime(source.summary.newestPublished, timeZone);
      let health = HEALTH_LABEL[source.health];
      if (source.lastError !== undefined && source.health !== 'ok') health += `: ${tableCell(truncate(source.lastError, README_ERROR_LENGTH))}`;
      const name = `[${headingText(source.name)}](${relativeLink('README.md', listPath(source.id))})`;
      return `| ${name} | \`${source.id}\` | ${source.summary.articleCount} |${removals > 0 ? ` ${source.removed ?? 0} |` : ''} ${newest} | ${health} |`;
    });
  const total = sources.reduce((sum, source) => sum + source.summary.articleCount, 0);
  return [
    `# ${headingText(options.title ?? 'newsmirror 新闻镜像')}`,
    '',
    '本仓库自动镜像中文国际新闻网站的 RSS 文章，供无法直接访问这些网站的读者阅读。每篇文章是 `articles/` 下的一个文件，`lists/` 下按来源列出最新文章和每月目录。',
    '',
    'This repository automatically mirrors articles from the feeds of Chinese-language international news sites, for readers who cannot reach them directly. Each article is one file under `articles/`; `lists/` indexes each source by newest article and by month.',
    '',
    `时间为 ${timeZone} 时区 · Times are in ${timeZone}. 共 ${total} 篇 · ${total} articles.`,
    ...(removals > 0 ? ['', `原文已删除 ${removals} 篇 · ${removals} removed at the source: [lists/removed.md](lists/removed.md).`] : []),
    '',
    removals > 0 ? '| 来源 Source | ID | 文章 Articles | 已删除 Removed | 最新 Newest | 状态 Health |' : '| 来源 Source | ID | 文章 Articles | 最新 Newest | 状态 Health |',
    removals > 0 ? '| --- | --- | ---: | ---: | --- | --- |' : '| --- | --- | ---: | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/**
 * tableCell puts text (a source name, an error message) in a Markdown table cell: on one line, escaped
 * as titles are (no HTML tag or comment, no code span), with `|` escaped so the row keeps its columns.
 */
export function tableCell(text: string): string {
  return escapeTitle(text).replace(/\|/g, '\\|');
}

function truncate(text: string, length: number): string {
  const chars = [...text];
  return chars.length <= length ? text : `${chars.slice(0, length - 1).join('')}…`;
}
