/**
 * The web reader: server-rendered pages, the JSON API, republished feeds, health and mirrored media,
 * all read from the Store and the SearchIndex handed in (no I/O of its own besides media files).
 *
 * Hono because its core is the Web Request/Response API (in-process tests with `app.request()`, no
 * sockets), it has no runtime dependencies, and its router and one `onError` fit the habit of
 * mapping errors to statuses in one place.
 */
import { createHash } from 'node:crypto';
import { assessHealth } from '../core/pipeline/health.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isNewsmirrorError } from '../core/errors.js';
import { FRAME_HOSTS } from '../core/clean/index.js';
import type { Article, SourceState } from '../core/model/index.js';
import type { ArticleListItem, Clock, Logger, SearchIndex, SearchQuery, SourceSummary, Store } from '../core/ports.js';
import { formatListTime, renderAtom, renderJsonFeed, renderRss, type FeedChannel } from '../core/render/index.js';
import { APP_CSS, APP_CSS_VERSION, ICON_SVG } from './assets.js';
import { MEDIA_URL_PATH, feedBody, pageBody } from './body.js';
import type { SafeHtml } from './html.js';
import { safeSnippet } from './snippet.js';
import { toApiSearchResult } from './search-json.js';
import {
  dayKey,
  decodeCursor,
  encodeCursor,
  parseDateBound,
  parseLimit,
  parseOrder,
  parseQuery,
  parseSourceFilter,
  usage,
  type ListCursor,
} from './params.js';
import { VARIANT_COOKIE, convertHtmlText, parseVariant, toSimplified, type Variant } from './variant.js';
import { articlePage, errorPage, homePage, layout, searchPage, sourcePage, type DayGroup, type ListedArticle, type PageFrame, type SourceRow } from './views.js';

/** WebSource is a configured source as the reader shows it. */
export interface WebSource {
  id: string;
  name: string;
  url: string;
  /** A disabled source keeps its archive on the reader but is left out of /health's verdict. */
  enabled?: boolean;
}

/** WebAppDeps is everything the reader needs, built by the composition root. */
export interface WebAppDeps {
  store: Store;
  search: SearchIndex;
  sources: WebSource[];
  /** IANA zone for displayed times and day grouping (config `timezone`). */
  timeZone: string;
  /** Base for absolute URLs in feeds (config `server.publicBaseUrl`); default the request's origin. */
  publicBaseUrl?: string;
  /** Folder holding `media/` (config `media.dir`, default the archive); no media served without it. */
  mediaDir?: string;
  clock?: Clock;
  logger?: Logger;
  /** A source whose last success is older than this is `stale` in /health (default 24 h). */
  staleAfterMs?: number;
}

/** HealthStatus is one source's state as /health and the home page report it. */
export type HealthStatus = 'ok' | 'failing' | 'stale' | 'never' | 'disabled';

const PAGE_SIZE = 50;
const HOME_SIZE = 40;
const API_MAX_LIMIT = 200;
const FEED_DEFAULT_LIMIT = 50;
const DAY_MS = 24 * 60 * 60 * 1000;
const SUMMARY_TTL_MS = 60_000;
const ARTICLE_ID = /^[a-z0-9]{1,32}$/;

const MEDIA_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
};

const FEED_TYPES = {
  xml: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
} as const;

/**
 * CONTENT_SECURITY_POLICY allows only this server's stylesheet, images and forms, and players of
 * the video hosts the sanitizer keeps. No script at all: the reader works without JavaScript.
 * `img-src 'self'` holds because pages show images that were not mirrored as links (see body.ts).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "img-src 'self'",
  "media-src 'self'",
  "style-src 'self'",
  "form-action 'self'",
  `frame-src ${FRAME_HOSTS.flatMap((host) => [`https://${host}`, `https://*.${host}`]).join(' ')}`,
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

type Env = { Variables: { variant: Variant } };

/**
 * createWebApp builds the reader. Every route answers bad input with a 4xx (JSON
 * `{ error: { code, message } }` under /api, /feeds, /health and /media; an HTML page elsewhere).
 *
 * @example
 * const app = createWebApp({ store, search, sources: config.sources, timeZone: config.timezone });
 * const server = await startWebServer(app, { host: '127.0.0.1', port: 8080 });
 */
export function createWebApp(deps: WebAppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const clock = deps.clock ?? { now: () => Date.now() };
  const sourcesById = new Map(deps.sources.map((source) => [source.id, source]));
  const knownSources = new Set(sourcesById.keys());
  const sourceName = (id: string): string => sourcesById.get(id)?.name ?? id;
  const time = (epochMs: number): string => formatListTime(epochMs, deps.timeZone);
  const listed = (item: ArticleListItem): ListedArticle => ({
    id: item.id,
    title: item.title,
    sourceName: sourceName(item.sourceId),
    time: time(item.published),
    datetime: new Date(item.published).toISOString(),
    dateMissing: item.dateMissing,
  });

  app.use('*', async (c, next) => {
    const chosen = parseVariant(c.req.query('variant'));
    c.set('variant', chosen ?? parseVariant(getCookie(c, VARIANT_COOKIE)) ?? 'hans');
    await next();
    if (chosen !== undefined) setCookie(c, VARIANT_COOKIE, chosen, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'Lax', httpOnly: true });
    c.res.headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    // Which article a reader opens is sensitive where our readers live: never tell the next site.
    c.res.headers.set('Referrer-Policy', 'no-referrer');
    c.res.headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  });

  const sendPage = (c: Context<Env>, title: string, body: SafeHtml, options: { status?: ContentfulStatusCode; q?: string; feeds?: PageFrame['feeds'] } = {}) => {
    const variant = c.get('variant');
    const url = new URL(c.req.url);
    const toggle = (value: Variant): string => {
      const target = new URL(url);
      target.searchParams.set('variant', value);
      return `${target.pathname}${target.search}`;
    };
    const page = layout({ title, variant, hansUrl: toggle('hans'), hantUrl: toggle('hant'), q: options.q, feeds: options.feeds }, body).value;
    c.header('Vary', 'Cookie');
    c.header('Cache-Control', 'no-cache');
    return c.html(variant === 'hant' ? convertHtmlText(page) : page, options.status ?? 200);
  };

  const wantsJson = (path: string): boolean => /^\/(?:api|feeds|health|media|assets)(?:\/|$)/.test(path);

  app.onError((error, c) => {
    let status: ContentfulStatusCode = 500;
    let code = 'internal';
    let message = 'internal error';
    if (error instanceof HTTPException) {
      status = error.status as ContentfulStatusCode;
      code = status === 404 ? 'not-found' : 'bad-request';
      message = error.message || (status === 404 ? 'not found' : 'bad request');
    } else if (isNewsmirrorError(error) && (error.code === 'usage' || error.code === 'config-invalid')) {
      status = 400;
      code = error.code;
      message = error.message;
    } else {
      deps.logger?.error('web: request failed', { url: c.req.path, code: isNewsmirrorError(error) ? error.code : 'internal', error: String(error) });
    }
    if (wantsJson(c.req.path)) return c.json({ error: { code, message } }, status);
    return sendPage(c, status === 404 ? '找不到' : '出错', errorPage(status, message), { status });
  });

  app.notFound((c) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      c.header('Allow', 'GET, HEAD');
      return c.json({ error: { code: 'method-not-allowed', message: `${c.req.method} is not allowed: the reader only reads` } }, 405);
    }
    if (wantsJson(c.req.path)) return c.json({ error: { code: 'not-found', message: `no route ${c.req.path}` } }, 404);
    return sendPage(c, '找不到', errorPage(404, '这个地址没有页面。'), { status: 404 });
  });

  // Counting every article of every source costs ~75 ms at 1,000,000 articles, on the home page,
  // each source page and /health; counts a minute old are fine there. Fetch state is never cached.
  let summaryCache: { at: number; value: Promise<SourceSummary[]> } | undefined;
  const summarize = (): Promise<SourceSummary[]> => {
    const now = clock.now();
    if (summaryCache === undefined || now - summaryCache.at >= SUMMARY_TTL_MS || now < summaryCache.at) {
      const value = deps.store.summarizeSources(now);
      summaryCache = { at: now, value };
      value.catch(() => {
        if (summaryCache?.value === value) summaryCache = undefined;
      });
    }
    return summaryCache.value;
  };

  // ---- health ----------------------------------------------------------------------------------

  const healthRows = async () => {
    const now = clock.now();
    const states = new Map((await deps.store.listSourceStates()).map((state) => [state.sourceId, state]));
    const summaries = new Map((await summarize()).map((summary) => [summary.sourceId, summary]));
    return deps.sources.map((source) => {
      const state = states.get(source.id);
      const summary = summaries.get(source.id);
      const status: HealthStatus = source.enabled === false ? 'disabled' : healthOf(state, summary, now, deps.staleAfterMs ?? DAY_MS);
      return { source, state, summary, status, now };
    });
  };

  app.get('/health', async (c) => {
    const rows = await healthRows();
    const sources = rows.map(({ source, state, summary, status, now }) => ({
      id: source.id,
      name: source.name,
      status,
      lastSuccess: iso(state?.lastSuccessAt),
      lastAttempt: iso(state?.lastAttemptAt),
      lastErrorCode: state?.consecutiveFailures ? (state.lastErrorCode ?? null) : null,
      consecutiveFailures: state?.consecutiveFailures ?? 0,
      articles: summary?.articleCount ?? 0,
      newestPublished: iso(summary?.newestPublished),
      newestAgeSeconds: summary?.newestPublished === undefined ? null : Math.max(0, Math.round((now - summary.newestPublished) / 1000)),
    }));
    // Unhealthy when an enabled source fails or went stale, or when none was ever fetched at all.
    const enabled = sources.filter((row) => row.status !== 'disabled');
    const healthy = enabled.every((row) => row.status === 'ok' || row.status === 'never') && (enabled.length === 0 || enabled.some((row) => row.status === 'ok'));
    c.header('Cache-Control', 'no-store');
    return c.json({ status: healthy ? 'ok' : 'degraded', checkedAt: iso(clock.now()), sources }, healthy ? 200 : 503);
  });

  // ---- pages -----------------------------------------------------------------------------------

  const pageOf = async (options: { sourceIds?: string[]; from?: number; to?: number; after?: ListCursor; limit: number }) => {
    const items = await deps.store.listRecentArticles({ ...options, limit: options.limit + 1 });
    const page = items.slice(0, options.limit);
    const last = page.at(-1);
    const next = items.length > options.limit && last !== undefined ? encodeCursor({ published: last.published, id: last.id }) : undefined;
    return { page, next };
  };

  app.get('/', async (c) => {
    const after = decodeCursor(c.req.query('before'));
    const [{ page, next }, rows] = await Promise.all([pageOf({ after, limit: HOME_SIZE }), healthRows()]);
    const sources: SourceRow[] = rows.map(({ source, summary, status }) => ({
      id: source.id,
      name: source.name,
      articles: summary?.articleCount ?? 0,
      health: status,
      newest: summary?.newestPublished === undefined ? undefined : time(summary.newestPublished),
    }));
    return sendPage(c, '首页', homePage({ sources, newest: page.map(listed), olderUrl: next && `/?before=${next}`, isFirstPage: after === undefined }), {
      feeds: [{ title: '全部来源 (Atom)', href: '/feeds/all.atom', type: 'application/atom+xml' }],
    });
  });

  app.get('/sources/:id', async (c) => {
    const source = sourcesById.get(c.req.param('id'));
    if (source === undefined) throw new HTTPException(404, { message: '没有这个来源。' });
    const after = decodeCursor(c.req.query('before'));
    const { page, next } = await pageOf({ sourceIds: [source.id], after, limit: PAGE_SIZE });
    const days: DayGroup[] = [];
    for (const item of page) {
      const day = dayKey(item.published, deps.timeZone);
      const group = days.at(-1);
      // Under a day heading the time of day is enough.
      const line = { ...listed(item), time: time(item.published).slice(11) };
      if (group?.day === day) group.items.push(line);
      else days.push({ day, items: [line] });
    }
    const total = (await summarize()).find((summary) => summary.sourceId === source.id)?.articleCount ?? 0;
    return sendPage(
      c,
      source.name,
      sourcePage({ ...source, days, total, isFirstPage: after === undefined, olderUrl: next && `/sources/${source.id}?before=${next}` }),
      { feeds: [{ title: `${source.name} (Atom)`, href: `/feeds/${source.id}.atom`, type: 'application/atom+xml' }] },
    );
  });

  app.get('/articles/:id', async (c) => {
    const article = await findArticle(c.req.param('id'));
    const versions = await deps.store.listVersions(article.id);
    const rawVersion = c.req.query('version');
    let body = article.bodyHtml;
    let title = article.title;
    let showingVersion: number | undefined;
    if (rawVersion !== undefined && rawVersion !== String(article.version)) {
      const chosen = /^\d{1,4}$/.test(rawVersion) ? versions.find((version) => version.version === Number(rawVersion)) : undefined;
      if (chosen === undefined) throw new HTTPException(404, { message: '这篇文章没有这个版本。' });
      body = chosen.bodyHtml;
      title = chosen.title;
      showingVersion = chosen.version;
    }
    const view = {
      id: article.id,
      title,
      sourceId: article.sourceId,
      sourceName: sourceName(article.sourceId),
      url: article.url,
      published: time(article.published),
      dateMissing: article.dateMissing,
      updated: article.updated === undefined || article.updated === article.published ? undefined : time(article.updated),
      firstSeen: time(article.firstSeen),
      authors: article.authors,
      bodyHtml: pageBody(body),
      showingVersion,
      versions: versions.map((version) => ({ version: version.version, title: version.title, seenAt: time(version.seenAt), current: version.version === article.version })),
    };
    return sendPage(c, title || '（无标题）', articlePage(view));
  });

  const findArticle = async (id: string): Promise<Article> => {
    const article = ARTICLE_ID.test(id) ? await deps.store.getArticle(id) : undefined;
    if (article === undefined) throw new HTTPException(404, { message: `no article ${JSON.stringify(id.slice(0, 40))}` });
    return article;
  };

  const searchQuery = (c: Context<Env>, defaultLimit: number): SearchQuery => {
    const query: SearchQuery = {
      q: parseQuery(c.req.query('q')),
      order: parseOrder(c.req.query('order')),
      limit: parseLimit(c.req.query('limit'), defaultLimit, 100),
    };
    const sourceIds = parseSourceFilter(c.req.queries('source') ?? [], knownSources);
    if (sourceIds !== undefined) query.sourceIds = sourceIds;
    const from = parseDateBound(c.req.query('from'), 'from', deps.timeZone);
    const to = parseDateBound(c.req.query('to'), 'to', deps.timeZone);
    if (from !== undefined) query.from = from;
    if (to !== undefined) query.to = to;
    if (from !== undefined && to !== undefined && from >= to) throw usage('from must be before to');
    const cursor = c.req.query('cursor');
    if (cursor !== undefined && cursor !== '') {
      if (cursor.length > 512) throw usage('cursor is not one this server handed out');
      query.cursor = cursor;
    }
    return query;
  };

  app.get('/search', async (c) => {
    const raw = c.req.query('q') ?? '';
    const sources = deps.sources.map(({ id, name }) => ({ id, name }));
    const form = {
      q: raw,
      sources,
      source: c.req.query('source') || undefined,
      from: c.req.query('from') || undefined,
      to: c.req.query('to') || undefined,
      order: parseOrder(c.req.query('order')),
    };
    if (raw.trim() === '') return sendPage(c, '搜索', searchPage({ ...form, hits: [] }));
    const query = searchQuery(c, 20);
    let result = await deps.search.search(query);
    // The archive is mostly simplified text: a traditional query (國家) with no hit is retried in
    // simplified (国家), and the page says so. Its next page asks for the simplified query.
    let searchedAs: string | undefined;
    const simplified = toSimplified(query.q);
    if (result.total === 0 && query.cursor === undefined && simplified !== query.q) {
      result = await deps.search.search({ ...query, q: simplified });
      searchedAs = simplified;
    }
    let nextUrl: string | undefined;
    if (result.next !== undefined) {
      const next = new URL(c.req.url);
      next.searchParams.set('cursor', result.next);
      if (searchedAs !== undefined) next.searchParams.set('q', searchedAs);
      next.searchParams.delete('variant');
      nextUrl = `${next.pathname}${next.search}`;
    }
    const hits = result.hits.map((hit) => ({
      id: hit.id,
      title: hit.title,
      sourceName: sourceName(hit.sourceId),
      time: time(hit.published),
      datetime: new Date(hit.published).toISOString(),
      snippet: safeSnippet(hit.snippet),
    }));
    return sendPage(c, `搜索：${query.q}`, searchPage({ ...form, q: query.q, searchedAs, total: result.total, hits, nextUrl }), { q: query.q });
  });

  // ---- JSON API --------------------------------------------------------------------------------

  app.get('/api/search', async (c) => c.json(toApiSearchResult(await deps.search.search(searchQuery(c, 20)))));

  app.get('/api/sources', async (c) => {
    const rows = await healthRows();
    return c.json({
      sources: rows.map(({ source, summary, status, state }) => ({
        id: source.id,
        name: source.name,
        url: source.url,
        articles: summary?.articleCount ?? 0,
        articlesLast24h: summary?.articlesLast24h ?? 0,
        newestPublished: iso(summary?.newestPublished),
        status,
        lastSuccess: iso(state?.lastSuccessAt),
      })),
    });
  });

  app.get('/api/articles', async (c) => {
    const sourceIds = parseSourceFilter(c.req.queries('source') ?? [], knownSources);
    const from = parseDateBound(c.req.query('from'), 'from', deps.timeZone);
    const to = parseDateBound(c.req.query('to'), 'to', deps.timeZone);
    if (from !== undefined && to !== undefined && from >= to) throw usage('from must be before to');
    const { page, next } = await pageOf({
      sourceIds,
      from,
      to,
      after: decodeCursor(c.req.query('cursor')),
      limit: parseLimit(c.req.query('limit'), PAGE_SIZE, API_MAX_LIMIT),
    });
    return c.json({
      results: page.map((item) => ({ id: item.id, source: item.sourceId, title: item.title, url: item.url, published: iso(item.published), dateMissing: item.dateMissing })),
      next: next ?? null,
    });
  });

  app.get('/api/articles/:id', async (c) => {
    const article = await findArticle(c.req.param('id'));
    const versions = await deps.store.listVersions(article.id);
    return c.json({
      id: article.id,
      source: article.sourceId,
      title: article.title,
      url: article.url,
      published: iso(article.published),
      dateMissing: article.dateMissing,
      updated: iso(article.updated),
      firstSeen: iso(article.firstSeen),
      authors: article.authors,
      categories: article.categories,
      version: article.version,
      bodyHtml: pageBody(article.bodyHtml),
      versions: versions.map((version) => ({ version: version.version, title: version.title, seenAt: iso(version.seenAt), contentHash: version.contentHash })),
    });
  });

  // ---- feeds -----------------------------------------------------------------------------------

  app.get('/feeds/:file', async (c) => {
    const match = /^([a-z0-9][a-z0-9_-]{0,62})\.(xml|atom|json)$/.exec(c.req.param('file'));
    const id = match?.[1];
    const format = match?.[2] as keyof typeof FEED_TYPES | undefined;
    if (id === undefined || format === undefined || (id !== 'all' && !sourcesById.has(id))) {
      throw new HTTPException(404, { message: 'no such feed: use /feeds/<source id>.xml, .atom or .json (or all)' });
    }
    const limit = parseLimit(c.req.query('limit'), FEED_DEFAULT_LIMIT, API_MAX_LIMIT);
    const items = await deps.store.listRecentArticles({ sourceIds: id === 'all' ? undefined : [id], limit });
    const articles = (await Promise.all(items.map((item) => deps.store.getArticle(item.id)))).filter((article): article is Article => article !== undefined);
    const base = (deps.publicBaseUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '');
    const feedPath = `/feeds/${id}.${format}${limit === FEED_DEFAULT_LIMIT ? '' : `?limit=${limit}`}`;
    const lastChange = articles.reduce((latest, article) => Math.max(latest, article.firstSeen, article.updated ?? 0), 0);
    const channel: FeedChannel = {
      key: id,
      title: id === 'all' ? '新闻镜像：全部来源' : `${sourceName(id)} · 新闻镜像`,
      description: id === 'all' ? '各来源最新文章全文' : `${sourceName(id)}最新文章全文`,
      homeUrl: `${base}${id === 'all' ? '/' : `/sources/${id}`}`,
      feedUrl: `${base}${feedPath}`,
      language: 'zh-CN',
      updated: lastChange,
      items: articles.map((article) => ({
        id: article.id,
        title: article.title,
        // A feed's link must be a web page; a publisher's javascript: or relative link is not one.
        url: /^https?:\/\//i.test(article.url) ? article.url : `${base}/articles/${article.id}`,
        mirrorUrl: `${base}/articles/${article.id}`,
        published: article.published,
        ...(article.version > 1 && article.updated !== undefined ? { updated: article.updated } : {}),
        contentHtml: feedBody(article.bodyHtml, `${base}/`),
        authors: article.authors,
        categories: article.categories,
        sourceName: sourceName(article.sourceId),
        sourceFeedUrl: sourcesById.get(article.sourceId)?.url,
      })),
    };
    const text = format === 'xml' ? renderRss(channel) : format === 'atom' ? renderAtom(channel) : renderJsonFeed(channel);
    const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
    const lastModified = new Date(Math.floor(lastChange / 1000) * 1000).toUTCString();
    c.header('ETag', etag);
    c.header('Last-Modified', lastModified);
    c.header('Cache-Control', 'public, max-age=300');
    if (notModified(c.req.header('if-none-match'), c.req.header('if-modified-since'), etag, lastChange)) return c.body(null, 304);
    c.header('Content-Type', FEED_TYPES[format]);
    return c.body(text);
  });

  // ---- media and assets ------------------------------------------------------------------------

  app.get('/media/:dir/:file', async (c) => {
    const match = MEDIA_URL_PATH.exec(c.req.path);
    if (match === null || deps.mediaDir === undefined) throw new HTTPException(404, { message: 'no such media file' });
    const [, dir, file] = match as unknown as [string, string, string];
    const etag = `"${file}"`;
    // Content-addressed: the name is the hash of the bytes, so the file never changes.
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    c.header('ETag', etag);
    if (notModified(c.req.header('if-none-match'), undefined, etag, 0)) return c.body(null, 304);
    let bytes: Buffer;
    try {
      bytes = await readFile(join(deps.mediaDir, 'media', dir, file));
    } catch {
      c.header('Cache-Control', 'no-store');
      throw new HTTPException(404, { message: 'no such media file' });
    }
    c.header('Content-Type', MEDIA_TYPES[file.slice(file.lastIndexOf('.') + 1)] ?? 'application/octet-stream');
    return c.body(new Uint8Array(bytes));
  });

  app.get('/assets/app.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', c.req.query('v') === APP_CSS_VERSION ? 'public, max-age=31536000, immutable' : 'no-cache');
    return c.body(APP_CSS);
  });

  app.get('/assets/icon.svg', (c) => {
    c.header('Content-Type', 'image/svg+xml');
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(ICON_SVG);
  });

  return app;
}

/** healthOf classifies a source: never fetched, failing now, answering with only old items or no success for too long (stale), or ok. */
export function healthOf(state: SourceState | undefined, summary: SourceSummary | undefined, now: number, staleAfterMs: number): Exclude<HealthStatus, 'disabled'> {
  // The archive's STATUS.md and README judge a source the same way (assessHealth): failing, or
  // answering with only old items. The reader adds its own view: no success for staleAfterMs.
  const assessed = assessHealth(state, summary, now);
  if (assessed !== 'ok') return assessed;
  if (state?.lastSuccessAt === undefined || now - state.lastSuccessAt > staleAfterMs) return 'stale';
  return 'ok';
}

/**
 * notModified applies RFC 9110 13.1: If-None-Match decides when present (weak comparison);
 * otherwise If-Modified-Since, at one-second precision.
 */
function notModified(ifNoneMatch: string | undefined, ifModifiedSince: string | undefined, etag: string, lastChange: number): boolean {
  if (ifNoneMatch !== undefined) {
    const tags = ifNoneMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(etag);
  }
  if (ifModifiedSince !== undefined) {
    const since = Date.parse(ifModifiedSince);
    return Number.isFinite(since) && Math.floor(lastChange / 1000) * 1000 <= since;
  }
  return false;
}

function iso(epochMs: number | undefined): string | null {
  return epochMs === undefined ? null : new Date(epochMs).toISOString();
}
