/**
 * exportSite writes the static site of the archive: reads the store, renders the pages (render.ts)
 * and the search index (search-index.ts), and writes every file through an ArchiveWriter over the
 * output folder, which leaves a file alone when its bytes are unchanged. A second export after a
 * sync therefore rewrites only the pages and shards that changed, and says how many.
 */
import { htmlToText } from '../core/html/index.js';
import { readSourceHealth } from '../core/pipeline/health.js';
import type { Removal } from '../core/model/index.js';
import type { ArchiveWriter, ArticleListItem, Clock, RecheckStore, Store } from '../core/ports.js';
import { formatListTime } from '../core/render/index.js';
import { pageBody } from '../web/body.js';
import { dayKey } from '../web/params.js';
import { standingRemovalNotice } from '../web/removal-views.js';
import { articlePage, homePage, sourcePage, type DayGroup, type ListedArticle } from '../web/views.js';
import { FILE_LIST_PATH, SITE_PATHS } from './paths.js';
import { assetFiles, mediaOf, renderPage, searchPageBody, siteBody, type SiteFile } from './render.js';
import { MANIFEST_PATH, META_SIZE, SegmentIndexer, dataScript, metaPath, planSegments, textPath, type Manifest, type ManifestSegment, type MetaRow, type Segment } from './search-index.js';

const HOME_SIZE = 40;
const SOURCE_PAGE_SIZE = 50;
const BATCH = 100;

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
  const write = async (file: SiteFile): Promise<void> => {
    produced.add(file.path);
    report.files++;
    if (await deps.out.write(file.path, file.content)) report.written++;
  };
  const writeAll = async (files: SiteFile[]): Promise<void> => {
    for (const file of files) await write(file);
  };

  const bySource = new Map<string, ArticleListItem[]>();
  for (const source of wanted) bySource.set(source.id, await deps.store.listArticles(source.id, { from: options.from, to: options.to }));
  // Oldest first, so that new articles take new numbers at the end and leave earlier blocks alone.
  const all = [...bySource.values()].flat().sort((a, b) => a.published - b.published || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  report.articles = all.length;

  // Article pages and the search index, segment by segment.
  const media = new Set<string>();
  const segments = planSegments(all.length);
  const indexed: ManifestSegment[] = [];
  let indexer: SegmentIndexer | undefined;
  const flushSegment = async (): Promise<void> => {
    if (indexer === undefined) return;
    const { shards, files } = indexer.files();
    indexed.push({ ...indexer.segment, shards });
    for (const { path, value } of files) await write({ path, content: dataScript({ k: path, v: value }) });
    indexer = undefined;
  };
  for (let start = 0; start < all.length; start += BATCH) {
    const items = all.slice(start, start + BATCH);
    const articles = await deps.store.getArticles(items.map((item) => item.id));
    const byId = new Map(articles.map((article) => [article.id, article]));
    const removals = (await deps.recheck?.getRemovals(items.map((item) => item.id))) ?? new Map<string, Removal>();
    for (const [offset, item] of items.entries()) {
      const doc = start + offset;
      if (indexer === undefined || doc >= indexer.segment.start + indexer.segment.size) {
        await flushSegment();
        indexer = new SegmentIndexer(segments[indexed.length] as Segment);
      }
      const article = byId.get(item.id);
      if (article === undefined) continue;
      const text = htmlToText(article.bodyHtml);
      indexer.add(doc, article.title, text);
      const textFile = textPath(article.id);
      await write({ path: textFile, content: dataScript({ k: textFile, v: text }) });
      const versions = article.version > 1 ? await deps.store.listVersions(article.id) : [];
      const shownVersions = [undefined, ...versions.filter((version) => version.version !== article.version)];
      for (const shown of shownVersions) {
        const body = pageBody(shown?.bodyHtml ?? article.bodyHtml);
        for (const file of mediaOf(body)) media.add(file);
        const title = shown?.title ?? article.title;
        const view = {
          id: article.id,
          title,
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
        };
        await writeAll(
          renderPage(SITE_PATHS.article(article.id, shown?.version), title || '（无标题）', (context) =>
            articlePage({ ...view, bodyHtml: siteBody(body, context.shared) }, context.links),
          ),
        );
      }
    }
  }
  await flushSegment();

  // The search data every query reads first, and the lines of the results.
  const manifest: Manifest = {
    docs: all.length,
    segments: indexed,
    sources: wanted.map(({ id, name }) => ({ id, name })),
    src: all.map((item) => String.fromCharCode(48 + (sourceIndex.get(item.sourceId) ?? 0))).join(''),
  };
  await write({ path: MANIFEST_PATH, content: dataScript({ k: MANIFEST_PATH, v: manifest }) });
  for (let chunk = 0; chunk * META_SIZE < all.length; chunk++) {
    const rows: MetaRow[] = all
      .slice(chunk * META_SIZE, (chunk + 1) * META_SIZE)
      .map((item) => [item.id, sourceIndex.get(item.sourceId) ?? 0, item.title, time(item.published), new Date(item.published).toISOString()]);
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

  // Only files listed by an earlier export are ever deleted: anything else in the folder (a CNAME, a
  // README of the host) is not ours. The list is written last, so an interrupted export deletes on
  // the next run what it would have deleted now.
  for (const path of previous) {
    if (produced.has(path)) continue;
    await deps.remove(path);
    report.deleted++;
  }
  await write({ path: FILE_LIST_PATH, content: `${[...produced, FILE_LIST_PATH].sort().join('\n')}\n` });
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
