import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** CORPUS_DIR is ../shared/corpus beside the checkout (CI lays shared/ there too). */
export const CORPUS_DIR = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
/** SEED_FILE is the seed article in the original archive format. */
export const SEED_FILE = fileURLToPath(new URL('../../../shared/seed/rfi-article.md', import.meta.url));

/** CorpusRow is one archived article of corpus/dutymachine/articles.jsonl. */
export interface CorpusRow {
  source: string;
  path: string;
  pubDate: number | null;
  title: string;
  link: string;
  html: string;
  flags: string[];
}

/** SOURCE_IDS maps the original archive's folder names to our stable source ids. */
export const SOURCE_IDS: Record<string, string> = {
  法广: 'rfi',
  路透: 'reuters',
  美国之音: 'voa',
  德国之声: 'dw',
  中国数字时代: 'cdt',
  金融时报: 'ft',
  自由亚洲电台: 'rfa',
  BBC: 'bbc',
  纽约时报: 'nytimes',
};

let cached: CorpusRow[] | undefined;

/** loadCorpusRows reads every row of articles.jsonl once per process. */
export function loadCorpusRows(): CorpusRow[] {
  cached ??= readFileSync(`${CORPUS_DIR}dutymachine/articles.jsonl`, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CorpusRow);
  return cached;
}

/** FeedItem is what buildRss writes for one item; undefined fields are left out, as broken feeds do. */
export interface FeedItem {
  title?: string;
  link?: string;
  guid?: string;
  pubDate?: number;
  html?: string;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function cdata(text: string): string {
  return `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** buildRss renders a feedx-like RSS 2.0 document (full text in `description`, as feedx sends it). */
export function buildRss(channel: { title: string; link: string }, items: FeedItem[]): string {
  const body = items
    .map((item) => {
      const parts = ['<item>'];
      if (item.title !== undefined) parts.push(`<title>${escapeXml(item.title)}</title>`);
      if (item.link !== undefined) parts.push(`<link>${escapeXml(item.link)}</link>`);
      if (item.guid !== undefined) parts.push(`<guid isPermaLink="false">${escapeXml(item.guid)}</guid>`);
      if (item.pubDate !== undefined) parts.push(`<pubDate>${new Date(item.pubDate).toUTCString()}</pubDate>`);
      if (item.html !== undefined) parts.push(`<description>${cdata(item.html)}</description>`);
      parts.push('</item>');
      return parts.join('');
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${escapeXml(channel.title)}</title><link>${escapeXml(channel.link)}</link><description>test</description>\n${body}\n</channel></rss>\n`;
}

/** rowToItem turns a corpus row into a feed item (no date when the archive had none). */
export function rowToItem(row: CorpusRow): FeedItem {
  return { title: row.title, link: row.link, pubDate: row.pubDate ?? undefined, html: row.html };
}
