/**
 * exportSite writes the static site of the archive: reads the store, renders the pages (render.ts)
 * and the search index (search-index.ts), and writes every file through an ArchiveWriter over the
 * output folder, which leaves a file alone when its bytes are unchanged. A second export after a
 * sync therefore rewrites only the pages and shards that changed, and says how many.
 */
import { createHash } from 'node:crypto';
import { htmlToText } from '../core/html/index.js';
import { readSourceHealth } from '../core/pipeline/health.js';
import type { Removal } from '../core/model/index.js';
import type { ArchiveWriter, ArticleListItem, Clock, RecheckStore, Store } from '../core/ports.js';
import { formatListTime } from '../core/render/index.js';
import { tokenizeForIndex } from '../core/search/tokenize.js';
import { pageBody } from '../web/body.js';
import { dayKey } from '../web/params.js';
import { standingRemovalNotice } from '../web/removal-views.js';
import { articlePage, homePage, sourcePage, type ArticleView, type DayGroup, type ListedArticle } from '../web/views.js';
import { FILE_LIST_PATH, SITE_PATHS, STAMPS_PATH } from './paths.js';
import { assetFiles, mediaOf, renderPage, searchPageBody, siteBody, type SiteFile } from './render.js';
import { MANIFEST_PATH, META_SIZE, SOURCES_PATH, SegmentIndexer, dataScript, metaPath, planSegments, textPath, type Manifest, type ManifestSegment, type MetaRow, type TextEntry } from './search-index.js';

const HOME_SIZE = 40;
const SOURCE_PAGE_SIZE = 50;
const BATCH = 100;
const WRITES_IN_FLIGHT = 16;

/** SiteSource is a source as the site shows it. */
export interface SiteSource {
  id: string;
  name: string;
  url: string;
}

/** SiteExportDeps are the ports an export reads from and writes to. */
export interface SiteExportDeps {
  store: Store;
  sources: SiteSource[];
  timeZone: string;
  clock: Clock;
  /** Removals at the source, shown on the article pages as the reader shows them; absent, none are shown. */
  recheck?: Pick<RecheckStore, 'getRemovals'>;
  /** The output folder. */
  out: ArchiveWriter;
  /** Bytes of a mirrored media file (`media/ab/<sha>.<ext>`), undefined when it is missing. */
  readMedia(path: string): Promise<Uint8Array | undefined>;
  /** The browser's search script (bundle.ts). */
  searchScript: string;
  /** Deletes a file of the output folder that an earlier export wrote (and folders it leaves empty). */
  remove(path: string): Promise<void>;
}

/** SiteExportOptions chooses the articles: some sources, a range of publication times (`from` inclusive, `to` exclusive). */
export interface SiteExportOptions {
  sourceIds?: string[];
  from?: number;
  to?: number;
}

/** SiteExportReport counts what an export did. */
export interface SiteExportReport {
  articles: number;
  /** Files of the site. */
  files: number;
  /** Files that were (re)written: the others already had these bytes. */
  written: number;
  /** Files an earlier export wrote that this one no longer produces, deleted. */
  deleted: number;
  /** Media files the pages show that the archive does not have. */
  missingMedia: number;
}

/**
 * exportSite writes the site of the chosen articles to `deps.out`.
 *
 * @example
 * await exportSite({ store, sources, timeZone, clock, out: createArchiveWriter(dir), readMedia, searchScript: await bundleSearchScript() })
 */
export async function exportSite(deps: SiteExportDeps, options: SiteExportOptions = {}): Promise<SiteExportReport> {
  const wanted = options.sourceIds === undefined ? deps.sources : deps.sources.filter((source) => options.sourceIds?.includes(source.id));
  const sourceIndex = new Map(wanted.map((source, index) => [source.id, index]));
  const names = new Map(wanted.map((source) => [source.id, source.name]));
  const time = (epochMs: number): string => formatListTime(epochMs, deps.timeZone);
  const listed = (item: ArticleListItem): ListedArticle => ({
    id: item.id,
    title: item.title,
    sourceName: names.get(item.sourceId) ?? item.sourceId,
    time: time(item.published),
    datetime: new Date(item.published).toISOString(),
    dateMissing: item.dateMissing,
  });

  const report: SiteExportReport = { articles: 0, files: 0, written: 0, deleted: 0, missingMedia: 0 };
  const previous = parseFileList(await deps.out.read(FILE_LIST_PATH));
  const produced = new Set<string>();
  // Writes run WRITES_IN_FLIGHT at a time: each reads the old file to compare, then writes and renames,
  // and one at a time left the CPU idle half of the export.
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const write = async (file: SiteFile): Promise<void> => {
    produced.add(file.path);
    report.files++;
    const task: Promise<void> = deps.out
      .write(file.path, file.content)
      .then(
        (changed) => {
          if (changed) report.written++;
        },
        (error: unknown) => {
          failure ??= { error };
        },
      )
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
    if (inFlight.size >= WRITES_IN_FLIGHT) await Promise.race(inFlight);
    if (failure !== undefined) throw failure.error;
  };
  const settle = async (): Promise<void> => {
    await Promise.all(inFlight);
    if (failure !== undefined) throw failure.error;
  };
  const writeAll = async (files: SiteFile[]): Promise<void> => {
    for (const file of files) await write(file);
  };

  const bySource = new Map<string, ArticleListItem[]>();
  for (const source of wanted) bySource.set(source.id, await deps.store.listArticles(source.id, { from: options.from, to: options.to }));
  // Oldest first, so that new articles take new numbers at the end and leave earlier blocks alone.
  const all = [...bySource.values()].flat().sort((a, b) => a.published - b.published || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  report.articles = all.length;

  // Article pages and snippet texts. An article whose stamp (a hash of everything its pages show)
  // is the one the last export recorded, under the same fingerprint of the renderer, is not rendered
  // again when its files are still there: they would get the same bytes.
  const fingerprint = rendererFingerprint(deps);
  const before = parseStamps(await deps.out.read(STAMPS_PATH), fingerprint);
  // Deleted before the first page or segment is rendered again, and written back once this export is
  // complete: an export cut short leaves no stamp vouching for a page it may have rewritten.
  let stampsKept = before.articles.size > 0;
  const dropStamps = async (): Promise<void> => {
    if (!stampsKept) return;
    stampsKept = false;
    await deps.remove(STAMPS_PATH);
  };
  const present = before.articles.size > 0 ? new Set(await deps.out.list('')) : new Set<string>();
  const stamps = new Map<string, ArticleStamp>();
  const media = new Set<string>();
  const keep = (path: string): void => {
    produced.add(path);
    report.files++;
  };
  for (let start = 0; start < all.length; start += BATCH) {
    const items = all.slice(start, start + BATCH);
    const articles = await deps.store.getArticles(items.map((item) => item.id));
    const removals = (await deps.recheck?.getRemovals(items.map((item) => item.id))) ?? new Map<string, Removal>();
    for (const article of articles) {
      const versions = article.version > 1 ? await deps.store.listVersions(article.id) : [];
      const shownVersions = [undefined, ...versions.filter((version) => version.version !== article.version)];
      const pages = shownVersions.map((shown) => ({
        path: SITE_PATHS.article(article.id, shown?.version),
        bodyHtml: shown?.bodyHtml ?? article.bodyHtml,
        view: {
          id: article.id,
          title: shown?.title ?? article.title,
          sourceId: article.sourceId,
          sourceName: names.get(article.sourceId) ?? article.sourceId,
          url: article.url,
          published: time(article.published),
          dateMissing: article.dateMissing,
          updated: article.updated === undefined || article.updated === article.published ? undefined : time(article.updated),
          firstSeen: time(article.firstSeen),
          authors: article.authors,
          showingVersion: shown?.version,
          versions: versions.map((version) => ({ version: version.version, title: version.title, seenAt: time(version.seenAt), current: version.version === article.version })),
          ...standingRemovalNotice(removals.get(article.id), time),
        },
      }));
      const stamp = hashOf(JSON.stringify([article.title, article.published, pages]));
      const textFile = textPath(article.id);
      const files = [textFile, ...pages.flatMap((page) => [page.path, `hant/${page.path}`])];
      const last = before.articles.get(article.id);
      if (last?.stamp === stamp && files.every((path) => present.has(path))) {
        files.forEach(keep);
        for (const file of last.media) media.add(file);
        stamps.set(article.id, last);
        continue;
      }
      await dropStamps();
      const line: TextEntry = [article.title, time(article.published), new Date(article.published).toISOString(), htmlToText(article.bodyHtml)];
      await write({ path: textFile, content: dataScript({ k: textFile, v: line }) });
      const shows: string[] = [];
      for (const page of pages) {
        const rendered = renderArticlePage(page.path, page.view, page.bodyHtml);
        shows.push(...rendered.media);
        await writeAll(rendered.files);
      }
      for (const file of shows) media.add(file);
      stamps.set(article.id, { stamp, media: [...new Set(shows)] });
    }
  }

  // The search index, segment by segment. A segment of the same range, whose documents have the
  // same ids and stamps in the same order as last time, keeps its files: only the tail and the
  // segments a merge or an edit changed are indexed again.
  const indexed: (ManifestSegment & { key: string })[] = [];
  for (const segment of planSegments(all.length)) {
    const items = all.slice(segment.start, segment.start + segment.size);
    const range = `${segment.start}-${segment.size}`;
    const key = hashOf(items.map((item) => `${item.id} ${stamps.get(item.id)?.stamp ?? ''}`).join('\n'));
    const last = before.segments.get(range);
    const folder = `search/${range}/`;
    const lastFiles = last === undefined ? [] : previous.filter((path) => path.startsWith(folder));
    if (last?.key === key && lastFiles.length > 0 && lastFiles.every((path) => present.has(path))) {
      lastFiles.forEach(keep);
      indexed.push({ ...segment, shards: last.shards, key });
      continue;
    }
    await dropStamps();
    const indexer = new SegmentIndexer(segment);
    for (let start = 0; start < items.length; start += BATCH) {
      const batch = items.slice(start, start + BATCH);
      const byId = new Map((await deps.store.getArticles(batch.map((item) => item.id))).map((article) => [article.id, article]));
      for (const [offset, item] of batch.entries()) {
        const article = byId.get(item.id);
        if (article !== undefined) indexer.add(segment.start + start + offset, article.title, htmlToText(article.bodyHtml));
      }
    }
    const { shards, files } = indexer.files();
    for (const { path, value } of files) await write({ path, content: dataScript({ k: path, v: value }) });
    indexed.push({ ...segment, shards, key });
  }

  // The search data every query reads first, and the lines of the results.
  const manifest: Manifest = {
    docs: all.length,
    segments: indexed.map(({ start, size, shards }) => ({ start, size, shards })),
    sources: wanted.map(({ id, name }) => ({ id, name })),
  };
  await write({ path: MANIFEST_PATH, content: dataScript({ k: MANIFEST_PATH, v: manifest }) });
  const documentSources = all.map((item) => String.fromCharCode(48 + (sourceIndex.get(item.sourceId) ?? 0))).join('');
  await write({ path: SOURCES_PATH, content: dataScript({ k: SOURCES_PATH, v: documentSources }) });
  for (let chunk = 0; chunk * META_SIZE < all.length; chunk++) {
    const rows: MetaRow[] = all
      .slice(chunk * META_SIZE, (chunk + 1) * META_SIZE)
      .map((item) => [item.id, sourceIndex.get(item.sourceId) ?? 0]);
    const path = metaPath(chunk);
    await write({ path, content: dataScript({ k: path, v: rows }) });
  }

  // One source's articles by day, a page at a time. Pages are cut from the oldest article, so a new
  // article changes the newest page (index.html) and leaves the numbered older pages alone.
  for (const source of wanted) {
    const oldestFirst = [...(bySource.get(source.id) ?? [])].reverse();
    const pageCount = Math.max(1, Math.ceil(oldestFirst.length / SOURCE_PAGE_SIZE));
    const pagePath = (page: number): string => SITE_PATHS.source(source.id, page === pageCount ? undefined : page);
    for (let page = 1; page <= pageCount; page++) {
      const days: DayGroup[] = [];
      for (const item of oldestFirst.slice((page - 1) * SOURCE_PAGE_SIZE, page * SOURCE_PAGE_SIZE).reverse()) {
        const day = dayKey(item.published, deps.timeZone);
        const line = { ...listed(item), time: time(item.published).slice(11) };
        const group = days.at(-1);
        if (group?.day === day) group.items.push(line);
        else days.push({ day, items: [line] });
      }
      await writeAll(
        renderPage(pagePath(page), source.name, (context) =>
          sourcePage({
            ...source,
            days,
            total: oldestFirst.length,
            isFirstPage: page === pageCount,
            olderUrl: page > 1 ? `${context.pages}${pagePath(page - 1)}` : undefined,
            newerUrl: `${context.pages}${pagePath(page + 1)}`,
            links: context.links,
          }),
        ),
      );
    }
  }

  // The home page: sources with counts and health, then the newest articles.
  const health = await readSourceHealth(deps.store, wanted, deps.clock.now());
  const newest = all.slice(-HOME_SIZE).reverse().map(listed);
  await writeAll(
    renderPage(SITE_PATHS.home, '首页', (context) =>
      homePage({
        sources: health.map((row) => ({
          id: row.id,
          name: row.name,
          articles: bySource.get(row.id)?.length ?? 0,
          health: row.health,
          newest: row.summary.newestPublished === undefined ? undefined : time(row.summary.newestPublished),
        })),
        newest,
        isFirstPage: true,
        links: context.links,
      }),
    ),
  );
  await writeAll(renderPage(SITE_PATHS.search, '搜索', (context) => searchPageBody(context, manifest.sources), { scripts: [SITE_PATHS.script] }));
  await writeAll(assetFiles(deps.searchScript));

  for (const path of [...media].sort()) {
    const bytes = await deps.readMedia(path);
    if (bytes === undefined) report.missingMedia++;
    else await write({ path, content: bytes });
  }

  await write({ path: STAMPS_PATH, content: formatStamps(fingerprint, stamps, indexed) });
  await settle();

  // Only files listed by an earlier export are ever deleted: anything else in the folder (a CNAME, a
  // README of the host) is not ours. The list is written last, so an interrupted export deletes on
  // the next run what it would have deleted now.
  for (const path of previous) {
    if (produced.has(path)) continue;
    await deps.remove(path);
    report.deleted++;
  }
  await write({ path: FILE_LIST_PATH, content: `${[...produced, FILE_LIST_PATH].sort().join('\n')}\n` });
  await settle();
  return report;
}

/** parseFileList reads the list of files an earlier export wrote, keeping only paths inside the site. */
function parseFileList(text: string | undefined): string[] {
  return (text ?? '').split('\n').filter((path) => path !== '' && path !== FILE_LIST_PATH && isSitePath(path));
}

/** isSitePath: relative, no `..`, no empty or dot segment: a path the export itself could have written. */
export function isSitePath(path: string): boolean {
  return !path.startsWith('/') && !path.includes('\\') && path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/** ArticleStamp is what the last export recorded of one article: the hash of what its pages show, and the media they show. */
interface ArticleStamp {
  stamp: string;
  media: string[];
}

/** Stamps are the last export's records: its renderer's fingerprint, every article's stamp, every segment's key and shard count. */
interface Stamps {
  articles: Map<string, ArticleStamp>;
  segments: Map<string, { key: string; shards: number }>;
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

/** renderArticlePage renders one article page (a version of it) in both scripts, and lists the media it shows. */
function renderArticlePage(path: string, view: Omit<ArticleView, 'bodyHtml'>, bodyHtml: string): { files: SiteFile[]; media: string[] } {
  const body = pageBody(bodyHtml);
  return {
    files: renderPage(path, view.title || '（无标题）', (context) => articlePage({ ...view, bodyHtml: siteBody(body, context.shared) }, context.links)),
    media: mediaOf(body),
  };
}

const PROBE_AT = Date.UTC(2020, 0, 1);

/**
 * rendererFingerprint hashes what this version of the exporter makes of a fixed probe article (with
 * versions, a removal, an image, markup to clean and text to index) and the search script: a change
 * of the templates, the cleaning or the tokenizer changes it, and then every page is rendered again.
 */
function rendererFingerprint(deps: Pick<SiteExportDeps, 'timeZone' | 'searchScript'>): string {
  const time = (epochMs: number): string => formatListTime(epochMs, deps.timeZone);
  const bodyHtml = '<div class="x"><p>香港「国安法」Trump 2020 <b>粗体</b><img src="/media/ab/' + 'a'.repeat(64) + '.jpg" alt="图"><script>x</script><a href="https://example.com/">链接</a></p><table><tr><td>表</td></tr></table></div>';
  const removal = { articleId: 'probe', sourceId: 'probe', firstGoneAt: PROBE_AT, confirmedAt: PROBE_AT, evidence: [{ at: PROBE_AT, status: 404, finalUrl: 'https://example.com/a', rule: 'http-404' }] };
  const view = {
    id: 'probe',
    title: '探针 · probe',
    sourceId: 'probe',
    sourceName: '探针',
    url: 'https://example.com/a',
    published: time(PROBE_AT),
    dateMissing: false,
    updated: time(PROBE_AT + 1),
    firstSeen: time(PROBE_AT),
    authors: ['作者'],
    showingVersion: 1,
    versions: [1, 2].map((version) => ({ version, title: `版本 ${version}`, seenAt: time(PROBE_AT), current: version === 2 })),
    ...standingRemovalNotice(removal, time),
  };
  const page = renderArticlePage(SITE_PATHS.article('probe', 1), view, bodyHtml);
  const text = htmlToText(bodyHtml);
  return hashOf(JSON.stringify([deps.timeZone, deps.searchScript, page.files.map((file) => file.content), page.media, text, tokenizeForIndex(text)]));
}

/** parseStamps reads the stamps file; a missing file, or one of another fingerprint, vouches for nothing. */
function parseStamps(text: string | undefined, fingerprint: string): Stamps {
  const stamps: Stamps = { articles: new Map(), segments: new Map() };
  const lines = (text ?? '').split('\n');
  if (lines[0] !== `fingerprint ${fingerprint}`) return stamps;
  for (const line of lines.slice(1)) {
    const [kind, name, key, ...rest] = line.split(' ');
    if (name === undefined || key === undefined) continue;
    if (kind === 'a') stamps.articles.set(name, { stamp: key, media: rest });
    else if (kind === 's') stamps.segments.set(name, { key, shards: Number(rest[0]) });
  }
  return stamps;
}

/** formatStamps writes the stamps file: `fingerprint F`, then `a ID STAMP MEDIA…` lines, then `s START-SIZE KEY SHARDS` lines. */
function formatStamps(fingerprint: string, articles: Map<string, ArticleStamp>, segments: (ManifestSegment & { key: string })[]): string {
  const lines = [`fingerprint ${fingerprint}`];
  for (const [id, { stamp, media }] of articles) lines.push(['a', id, stamp, ...media].join(' '));
  for (const { start, size, key, shards } of segments) lines.push(`s ${start}-${size} ${key} ${shards}`);
  return `${lines.join('\n')}\n`;
}
