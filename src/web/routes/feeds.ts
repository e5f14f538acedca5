import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { publicUrl } from '../../core/errors.js';
import type { FeedChannel } from '../../core/render/index.js';
import { feedBody } from '../body.js';
import type { Env, WebContext } from '../context.js';
import { sendFeed, type FeedFormat } from '../feed-response.js';
import { parseLimit } from '../params.js';

const FEED_DEFAULT_LIMIT = 50;
const FEED_MAX_LIMIT = 200;

/** feedRoutes republishes full-text feeds below /feeds: `<source id or all>.xml` (RSS), `.atom` and `.json`. */
export function feedRoutes(web: WebContext): Hono<Env> {
  const app = new Hono<Env>();
  const { deps } = web;

  app.get('/:file', async (c) => {
    const match = /^([a-z0-9][a-z0-9_-]{0,62})\.(xml|atom|json)$/.exec(c.req.param('file'));
    const id = match?.[1];
    const format = match?.[2] as FeedFormat | undefined;
    if (id === undefined || format === undefined || (id !== 'all' && !web.sourcesById.has(id))) {
      throw new HTTPException(404, { message: 'no such feed: use /feeds/<source id>.xml, .atom or .json (or all)' });
    }
    const limit = parseLimit(c.req.query('limit'), FEED_DEFAULT_LIMIT, FEED_MAX_LIMIT);
    const items = await deps.store.listRecentArticles({ sourceIds: id === 'all' ? undefined : [id], limit });
    const articles = await deps.store.getArticles(items.map((item) => item.id));
    const base = (deps.publicBaseUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '');
    const feedPath = `/feeds/${id}.${format}${limit === FEED_DEFAULT_LIMIT ? '' : `?limit=${limit}`}`;
    const lastChange = articles.reduce((latest, article) => Math.max(latest, article.firstSeen, article.updated ?? 0), 0);
    const channel: FeedChannel = {
      key: id,
      title: id === 'all' ? '新闻镜像：全部来源' : `${web.sourceName(id)} · 新闻镜像`,
      description: id === 'all' ? '各来源最新文章全文' : `${web.sourceName(id)}最新文章全文`,
      homeUrl: `${base}${id === 'all' ? '/' : `/sources/${id}`}`,
      feedUrl: `${base}${feedPath}`,
      language: 'zh-CN',
      updated: lastChange,
      items: articles.map((article) => ({
        id: article.id,
        title: article.title,
        // A feed's link must be a web page; a publisher's javascript: or relative link is not one.
        url: /^https?:\/\//i.test(article.url) ? publicUrl(article.url) : `${base}/articles/${article.id}`,
        mirrorUrl: `${base}/articles/${article.id}`,
        published: article.published,
        ...(article.version > 1 && article.updated !== undefined ? { updated: article.updated } : {}),
        contentHtml: feedBody(article.bodyHtml, `${base}/`),
        authors: article.authors,
        categories: article.categories,
        sourceName: web.sourceName(article.sourceId),
        sourceFeedUrl: web.sourcesById.get(article.sourceId)?.url,
      })),
    };
    return sendFeed(c, channel, format);
  });

  return app;
}
