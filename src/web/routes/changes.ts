import { Hono } from 'hono';
import { sanitizeHtml } from '../../core/clean/index.js';
import { diffVersions } from '../../core/diff/index.js';
import type { FeedChannel, FeedItem } from '../../core/render/index.js';
import type { RemovedArticle } from '../../core/model/index.js';
import type { EditListItem } from '../../core/ports.js';
import type { Env, WebContext } from '../context.js';
import { diffFeedHtml, diffUrl } from '../diff-views.js';
import { sendFeed, type FeedFormat } from '../feed-response.js';
import { parseLimit } from '../params.js';
import { removalItems } from './removed.js';

const FEED_DEFAULT_LIMIT = 50;
const FEED_MAX_LIMIT = 200;

/** ChangeEvent is one entry of the changes feed, placed in time by `at`: an edit (a new version) or a confirmed removal. */
type ChangeEvent = { kind: 'edit'; at: number; edit: EditListItem } | { kind: 'removal'; at: number; removal: RemovedArticle };

/**
 * changeFeedRoutes serves `/feeds/changes.xml|.atom|.json` (`?limit` ≤ 200, default 50): the edits and
 * removals of every source, newest first; an edit's entry is the diff of the new version against the
 * one before it, a removal's the kept copy under a notice.
 * Mounted before the per-source feeds, so `changes` is not a source id a feed can be asked for.
 */
export function changeFeedRoutes(web: WebContext): Hono<Env> {
  const app = new Hono<Env>();
  const { deps } = web;

  app.get('/:file{changes\\.(?:xml|atom|json)}', async (c) => {
    const format = c.req.param('file').slice('changes.'.length) as FeedFormat;
    const limit = parseLimit(c.req.query('limit'), FEED_DEFAULT_LIMIT, FEED_MAX_LIMIT);
    const edits: ChangeEvent[] = (await deps.store.listRecentEdits({ limit })).map((edit) => ({ kind: 'edit', at: edit.seenAt, edit }));
    const removals: ChangeEvent[] = ((await deps.recheck?.listRemoved({ limit })) ?? []).map((removal) => ({ kind: 'removal', at: removal.confirmedAt, removal }));
    const events = [...edits, ...removals].sort((a, b) => b.at - a.at).slice(0, limit);
    const base = (deps.publicBaseUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '');
    const removed = await removalItems(
      web,
      events.flatMap((event) => (event.kind === 'removal' ? [event.removal] : [])),
      base,
    );
    // Its own entry id: the same article may also have edit entries in this feed.
    const removedById = new Map(removed.map((item) => [item.id, { ...item, id: `${item.id}:removed` }]));
    const items = await Promise.all(events.map((event) => (event.kind === 'edit' ? editItem(web, event.edit, base) : removedById.get(event.removal.articleId))));
    const channel: FeedChannel = {
      key: 'changes',
      title: '新闻镜像：文章改动与删除',
      description: '各来源文章的修改与删除：修改是新版本与上一版的对照，删除附本站保留的存档',
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
