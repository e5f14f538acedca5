import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { pageBody } from '../body.js';
import type { Env, WebContext } from '../context.js';
import { dayKey, decodeCursor } from '../params.js';
import { articlePage, homePage, sourcePage, type DayGroup, type SourceRow } from '../views.js';
import { standingRemovalNotice } from '../removal-views.js';

const PAGE_SIZE = 50;
const HOME_SIZE = 40;

/** pageRoutes serves the reader's pages: home, one source's articles by day, one article and its versions. */
export function pageRoutes(web: WebContext): Hono<Env> {
  const app = new Hono<Env>();
  const { deps, time } = web;

  app.get('/', async (c) => {
    const after = decodeCursor(c.req.query('before'));
    const [{ page, next }, rows] = await Promise.all([web.pageOf({ after, limit: HOME_SIZE }), web.healthRows()]);
    const sources: SourceRow[] = rows.map(({ source, summary, status }) => ({
      id: source.id,
      name: source.name,
      articles: summary.articleCount,
      health: status,
      newest: summary.newestPublished === undefined ? undefined : time(summary.newestPublished),
    }));
    return web.sendPage(c, '首页', homePage({ sources, newest: page.map(web.listed), olderUrl: next && `/?before=${next}`, isFirstPage: after === undefined }), {
      feeds: [{ title: '全部来源 (Atom)', href: '/feeds/all.atom', type: 'application/atom+xml' }],
    });
  });

  app.get('/sources/:id', async (c) => {
    const source = web.sourcesById.get(c.req.param('id'));
    if (source === undefined) throw new HTTPException(404, { message: '没有这个来源。' });
    const after = decodeCursor(c.req.query('before'));
    const { page, next } = await web.pageOf({ sourceIds: [source.id], after, limit: PAGE_SIZE });
    const days: DayGroup[] = [];
    for (const item of page) {
      const day = dayKey(item.published, deps.timeZone);
      const group = days.at(-1);
      // Under a day heading the time of day is enough.
      const line = { ...web.listed(item), time: time(item.published).slice(11) };
      if (group?.day === day) group.items.push(line);
      else days.push({ day, items: [line] });
    }
    const total = (await web.summarize()).find((summary) => summary.sourceId === source.id)?.articleCount ?? 0;
    return web.sendPage(
      c,
      source.name,
      sourcePage({ ...source, days, total, isFirstPage: after === undefined, olderUrl: next && `/sources/${source.id}?before=${next}` }),
      { feeds: [{ title: `${source.name} (Atom)`, href: `/feeds/${source.id}.atom`, type: 'application/atom+xml' }] },
    );
  });

  app.get('/articles/:id', async (c) => {
    const article = await web.findArticle(c.req.param('id'));
    const versions = await deps.store.listVersions(article.id);
    const removal = (await deps.recheck?.getRemovals([article.id]))?.get(article.id);
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
      sourceName: web.sourceName(article.sourceId),
      url: article.url,
      published: time(article.published),
      dateMissing: article.dateMissing,
      updated: article.updated === undefined || article.updated === article.published ? undefined : time(article.updated),
      firstSeen: time(article.firstSeen),
      authors: article.authors,
      bodyHtml: pageBody(body),
      showingVersion,
      versions: versions.map((version) => ({ version: version.version, title: version.title, seenAt: time(version.seenAt), current: version.version === article.version })),
      ...standingRemovalNotice(removal, time),
    };
    return web.sendPage(c, title || '（无标题）', articlePage(view));
  });

  return app;
}
