/**
 * The pure reader of one file of a duty-machine archive (the system newsmirror continues): its path
 * (`articles/<site>/<id>[_<title>].md`) and its text, in every variant the real archives hold. The
 * article format itself is read by the one reader of the archive format (`parseArticleFile`); this
 * module only adds what is particular to old files: Jekyll front matter around the block, the
 * `日期：` line of header-less CDT files, and the path's folder and old id.
 */
import type { Entry } from '../model/index.js';
import { parseArticleFile } from '../render/index.js';

/** DUTYMACHINE_FOLDERS maps the original archive's site folders to newsmirror's source ids. */
export const DUTYMACHINE_FOLDERS: Readonly<Record<string, string>> = {
  法广: 'rfi',
  BBC: 'bbc',
  美国之音: 'voa',
  德国之声: 'dw',
  纽约时报: 'nytimes',
  路透: 'reuters',
  金融时报: 'ft',
  自由亚洲电台: 'rfa',
  中国数字时代: 'cdt',
};

/** DutyMachinePath is what an article path of the old archive says: its site folder, old id and title. */
export interface DutyMachinePath {
  folder: string;
  /** The numeric file id of the old system (a counter that was reused: never an identity). */
  oldId: string;
  /** The title part of `<id>_<title>.md`; undefined for `<id>.md`. */
  title?: string;
}

/**
 * parseDutyMachinePath reads `articles/<folder>/<id>[_<title>].md`; undefined for any other path
 * (lists, README, a nested folder, a file that is not Markdown).
 *
 * @example parseDutyMachinePath('articles/法广/1048058_中国.md') // { folder: '法广', oldId: '1048058', title: '中国' }
 */
export function parseDutyMachinePath(path: string): DutyMachinePath | undefined {
  const match = /^articles\/([^/]+)\/(\d+)(?:_([^/]*))?\.md$/su.exec(path);
  if (!match) return undefined;
  const parsed: DutyMachinePath = { folder: match[1] as string, oldId: match[2] as string };
  if (match[3] !== undefined && match[3] !== '') parsed.title = match[3];
  return parsed;
}

/** UnreadableReason says why a file version gave no article; reports count them by reason. */
export type UnreadableReason = 'empty' | 'no-link' | 'bad-link';

/** DutyMachineFile is one file version read: an entry as a feed would have given it, or why not. */
export type DutyMachineFile =
  | { ok: true; entry: Entry; format: 'header' | 'dateline' | 'bare' | 'jekyll' }
  | { ok: false; reason: UnreadableReason };

/**
 * readDutyMachineFile turns the text of one old article file into the entry it was made from: title,
 * link, the old body as `content` (the raw item newsmirror keeps, cleaned like a feed's body) and
 * `published` from the `<!--ms-->` header, else the `日期：` line (which is taken out of the body: it
 * is metadata, and a CDT file rewritten later with a header must hash the same), else a Jekyll `date:`.
 * It never throws; a file without a usable link is unreadable, because the link is the identity.
 *
 * @example readDutyMachineFile('<!--1593597319000-->\n[标题](https://www.rfi.fr/cn/x)\n------\n\n<p>正文</p>\n')
 */
export function readDutyMachineFile(text: string): DutyMachineFile {
  const { block, front } = splitFrontMatter(text.startsWith('\uFEFF') ? text.slice(1) : text);
  if (block.trim() === '') return { ok: false, reason: 'empty' };
  const parsed = parseArticleFile(block);
  if (parsed.link === '') return { ok: false, reason: 'no-link' };
  if (!/^https?:\/\//i.test(parsed.link)) return { ok: false, reason: 'bad-link' };

  let content = parsed.body;
  let published = parsed.published;
  let format: 'header' | 'dateline' | 'bare' | 'jekyll' = published === undefined ? 'bare' : 'header';
  if (published === undefined && parsed.dateLine !== undefined) {
    published = parsed.dateLine;
    content = content.replace(/^日期：[^\n]*\n*/, '');
    format = 'dateline';
  }
  if (front !== undefined) {
    format = 'jekyll';
    published ??= front.date;
  }
  const title = parsed.title || front?.title;
  const entry: Entry = { link: parsed.link, content, authors: [], categories: [], enclosures: [] };
  if (title) entry.title = title;
  if (published !== undefined) entry.published = published;
  return { ok: true, entry, format };
}

interface FrontMatter {
  title?: string;
  date?: number;
}

// `---` … `---` at the very start: the forks' Jekyll `_posts` wrap the same block in it.
function splitFrontMatter(text: string): { block: string; front?: FrontMatter } {
  const t = text.replace(/^---\r\n/, '---\n');
  if (!t.startsWith('---\n')) return { block: text };
  const end = /\r?\n---[ \t]*(?:\r?\n|$)/.exec(t.slice(3));
  if (!end) return { block: text };
  const yaml = t.slice(4, 3 + end.index);
  const front: FrontMatter = {};
  for (const line of yaml.split(/\r?\n/)) {
    const field = /^(title|date):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!field) continue;
    const value = (field[2] as string).replace(/^(["'])(.*)\1$/, '$2');
    if (field[1] === 'title' && value !== '') front.title = value;
    if (field[1] === 'date') {
      const time = Date.parse(value);
      if (!Number.isNaN(time)) front.date = time;
    }
  }
  return { block: t.slice(3 + end.index + end[0].length), front };
}
