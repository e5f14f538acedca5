/**
 * exportEpub writes the chosen articles as an EPUB 3 book, streamed: chapter by chapter (one day of
 * one source), each chapter's bodies read from the store, rendered and compressed into the zip before
 * the next is read, so only the table of contents (ids and titles) grows with the book.
 */
import { NewsmirrorError } from '../core/errors.js';
import { sha256Hex } from '../core/identity/index.js';
import type { ArticleListItem, Clock, Store } from '../core/ports.js';
import { formatListTime } from '../core/render/index.js';
import { dayKey } from '../web/params.js';
import { toSimplified } from '../web/variant.js';
import {
  BOOK_CSS,
  BOOK_ROOT,
  CORE_IMAGE_TYPES,
  EPUB_MIMETYPE,
  chapterFile,
  containerXml,
  renderChapter,
  renderNav,
  renderNcx,
  renderPackage,
  type BookArticle,
  type ChapterEntry,
  type MediaEntry,
} from './book.js';
import { parseBody, renderXhtmlBody } from './xhtml.js';
import { MAX_ENTRIES, createZipStream, type ZipSink } from './zip.js';

/** BATCH is how many bodies are read from the store at once. */
const BATCH = 100;
const BOOK_LANG = 'zh-Hans';

/** EpubSource is a source as the book names it. */
export interface EpubSource {
  id: string;
  name: string;
}

/** EpubExportDeps are the ports a book is read from and written to. */
export interface EpubExportDeps {
  store: Store;
  sources: EpubSource[];
  timeZone: string;
  clock: Clock;
  /** Bytes of a mirrored media file (`media/ab/<sha>.<ext>`), undefined when it is missing. */
  readMedia(path: string): Promise<Uint8Array | undefined>;
  /** Receives the book's bytes in order. */
  sink: ZipSink;
}

/** EpubExportOptions chooses the articles: some sources, a range of publication times (`from` inclusive, `to` exclusive). */
export interface EpubExportOptions {
  sourceIds?: string[];
  from?: number;
  to?: number;
}

/** EpubExportReport counts what the book holds. */
export interface EpubExportReport {
  articles: number;
  chapters: number;
  /** Mirrored images the book carries. */
  images: number;
  /** Images shown as their alt text: not mirrored, missing from the media folder, or of a type e-readers need not show. */
  imagesLeftOut: number;
}

/**
 * exportEpub streams the book of the chosen articles to `deps.sink`; it refuses an empty selection
 * (a book needs a chapter) and one that would need more zip entries than fflate can write.
 *
 * @example
 * await exportEpub({ store, sources, timeZone, clock, readMedia, sink: (chunk) => writeSync(fd, chunk) }, { sourceIds: ['bbc'] })
 */
export async function exportEpub(deps: EpubExportDeps, options: EpubExportOptions = {}): Promise<EpubExportReport> {
  const wanted = options.sourceIds === undefined ? deps.sources : deps.sources.filter((source) => options.sourceIds?.includes(source.id));
  const order = new Map(wanted.map((source, index) => [source.id, index]));
  const names = new Map(wanted.map((source) => [source.id, source.name]));
  const items: (ArticleListItem & { day: string })[] = [];
  for (const source of wanted) {
    for (const item of await deps.store.listArticles(source.id, { from: options.from, to: options.to })) items.push({ ...item, day: dayKey(item.published, deps.timeZone) });
  }
  if (items.length === 0) throw new NewsmirrorError('usage', 'archive', 'no article matches: an EPUB needs at least one');
  items.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0) || (order.get(a.sourceId) ?? 0) - (order.get(b.sourceId) ?? 0) || a.published - b.published || (a.id < b.id ? -1 : 1));

  const groups: (typeof items)[] = [];
  for (const item of items) {
    const last = groups.at(-1);
    if (last !== undefined && last[0]?.day === item.day && last[0].sourceId === item.sourceId) last.push(item);
    else groups.push([item]);
  }
  const known = new Map<string, boolean>();
  // The mimetype, the container, the chapters, and the four files written at the end.
  if (groups.length + 6 > MAX_ENTRIES) {
    throw new NewsmirrorError('usage', 'archive', `${groups.length} chapters are more than one EPUB can hold`, { hint: 'choose fewer days with --from/--to' });
  }

  const now = deps.clock.now();
  const zip = createZipStream(deps.sink, now);
  zip.add('mimetype', EPUB_MIMETYPE, { stored: true });
  zip.add('META-INF/container.xml', containerXml());

  const report: EpubExportReport = { articles: items.length, chapters: groups.length, images: 0, imagesLeftOut: 0 };
  const chapters: ChapterEntry[] = [];
  const media: MediaEntry[] = [];
  const time = (epochMs: number): string => formatListTime(epochMs, deps.timeZone);
  // Whether the book carries a media file: read (and added) the first time an image shows it.
  const carry = async (path: string): Promise<void> => {
    if (known.has(path)) return;
    const type = CORE_IMAGE_TYPES[path.slice(path.lastIndexOf('.') + 1)];
    // Images only take the zip entries the chapters still to come and the last four files leave.
    const room = MAX_ENTRIES - zip.entries - (groups.length - chapters.length) - 4;
    const bytes = type === undefined || room <= 0 ? undefined : await deps.readMedia(path);
    known.set(path, bytes !== undefined);
    if (bytes === undefined || type === undefined) return;
    // Photos are compressed already; only SVG gains from deflate.
    zip.add(`${BOOK_ROOT}${path}`, bytes, { stored: type !== 'image/svg+xml' });
    media.push({ file: path, type });
  };

  for (const group of groups) {
    const first = group[0] as (typeof items)[number];
    const entry: ChapterEntry = { file: chapterFile(chapters.length + 1), day: first.day, sourceName: names.get(first.sourceId) ?? first.sourceId, articles: [] };
    const articles: BookArticle[] = [];
    for (let start = 0; start < group.length; start += BATCH) {
      const slice = group.slice(start, start + BATCH);
      const byId = new Map((await deps.store.getArticles(slice.map((item) => item.id))).map((article) => [article.id, article]));
      for (const item of slice) {
        const article = byId.get(item.id);
        if (article === undefined) continue;
        const body = parseBody(article.bodyHtml);
        for (const path of body.media) await carry(path);
        const xhtml = renderXhtmlBody(body, (path) => (known.get(path) === true ? `../${path}` : undefined));
        report.imagesLeftOut += body.media.filter((path) => known.get(path) !== true).length;
        entry.articles.push({ id: article.id, title: article.title });
        articles.push({
          id: article.id,
          title: article.title,
          sourceName: entry.sourceName,
          lang: languageOf(`${article.title}${article.bodyHtml.slice(0, 4000).replace(/<[^>]*>/g, '')}`),
          time: time(article.published),
          datetime: new Date(article.published).toISOString(),
          url: article.url,
          authors: article.authors,
          body: xhtml,
        });
      }
    }
    chapters.push(entry);
    zip.add(`${BOOK_ROOT}${entry.file}`, renderChapter(entry, articles, BOOK_LANG));
  }
  report.images = media.length;

  const meta = {
    identifier: bookIdentifier(wanted.map((source) => source.id), options),
    title: bookTitle(wanted, deps.sources.length, chapters),
    lang: BOOK_LANG,
    modified: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  zip.add(`${BOOK_ROOT}style.css`, BOOK_CSS);
  zip.add(`${BOOK_ROOT}nav.xhtml`, renderNav(meta, chapters));
  zip.add(`${BOOK_ROOT}toc.ncx`, renderNcx(meta, chapters));
  zip.add(`${BOOK_ROOT}content.opf`, renderPackage(meta, chapters, media));
  zip.end();
  return report;
}

/**
 * languageOf tells 繁體 from 简体 text: text with several characters that OpenCC would simplify is
 * written in traditional characters (e-readers choose fonts and line breaking by it).
 */
function languageOf(text: string): 'zh-Hans' | 'zh-Hant' {
  const sample = Array.from(text.slice(0, 600));
  const simplified = Array.from(toSimplified(sample.join('')));
  let changed = 0;
  for (let index = 0; index < Math.min(sample.length, simplified.length); index++) {
    if (sample[index] !== simplified[index]) changed++;
  }
  return changed >= 3 ? 'zh-Hant' : 'zh-Hans';
}

/** bookIdentifier is a UUID (version 5 layout) from the selection, so a book rebuilt with new articles keeps its identity. */
function bookIdentifier(sourceIds: string[], options: EpubExportOptions): string {
  const hex = sha256Hex(JSON.stringify(['newsmirror-epub', sourceIds, options.from ?? null, options.to ?? null]));
  const variant = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function bookTitle(wanted: EpubSource[], allSources: number, chapters: ChapterEntry[]): string {
  const who = wanted.length === allSources || wanted.length > 3 ? '新闻存档' : wanted.map((source) => source.name).join('、');
  const first = chapters[0]?.day ?? '';
  const last = chapters.at(-1)?.day ?? '';
  return first === last ? `${who} ${first}` : `${who} ${first} 至 ${last}`;
}
