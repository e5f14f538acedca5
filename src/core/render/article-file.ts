import type { Article, Removal, RemovalEvidence } from '../model/index.js';
import { formatBlocks } from './blocks.js';

/**
 * ARCHIVE_META_FORMAT is the version of the trailing metadata comment; bump it when fields change
 * meaning. Format 2 escapes titles for Markdown and HTML (escapeTitle); format 1 files escaped only
 * `\`, `[` and `]`, and the reader still reads them that way.
 */
export const ARCHIVE_META_FORMAT = 2;

const META_PREFIX = '<!-- newsmirror: ';
const META_SUFFIX = ' -->';

/**
 * ArchiveMeta is the trailing `<!-- newsmirror: {…} -->` comment of an article file: what the store
 * needs, besides title, link and body, to be rebuilt from the archive files alone.
 */
export interface ArchiveMeta {
  format: number;
  id: string;
  source: string;
  key: string;
  guid?: string;
  canonicalUrl: string;
  /** The feed's link, only when the link line had to percent-encode it (a space or parenthesis). */
  url?: string;
  published: number;
  dateMissing: boolean;
  updated?: number;
  firstSeen: number;
  lastSeen: number;
  contentHash: string;
  version: number;
  method: string;
  authors: string[];
  categories: string[];
  /** The site's column, when the title rules took it out of the title. */
  column?: string;
  /** When the removal of the article at the source was confirmed; only while it stands. */
  removedAt?: number;
  /** The gone checks that confirmed the removal (time, HTTP status, final URL, matched rule). */
  removalEvidence?: RemovalEvidence[];
}

/** ParsedArticleFile is what the one reader of the archive format gets back from a file. */
export interface ParsedArticleFile {
  /** The `<!--ms-->` header; undefined when absent or not a number (`<!--NaN-->`). */
  published?: number;
  title: string;
  /** The link exactly as written in the file (percent-encoded as given). */
  link: string;
  /** Everything after the `------` line and its blank line, without the final newline and metadata. */
  body: string;
  /** The trailing metadata of files newsmirror wrote; undefined for files of the original system. */
  meta?: ArchiveMeta;
  /**
   * The `日期：<RFC 822 date>` line that header-less CDT files of the original system carry as the first
   * body line, as epoch ms. The line stays in `body`, as in the original file.
   */
  dateLine?: number;
}

/**
 * escapeTitle puts a title, which is plain text, on one line for the `[title](link)` line of article
 * files and lists: runs of ASCII whitespace and line separators become one space (ideographic spaces,
 * common in Chinese titles, are kept); `&`, `<`, `>` become entities, so no title opens an HTML tag or
 * a `<!--` comment that would hide the rest of a list on a git host; and the Markdown characters that
 * would end the link text or start a code span or emphasis (`\` `[` `]` `` ` `` `*` `_` `~`) get a
 * backslash. A renderer shows exactly the title; readArchiveTitle undoes it.
 *
 * @example escapeTitle('<img onerror=x> [视频] `a`') // '&lt;img onerror=x&gt; \\[视频\\] \\`a\\`'
 */
export function escapeTitle(title: string): string {
  return collapseTitle(title).replace(TITLE_SPECIALS, (c) => TITLE_ENTITIES[c] ?? `\\${c}`);
}

const TITLE_SPECIALS = /[&<>\\[\]`*_~]/g;
const TITLE_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ENTITY_TEXT: Record<string, string> = { amp: '&', lt: '<', gt: '>' };

/** collapseTitle is the title as an archive file keeps it: one line, whitespace runs collapsed, trimmed. */
export function collapseTitle(title: string): string {
  return title.replace(/[ \t\n\v\f\r\u0085\u2028\u2029]+/g, ' ').trim();
}

/**
 * readArchiveTitle turns the text inside `[…]` back into the title, by the escaping of the file's
 * format: format 2 and later undo escapeTitle (a backslash before any ASCII punctuation, as CommonMark
 * reads it, and the three entities); format 1 files escaped only `\`, `[`, `]`; files of the original
 * system (no metadata, `format` undefined) wrote titles as the feed gave them.
 */
function readArchiveTitle(inner: string, format: number | undefined): string {
  if (format === undefined) return inner;
  if (format < 2) return inner.replace(/\\([\\[\]])/g, '$1');
  return inner.replace(/\\([!-/:-@[-`{-~])|&(amp|lt|gt);/g, (_, escaped: string | undefined, entity: string | undefined) => escaped ?? ENTITY_TEXT[entity as string] ?? '');
}

/**
 * encodeLink makes a URL safe inside `(…)` of a Markdown link: spaces, parentheses, angle brackets and
 * control characters are percent-encoded; everything else stays as the feed gave it.
 */
export function encodeLink(url: string): string {
  return url.replace(/[\s()<>\p{Cc}]/gu, (c) => encodeURIComponent(c).replace(/[()]/g, (p) => (p === '(' ? '%28' : '%29')));
}

/**
 * renderArticleFile renders an article in the seed's format:
 * `<!--{published}-->`, `[{title}]({link})`, `------`, a blank line, the body with one block element
 * per line, then a `<!-- newsmirror: {json} -->` line. The JSON cannot close the comment: `--`, `<`
 * and `>` inside it are written as JSON escapes. A confirmed, standing `removal` adds `removedAt` and
 * its evidence to the metadata.
 *
 * @example renderArticleFile(article).split('\n').slice(0, 4) // the seed's first four lines
 */
export function renderArticleFile(article: Article, removal?: Removal): string {
  const link = encodeLink(article.url);
  const meta: ArchiveMeta = {
    format: ARCHIVE_META_FORMAT,
    id: article.id,
    source: article.sourceId,
    key: article.key,
    ...(article.guid === undefined ? {} : { guid: article.guid }),
    canonicalUrl: article.canonicalUrl,
    ...(link === article.url ? {} : { url: article.url }),
    published: article.published,
    dateMissing: article.dateMissing,
    ...(article.updated === undefined ? {} : { updated: article.updated }),
    firstSeen: article.firstSeen,
    lastSeen: article.lastSeen,
    contentHash: article.contentHash,
    version: article.version,
    method: article.method,
    authors: article.authors,
    categories: article.categories,
    ...(article.column === undefined ? {} : { column: article.column }),
    ...(removal?.confirmedAt === undefined || removal.withdrawnAt !== undefined ? {} : { removedAt: removal.confirmedAt, removalEvidence: removal.evidence }),
  };
  const header = `<!--${Math.trunc(article.published)}-->\n[${escapeTitle(article.title)}](${link})\n------\n\n`;
  return `${header}${formatBlocks(article.bodyHtml)}\n${META_PREFIX}${commentSafeJson(meta)}${META_SUFFIX}\n`;
}

// JSON.stringify only emits `-`, `<` and `>` inside strings, where a \u escape means the same character.
function commentSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[<>]/g, (c) => (c === '<' ? '\\u003c' : '\\u003e'))
    .replace(/--/g, '-\\u002d');
}

/**
 * parseArticleFile is the one reader of the archive format, for files newsmirror writes and for the
 * original system's files: a missing or `NaN` header, the header-less CDT layout (`日期：` line), titles
 * with unescaped `]`, titles broken over several lines, bodies on one line, CRLF line ends.
 * It never throws: what it cannot find comes back empty or undefined.
 */
export function parseArticleFile(text: string): ParsedArticleFile {
  let t = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const firstNewline = t.indexOf('\n');
  // A clone with CRLF conversion rewrites every line end; a lone \r inside an attribute is content.
  if (firstNewline > 0 && t.charCodeAt(firstNewline - 1) === 0x0d) t = t.replace(/\r\n/g, '\n');

  let pos = 0;
  let published: number | undefined;
  const header = /^<!--[ \t]*([^\n]*?)[ \t]*-->[ \t]*(?:\n|$)/.exec(t);
  if (header && !t.startsWith(META_PREFIX)) {
    const value = header[1] ?? '';
    if (/^-?\d{1,16}$/.test(value)) published = Number(value);
    pos = header[0].length;
  }

  const rule = findRuleLine(t, pos);
  let titleBlock: string;
  if (rule === undefined) {
    const lineEnd = t.indexOf('\n', pos);
    titleBlock = lineEnd < 0 ? t.slice(pos) : t.slice(pos, lineEnd);
    pos = lineEnd < 0 ? t.length : lineEnd + 1;
  } else {
    titleBlock = t.slice(pos, Math.max(pos, rule.start - 1));
    pos = rule.end;
    if (t.charCodeAt(pos) === 0x0a) pos++;
  }

  let body = t.slice(pos);
  let meta: ArchiveMeta | undefined;
  const withoutFinal = body.endsWith('\n') ? body.slice(0, -1) : body;
  const lastBreak = withoutFinal.lastIndexOf('\n');
  const lastLine = withoutFinal.slice(lastBreak + 1);
  if (lastLine.startsWith(META_PREFIX) && lastLine.endsWith(META_SUFFIX)) {
    meta = readMeta(lastLine.slice(META_PREFIX.length, -META_SUFFIX.length));
  }
  body = meta === undefined ? withoutFinal : withoutFinal.slice(0, Math.max(0, lastBreak));

  const { title, link } = splitTitleLine(titleBlock, meta?.format);
  const parsed: ParsedArticleFile = { title, link, body };
  if (published !== undefined) parsed.published = published;
  if (meta !== undefined) parsed.meta = meta;
  if (published === undefined) {
    const dateLine = /^日期：([^\n]+)/.exec(body);
    const time = dateLine ? Date.parse(dateLine[1]!.trim()) : Number.NaN;
    if (!Number.isNaN(time)) parsed.dateLine = time;
  }
  return parsed;
}

// The `------` line that ends the title block; a title may span lines in the original files.
function findRuleLine(t: string, from: number): { start: number; end: number } | undefined {
  const pattern = /^------[ \t]*$/gm;
  pattern.lastIndex = from;
  const match = pattern.exec(t);
  if (!match) return undefined;
  const end = match.index + match[0].length;
  return { start: match.index, end: t.charCodeAt(end) === 0x0a ? end + 1 : end };
}

// `[title](link)`: the link starts after the last `](` (our titles escape `]`, our links encode `(`;
// the original's titles may hold a bare `]`, as in `[视频]…`).
function splitTitleLine(block: string, format: number | undefined): { title: string; link: string } {
  let inner = block.trim().length === 0 ? '' : block.replace(/^[ \t]*\[/, '');
  let link = '';
  const trimmedEnd = inner.replace(/[ \t]+$/, '');
  const separator = trimmedEnd.endsWith(')') ? trimmedEnd.lastIndexOf('](') : -1;
  if (separator >= 0) {
    link = trimmedEnd.slice(separator + 2, -1).trim();
    inner = trimmedEnd.slice(0, separator);
  } else if (trimmedEnd.endsWith(']')) {
    inner = trimmedEnd.slice(0, -1);
  }
  let title = readArchiveTitle(inner, format);
  // A feed title ending in "\n\n" split the original's title line; join it back.
  if (title.includes('\n')) title = title.replace(/[ \t]*\n[\s]*/g, ' ').trim();
  return { title, link };
}

function readMeta(json: string): ArchiveMeta | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const str = (k: string): boolean => typeof v[k] === 'string';
  const num = (k: string): boolean => typeof v[k] === 'number' && Number.isFinite(v[k]);
  const optional = (k: string, check: (k: string) => boolean): boolean => v[k] === undefined || check(k);
  const strings = (k: string): boolean => Array.isArray(v[k]) && (v[k] as unknown[]).every((x) => typeof x === 'string');
  const valid =
    num('format') && str('id') && str('source') && str('key') && optional('guid', str) && str('canonicalUrl') &&
    optional('url', str) && num('published') && typeof v.dateMissing === 'boolean' && optional('updated', num) &&
    num('firstSeen') && num('lastSeen') && str('contentHash') && num('version') && str('method') &&
    strings('authors') && strings('categories') && optional('column', str) &&
    optional('removedAt', num) && (v.removalEvidence === undefined || isEvidence(v.removalEvidence));
  return valid ? (v as unknown as ArchiveMeta) : undefined;
}

function isEvidence(value: unknown): value is RemovalEvidence[] {
  return (
    Array.isArray(value) &&
    value.every((item: unknown) => {
      if (typeof item !== 'object' || item === null) return false;
      const e = item as Record<string, unknown>;
      return typeof e.at === 'number' && typeof e.finalUrl === 'string' && typeof e.rule === 'string' && (e.status === undefined || typeof e.status === 'number');
    })
  );
}

/**
 * removalFromFile is the confirmed removal a file's metadata records, or undefined when it records none.
 */
export function removalFromFile(meta: ArchiveMeta): Removal | undefined {
  if (meta.removedAt === undefined) return undefined;
  const evidence = meta.removalEvidence ?? [];
  return { articleId: meta.id, sourceId: meta.source, firstGoneAt: evidence[0]?.at ?? meta.removedAt, confirmedAt: meta.removedAt, evidence };
}

/**
 * articleFromFile rebuilds a stored article from a parsed file newsmirror wrote and its archive path;
 * undefined for a file without (valid) metadata, such as one from the original system.
 */
export function articleFromFile(parsed: ParsedArticleFile, path: string): Article | undefined {
  const meta = parsed.meta;
  if (meta === undefined) return undefined;
  const article: Article = {
    id: meta.id,
    sourceId: meta.source,
    key: meta.key,
    url: meta.url ?? parsed.link,
    canonicalUrl: meta.canonicalUrl,
    title: parsed.title,
    bodyHtml: parsed.body,
    published: meta.published,
    dateMissing: meta.dateMissing,
    firstSeen: meta.firstSeen,
    contentHash: meta.contentHash,
    version: meta.version,
    path,
    method: meta.method,
    authors: [...meta.authors],
    categories: [...meta.categories],
    lastSeen: meta.lastSeen,
  };
  if (meta.guid !== undefined) article.guid = meta.guid;
  if (meta.updated !== undefined) article.updated = meta.updated;
  if (meta.column !== undefined) article.column = meta.column;
  return article;
}
