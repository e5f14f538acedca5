import { Hono } from 'hono';
import { publicUrl } from '../../core/errors.js';
import { pageBody } from '../body.js';
import { iso, type Env, type WebContext } from '../context.js';
import { decodeCursor, parseDateBound, parseLimit, parseSourceFilter, usage } from '../params.js';

const PAGE_SIZE = 50;
const API_MAX_LIMIT = 200;

/** apiRoutes serves the JSON API below /api: sources with counts and health, article pages, one article. */
export function apiRoutes(web: WebContext): Hono<Env> {
  const app = new Hono<Env>();
  const { deps } = web;

  app.get('/sources', async (c) => {
    const rows = await web.healthRows();
    return c.json({
      sources: rows.map(({ source, summary, status, state }) => ({
        id: source.id,
        name: source.name,
        url: source.url,
        articles: summary.articleCount,
        articlesLast24h: summary.articlesLast24h,
        newestPublished: iso(summary.newestPublished),
        status,
        lastSuccess: iso(state?.lastSuccessAt),
      })),
    });
  });

  app.get('/articles', async (c) => {
    const sourceIds = parseSourceFilter(c.req.queries('source') ?? [], web.knownSources);
    const from = parseDateBound(c.req.query('from'), 'from', deps.timeZone);
    const to = parseDateBound(c.req.query('to'), 'to', deps.timeZone);
    if (from !== undefined && to !== undefined && from >= to) throw usage('from must be before to');
    const { page, next } = await web.pageOf({
      sourceIds,
      from,
      to,
      after: decodeCursor(c.req.query('cursor')),
      limit: parseLimit(c.req.query('limit'), PAGE_SIZE, API_MAX_LIMIT),
    });
    return c.json({
      results: page.map((item) => ({ id: item.id, source: item.sourceId, title: item.title, url: publicUrl(item.url), published: iso(item.published), dateMissing: item.dateMissing })),
      next: next ?? null,
    });
  });

  app.get('/articles/:id', async (c) => {
    const article = await web.findArticle(c.req.param('id'));
    const versions = await deps.store.listVersions(article.id);
    return c.json({
      id: article.id,
      source: article.sourceId,
      title: article.title,
      url: publicUrl(article.url),
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

  return app;
}
