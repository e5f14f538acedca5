/**
 * The files of an EPUB 3 book, pure: the container, the package document, the navigation (EPUB 3
 * `nav.xhtml`, and an NCX for EPUB 2 readers), the stylesheet and one chapter per day and source.
 *
 * Every file lives below `OEBPS/`: chapters in `text/`, mirrored images in `media/ab/<sha>.<ext>` (the
 * archive's own layout). The table of contents is days (oldest first), then the sources of that day,
 * then the articles; each entry points at its own anchor, so no two entries share a target.
 */
import { escapeXml, externalHref } from './xhtml.js';

/** BOOK_ROOT is the folder of the package document; every href below is relative to it. */
export const BOOK_ROOT = 'OEBPS/';

/** BookArticle is one article as a chapter shows it; `body` is XHTML from renderXhtmlBody. */
export interface BookArticle {
  id: string;
  title: string;
  sourceName: string;
  /** `zh-Hans` or `zh-Hant`: how the article is written. */
  lang: string;
  time: string;
  datetime: string;
  url: string;
  authors: string[];
  body: string;
}

/** ChapterEntry is what the table of contents keeps of a chapter: never the bodies. */
export interface ChapterEntry {
  /** Book-relative file (`text/c00001.xhtml`). */
  file: string;
  day: string;
  sourceName: string;
  articles: { id: string; title: string }[];
}

/** MediaEntry is one image the book carries. */
export interface MediaEntry {
  /** Book-relative file (`media/ab/<sha>.<ext>`). */
  file: string;
  type: string;
}

/** BookMeta names the book. */
export interface BookMeta {
  /** A `urn:uuid:` identifier, the same for the same selection. */
  identifier: string;
  title: string;
  lang: string;
  /** ISO instant without milliseconds (`dcterms:modified`). */
  modified: string;
}

/** EPUB_MIMETYPE is the content of the `mimetype` entry, stored first and uncompressed. */
export const EPUB_MIMETYPE = 'application/epub+zip';

/** CORE_IMAGE_TYPES are the image types every EPUB 3 reader must show, by file extension; others are left out. */
export const CORE_IMAGE_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  svg: 'image/svg+xml',
};

const UNTITLED = '（无标题）';

/** containerXml points readers at the package document. */
export function containerXml(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="${BOOK_ROOT}content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
`;
}

/**
 * BOOK_CSS is the stylesheet: generic font families only (the reader's own CJK fonts, no embedded or
 * remote font), CJK line height and justification, strict line breaking (no line starts with 、。）),
 * and no italics for Chinese, which has none.
 */
export const BOOK_CSS = `html { line-break: strict; }
body { margin: 0 0.6em; font-family: serif; line-height: 1.8; text-align: justify; word-break: normal; overflow-wrap: break-word; }
h1 { font-size: 1.4em; line-height: 1.4; margin: 0.6em 0; }
h2 { font-size: 1.2em; line-height: 1.4; margin: 1.6em 0 0.3em; }
h3, h4, h5, h6 { font-size: 1.05em; line-height: 1.5; }
p { margin: 0 0 0.8em; }
section.article { page-break-before: always; break-before: page; }
p.meta { font-family: sans-serif; font-size: 0.8em; color: #555; margin-bottom: 1.2em; }
p.day { font-family: sans-serif; font-size: 0.9em; color: #555; margin: 0; }
img { max-width: 100%; height: auto; }
figure { margin: 1em 0; }
figcaption, .image-missing { font-size: 0.85em; color: #555; }
blockquote { margin: 0.8em 0 0.8em 1em; padding-left: 0.8em; border-left: 0.2em solid #ccc; }
pre { white-space: pre-wrap; font-family: monospace; font-size: 0.85em; }
table { border-collapse: collapse; }
td, th { border: 1px solid #999; padding: 0.2em 0.4em; }
em:lang(zh), i:lang(zh), cite:lang(zh) { font-style: normal; font-weight: bold; }
`;

function xhtmlDocument(title: string, lang: string, stylesheet: string, body: string, epubNamespace = false): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml"${epubNamespace ? ' xmlns:epub="http://www.idpf.org/2007/ops"' : ''} lang="${lang}" xml:lang="${lang}">
<head>
<meta charset="UTF-8"/>
<title>${escapeXml(title)}</title>
<link rel="stylesheet" type="text/css" href="${stylesheet}"/>
</head>
<body>
${body}
</body>
</html>
`;
}

/** chapterFile is the book-relative file of chapter `index` (from 1). */
export function chapterFile(index: number): string {
  return `text/c${String(index).padStart(5, '0')}.xhtml`;
}

/** renderChapter writes one day's articles of one source: a heading, then each article with its metadata and body. */
export function renderChapter(entry: ChapterEntry, articles: BookArticle[], lang: string): string {
  const sections = articles.map((article) => {
    const authors = article.authors.length > 0 ? ` · ${escapeXml(article.authors.join('、'))}` : '';
    const href = /^https?:/i.test(article.url) ? externalHref(article.url) : undefined;
    const link = href === undefined ? '' : ` · <a href="${escapeXml(href)}">原文链接</a>`;
    return `<section class="article" id="a-${escapeXml(article.id)}" lang="${article.lang}" xml:lang="${article.lang}">
<h2>${escapeXml(article.title || UNTITLED)}</h2>
<p class="meta">${escapeXml(article.sourceName)} · <time datetime="${escapeXml(article.datetime)}">${escapeXml(article.time)}</time>${authors}${link}</p>
${article.body}
</section>`;
  });
  const heading = `<p class="day">${escapeXml(entry.day)}</p>\n<h1 id="top">${escapeXml(entry.sourceName)}</h1>`;
  return xhtmlDocument(`${entry.day} ${entry.sourceName}`, lang, '../style.css', `${heading}\n${sections.join('\n')}`);
}

/** TocDay groups the chapters of one day, in book order. */
interface TocDay {
  day: string;
  chapters: ChapterEntry[];
}

function byDay(chapters: ChapterEntry[]): TocDay[] {
  const days: TocDay[] = [];
  for (const chapter of chapters) {
    const last = days.at(-1);
    if (last?.day === chapter.day) last.chapters.push(chapter);
    else days.push({ day: chapter.day, chapters: [chapter] });
  }
  return days;
}

/** renderNav writes `nav.xhtml`: the table of contents by day, source and article. */
export function renderNav(meta: BookMeta, chapters: ChapterEntry[]): string {
  const days = byDay(chapters).map((day) => {
    const sources = day.chapters.map((chapter) => {
      const articles = chapter.articles.map((article) => `<li><a href="${chapter.file}#a-${escapeXml(article.id)}">${escapeXml(article.title || UNTITLED)}</a></li>`);
      return `<li><a href="${chapter.file}#top">${escapeXml(chapter.sourceName)}</a>\n<ol>\n${articles.join('\n')}\n</ol></li>`;
    });
    return `<li><a href="${day.chapters[0]?.file ?? ''}">${escapeXml(day.day)}</a>\n<ol>\n${sources.join('\n')}\n</ol></li>`;
  });
  return xhtmlDocument(meta.title, meta.lang, 'style.css', `<nav epub:type="toc" id="toc">\n<h1>${escapeXml(meta.title)}</h1>\n<ol>\n${days.join('\n')}\n</ol>\n</nav>`, true);
}

/** renderNcx writes `toc.ncx`, the same table for EPUB 2 readers; play order follows the book. */
export function renderNcx(meta: BookMeta, chapters: ChapterEntry[]): string {
  let order = 0;
  const point = (label: string, src: string, inner: string): string =>
    `<navPoint id="n${++order}" playOrder="${order}"><navLabel><text>${escapeXml(label)}</text></navLabel><content src="${src}"/>${inner}</navPoint>`;
  const days = byDay(chapters).map((day) =>
    point(
      day.day,
      day.chapters[0]?.file ?? '',
      day.chapters
        .map((chapter) =>
          point(`${chapter.sourceName}`, `${chapter.file}#top`, chapter.articles.map((article) => point(article.title || UNTITLED, `${chapter.file}#a-${escapeXml(article.id)}`, '')).join('\n')),
        )
        .join('\n'),
    ),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="${meta.lang}">
<head>
<meta name="dtb:uid" content="${escapeXml(meta.identifier)}"/>
<meta name="dtb:depth" content="3"/>
<meta name="dtb:totalPageCount" content="0"/>
<meta name="dtb:maxPageNumber" content="0"/>
</head>
<docTitle><text>${escapeXml(meta.title)}</text></docTitle>
<navMap>
${days.join('\n')}
</navMap>
</ncx>
`;
}

/** renderPackage writes `content.opf`: metadata, every file of the book, and the reading order. */
export function renderPackage(meta: BookMeta, chapters: ChapterEntry[], media: MediaEntry[]): string {
  const items = [
    '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
    '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>',
    '<item id="css" href="style.css" media-type="text/css"/>',
    ...chapters.map((chapter, index) => `<item id="c${index + 1}" href="${chapter.file}" media-type="application/xhtml+xml"/>`),
    ...media.map((entry, index) => `<item id="m${index + 1}" href="${entry.file}" media-type="${entry.type}"/>`),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="${meta.lang}">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="uid">${escapeXml(meta.identifier)}</dc:identifier>
<dc:title>${escapeXml(meta.title)}</dc:title>
<dc:language>${meta.lang}</dc:language>
<dc:publisher>newsmirror</dc:publisher>
<meta property="dcterms:modified">${meta.modified}</meta>
</metadata>
<manifest>
${items.join('\n')}
</manifest>
<spine toc="ncx">
<itemref idref="nav"/>
${chapters.map((_, index) => `<itemref idref="c${index + 1}"/>`).join('\n')}
</spine>
</package>
`;
}
