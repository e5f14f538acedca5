import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { publicUrl } from '../core/errors.js';
import { readSourceHealth, type HealthSource, type SourceHealthRow } from '../core/pipeline/health.js';
import type { Article, Health } from '../core/model/index.js';
import type { ArticleListItem, Clock, Logger, MediaStateStore, RecheckStore, SearchIndex, SourceSummary, Store } from '../core/ports.js';
import { formatListTime } from '../core/render/index.js';
import type { SafeHtml } from './html.js';
import { encodeCursor, type ListCursor } from './params.js';
import { convertHtmlText, type Variant } from './variant.js';
import { layout, type ListedArticle, type PageFrame } from './views.js';

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
  /** Removals at the source, for the article pages' notices and /removed; absent, nothing is shown as removed. */
  recheck?: Pick<RecheckStore, 'getRemovals' | 'listRemoved'>;
  /** Retry state of mirrored images, for /metrics; absent when `media.enabled` is false. */
  mediaState?: Pick<MediaStateStore, 'missingBySource'>;
  clock?: Clock;
  logger?: Logger;
}

/** HealthStatus is one source's state as /health and the home page report it. */
export type HealthStatus = Health | 'disabled';

/** Env is the Hono environment of every part of the reader: the chosen script variant. */
export type Env = { Variables: { variant: Variant } };

/** WebHealthRow is a source's health as the reader shows it: the core verdict, or `disabled`. */
export interface WebHealthRow extends SourceHealthRow {
  source: WebSource;
  status: HealthStatus;
}

/** WebContext is what the reader's parts share: the deps and the lookups and page frame built on them. */
export interface WebContext {
  deps: WebAppDeps;
  clock: Clock;
  sourcesById: ReadonlyMap<string, WebSource>;
  knownSources: ReadonlySet<string>;
  sourceName(id: string): string;
  /** A time as lists show it, in the configured zone. */
  time(epochMs: number): string;
  listed(item: ArticleListItem): ListedArticle;
  /** Per-source counts, reused for SUMMARY_TTL_MS. */
  summarize(): Promise<SourceSummary[]>;
  /** Every source's health (the one core verdict), with disabled sources marked. */
  healthRows(): Promise<WebHealthRow[]>;
  /** One page of newest articles, and the cursor of the next one when there is more. */
  pageOf(options: { sourceIds?: string[]; from?: number; to?: number; after?: ListCursor; limit: number }): Promise<{ page: ArticleListItem[]; next?: string }>;
  /** An article by id; a 404 for an unknown or malformed id. */
  findArticle(id: string): Promise<Article>;
  /** Renders a page in the reader's frame, in the visitor's script variant. */
  sendPage(c: Context<Env>, title: string, body: SafeHtml, options?: { status?: ContentfulStatusCode; q?: string; feeds?: PageFrame['feeds'] }): Response;
}

// Counting every article of every source costs ~75 ms at 1,000,000 articles, on the home page,
// each source page and /health; counts a minute old are fine there. Fetch state is never cached.
const SUMMARY_TTL_MS = 60_000;
const ARTICLE_ID = /^[a-z0-9]{1,32}$/;

/**
 * createWebContext builds the lookups the reader's parts share over the deps. The sources' URLs are
 * made public here, once, so no page, feed or API answer can show a configured credential or token.
 */
export function createWebContext(given: WebAppDeps): WebContext {
  const deps: WebAppDeps = { ...given, sources: given.sources.map((source) => ({ ...source, url: publicUrl(source.url) })) };
  const clock = deps.clock ?? { now: () => Date.now() };
  const sourcesById = new Map(deps.sources.map((source) => [source.id, source]));
  const sourceName = (id: string): string => sourcesById.get(id)?.name ?? id;
  const time = (epochMs: number): string => formatListTime(epochMs, deps.timeZone);

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
  const healthSource: HealthSource = {
    summarizeSources: summarize,
    listSourceStates: () => deps.store.listSourceStates(),
    listArticles: (sourceId, options) => deps.store.listArticles(sourceId, options),
  };

  return {
    deps,
    clock,
    sourcesById,
    knownSources: new Set(sourcesById.keys()),
    sourceName,
    time,
    listed: (item) => ({
      id: item.id,
      title: item.title,
      sourceName: sourceName(item.sourceId),
      time: time(item.published),
      datetime: new Date(item.published).toISOString(),
      dateMissing: item.dateMissing,
    }),
    summarize,
    async healthRows() {
      const rows = await readSourceHealth(healthSource, deps.sources, clock.now());
      return rows.map((row, index) => {
        const source = deps.sources[index] as WebSource;
        return { ...row, source, status: source.enabled === false ? 'disabled' : row.health };
      });
    },
    async pageOf(options) {
      const items = await deps.store.listRecentArticles({ ...options, limit: options.limit + 1 });
      const page = items.slice(0, options.limit);
      const last = page.at(-1);
      const next = items.length > options.limit && last !== undefined ? encodeCursor({ published: last.published, id: last.id }) : undefined;
      return { page, next };
    },
    async findArticle(id) {
      const article = ARTICLE_ID.test(id) ? await deps.store.getArticle(id) : undefined;
      if (article === undefined) throw new HTTPException(404, { message: `no article ${JSON.stringify(id.slice(0, 40))}` });
      return article;
    },
    sendPage(c, title, body, options = {}) {
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
    },
  };
}

/** iso renders epoch ms as an ISO 8601 string for JSON, null when unknown. */
export function iso(epochMs: number | undefined): string | null {
  return epochMs === undefined ? null : new Date(epochMs).toISOString();
}

/**
 * notModified applies RFC 9110 13.1: If-None-Match decides when present (weak comparison);
 * otherwise If-Modified-Since, at one-second precision.
 */
export function notModified(ifNoneMatch: string | undefined, ifModifiedSince: string | undefined, etag: string, lastChange: number): boolean {
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
