import { Hono } from 'hono';
import { publicUrl } from '../../core/errors.js';
import type { RemovedArticle } from '../../core/model/index.js';
import type { FeedChannel, FeedItem } from '../../core/render/index.js';
import { feedBody } from '../body.js';
import { iso, type Env, type WebContext } from '../context.js';
import { sendFeed, type FeedFormat } from '../feed-response.js';
import { decodeCursor, encodeCursor, parseLimit, parseSourceFilter } from '../params.js';
import { removedPage } from '../removal-views.js';

const PAGE_SIZE = 50;
const MAX_LIMIT = 200;

/**
 * removedRoutes serves the removals: the /removed page, /api/removed (newest first, cursor paging)
 * and /feeds/removed.xml|.atom|.json. Without a re-check store they list nothing.
 */
export function removedRoutes(web: WebContext): Hono<Env> {
  const app = new Hono<Env>();
  const { deps } = web;

  const page = async (options: { limit: number; sourceIds?: string[]; cursor?: string }): Promise<{ items: RemovedArticle[]; next?: string }> => {
    const after = decodeCursor(options.cursor);
    const items = (await deps.recheck?.listRemoved({
      limit: options.limit + 1,
      ...(options.sourceIds === undefined ? {} : { sourceIds: options.sourceIds }),
      ...(after === undefined ? {} : { before: { confirmedAt: after.published, articleId: after.id } }),
    })) ?? [];
    const shown = items.slice(0, options.limit);
    const last = shown.at(-1);
    return items.length > options.limit && last !== undefined ? { items: shown, next: encodeCursor({ published: last.confirmedAt, id: last.articleId }) } : { items: shown };
  };

  app.get('/removed', async (c) => {
    const { items, next } = await page({ limit: PAGE_SIZE, cursor: c.req.query('before') });
    const lines = items.map((item) => ({
      id: item.articleId,
      title: item.title,
      sourceName: web.sourceName(item.sourceId),
      removedAt: web.time(item.confirmedAt),
      datetime: new Date(item.confirmedAt).toISOString(),
      rule: item.evidence[0]?.rule ?? '',
    }));
    return web.sendPage(c, '原文已删除', removedPage({ items: lines, ...(next === undefined ? {} : { olderUrl: `/removed?before=${next}` }) }), {
      feeds: [{ title: '原文已删除 (Atom)', href: '/feeds/removed.atom', type: 'application/atom+xml' }],
    });
  });

  app.get('/api/removed', async (c) => {
    const sourceIds = parseSourceFilter(c.req.queries('source') ?? [], web.knownSources);
    const { items, next } = await page({ limit: parseLimit(c.req.query('limit'), PAGE_SIZE, MAX_LIMIT), cursor: c.req.query('cursor'), ...(sourceIds === undefined ? {} : { sourceIds }) });
    return c.json({
      results: items.map((item) => ({
        id: item.articleId,
        source: item.sourceId,
        title: item.title,
        url: publicUrl(item.url),
        published: iso(item.published),
        removedAt: iso(item.confirmedAt),
        evidence: item.evidence.map((check) => ({ at: iso(check.at), status: check.status ?? null, finalUrl: publicUrl(check.finalUrl), rule: check.rule })),
      })),
      next: next ?? null,
    });
  });

  app.get('/feeds/:file{removed\\.(?:xml|atom|json)}', async (c) => {
    const format = c.req.param('file').slice('removed.'.length) as FeedFormat;
    const limit = parseLimit(c.req.query('limit'), PAGE_SIZE, MAX_LIMIT);
    const { items } = await page({ limit });
    const base = (deps.publicBaseUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '');
    const channel: FeedChannel = {
      key: 'removed',
      title: '新闻镜像：原文已删除',
      description: '来源网站已删除、本站保留存档的文章 · Articles removed at their source, kept here',
      homeUrl: `${base}/removed`,
      feedUrl: `${base}/feeds/removed.${format}${limit === PAGE_SIZE ? '' : `?limit=${limit}`}`,
      language: 'zh-CN',
      updated: items.reduce((latest, item) => Math.max(latest, item.confirmedAt), 0),
      items: await removalItems(web, items, base),
    };
    return sendFeed(c, channel, format);
  });

  return app;
}

/**
 * removalItems are removals as feed entries (for /feeds/removed.* and /feeds/changes.*): the kept
 * copy's text under a notice, dated when the removal was confirmed.
 */
export async function removalItems(web: WebContext, items: RemovedArticle[], base: string): Promise<FeedItem[]> {
  const articles = new Map((await web.deps.store.getArticles(items.map((item) => item.articleId))).map((article) => [article.id, article]));
  return items.map((item) => {
    const article = articles.get(item.articleId);
    return {
      id: item.articleId,
      title: `〔已删除〕${item.title}`,
      url: `${base}/articles/${item.articleId}`,
      mirrorUrl: `${base}/articles/${item.articleId}`,
      published: item.published,
      updated: item.confirmedAt,
      contentHtml: `<p>原文已于 ${web.time(item.confirmedAt)} 删除 · Removed at the source.</p>${article === undefined ? '' : feedBody(article.bodyHtml, `${base}/`)}`,
      authors: article?.authors ?? [],
      categories: article?.categories ?? [],
      sourceName: web.sourceName(item.sourceId),
      sourceFeedUrl: web.sourcesById.get(item.sourceId)?.url,
    };
  });
}
