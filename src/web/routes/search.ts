import { Hono, type Context } from 'hono';
import type { SearchQuery } from '../../core/ports.js';
import type { Env, WebContext } from '../context.js';
import { parseDateBound, parseLimit, parseOrder, parseQuery, parseSourceFilter, usage } from '../params.js';
import { toApiSearchResult } from '../search-json.js';
import { safeSnippet } from '../snippet.js';
import { toSimplified } from '../variant.js';
import { searchPage } from '../views.js';

const SEARCH_PAGE_SIZE = 20;

/** searchRoutes serves full-text search: the /search page and `GET /api/search`, which read the same parameters. */
export function searchRoutes(web: WebContext): Hono<Env> {
  const app = new Hono<Env>();
  const { deps } = web;

  const searchQuery = (c: Context<Env>): SearchQuery => {
    const query: SearchQuery = {
      q: parseQuery(c.req.query('q')),
      order: parseOrder(c.req.query('order')),
      limit: parseLimit(c.req.query('limit'), SEARCH_PAGE_SIZE, 100),
    };
    const sourceIds = parseSourceFilter(c.req.queries('source') ?? [], web.knownSources);
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
    if (raw.trim() === '') return web.sendPage(c, '搜索', searchPage({ ...form, hits: [] }));
    const query = searchQuery(c);
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
      sourceName: web.sourceName(hit.sourceId),
      time: web.time(hit.published),
      datetime: new Date(hit.published).toISOString(),
      snippet: safeSnippet(hit.snippet),
    }));
    return web.sendPage(c, `搜索：${query.q}`, searchPage({ ...form, q: query.q, searchedAs, total: result.total, hits, nextUrl }), { q: query.q });
  });

  app.get('/api/search', async (c) => c.json(toApiSearchResult(await deps.search.search(searchQuery(c)))));

  return app;
}
