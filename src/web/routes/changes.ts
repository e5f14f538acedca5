import { Hono } from 'hono';
import { sanitizeHtml } from '../../core/clean/index.js';
import { diffVersions } from '../../core/diff/index.js';
import type { FeedChannel, FeedItem } from '../../core/render/index.js';
import type { EditListItem } from '../../core/ports.js';
import type { Env, WebContext } from '../context.js';
import { diffFeedHtml, diffUrl } from '../diff-views.js';
import { sendFeed, type FeedFormat } from '../feed-response.js';
import { parseLimit } from '../params.js';

const FEED_DEFAULT_LIMIT = 50;
const FEED_MAX_LIMIT = 200;

/**
 * ChangeEvent is one entry of the changes feed, placed in time by `at`. Today an edit (a new version);
 * a removal at the source is another kind of event merged into the same newest-first list.
 */
interface ChangeEvent {
  kind: 'edit';
  at: number;
  edit: EditListItem;
}

/**
 * changeFeedRoutes serves `/feeds/changes.xml|.atom|.json` (`?limit` ≤ 200, default 50): the edits of
 * every source, newest first, each entry the diff of the new version against the one before it.
 * Mounted before the per-source feeds, so `changes` is not a source id a feed can be asked for.
 */
export function changeFeedRoutes(web: WebContext): Hono<Env> {
  const app = new Hono<Env>();
  const { deps } = web;

  app.get('/:file{changes\\.(?:xml|atom|json)}', async (c) => {
    const format = c.req.param('file').slice('changes.'.length) as FeedFormat;
    const limit = parseLimit(c.req.query('limit'), FEED_DEFAULT_LIMIT, FEED_MAX_LIMIT);
    const events: ChangeEvent[] = (await deps.store.listRecentEdits({ limit })).map((edit) => ({ kind: 'edit', at: edit.seenAt, edit }));
    const base = (deps.publicBaseUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '');
    const items = await Promise.all(events.map((event) => editItem(web, event.edit, base)));
    const channel: FeedChannel = {
      key: 'changes',
      title: '新闻镜像：文章改动',
      description: '各来源文章的修改：每一条是新版本与上一版的对照',
      homeUrl: `${base}/`,
      feedUrl: `${base}/feeds/changes.${format}${limit === FEED_DEFAULT_LIMIT ? '' : `?limit=${limit}`}`,
      language: 'zh-CN',
      updated: events.reduce((latest, event) => Math.max(latest, event.at), 0),
      items: items.filter((item): item is FeedItem => item !== undefined),
    };
    return sendFeed(c, channel, format);
  });

  return app;
}

/** editItem is an edit as a feed entry; undefined when its article or earlier version is gone (a rebuild in between). */
async function editItem(web: WebContext, edit: EditListItem, base: string): Promise<FeedItem | undefined> {
  const versions = await web.deps.store.listVersions(edit.articleId);
  const index = versions.findIndex((version) => version.version === edit.version);
  const now = versions[index];
  const before = versions[index - 1];
  if (now === undefined || before === undefined) return undefined;
  const pageUrl = `${base}${diffUrl(edit.articleId, before.version, now.version)}`;
  const diff = diffVersions({ title: before.title, bodyHtml: sanitizeHtml(before.bodyHtml) }, { title: now.title, bodyHtml: sanitizeHtml(now.bodyHtml) });
  return {
    // One entry per version: the article's URN with the version, so a reader sees every edit once.
    id: `${edit.articleId}:v${edit.version}`,
    title: `【改动】${edit.title || '（无标题）'}（第 ${before.version} 版 → 第 ${now.version} 版）`,
    url: pageUrl,
    mirrorUrl: `${base}/articles/${edit.articleId}`,
    published: edit.seenAt,
    contentHtml: diffFeedHtml(diff, pageUrl),
    authors: [],
    categories: [],
    sourceName: web.sourceName(edit.sourceId),
    sourceFeedUrl: web.sourcesById.get(edit.sourceId)?.url,
  };
}
