import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { sanitizeHtml } from '../../core/clean/index.js';
import { diffVersions, type VersionDiff } from '../../core/diff/index.js';
import type { Article, ArticleVersion } from '../../core/model/index.js';
import { iso, type Env, type WebContext } from '../context.js';
import { diffPage, diffUrl, type VersionChoice } from '../diff-views.js';
import { parseDiffMode, parseVersion, usage } from '../params.js';

/** ComparedPair is the two versions a diff request names, checked against the article's versions. */
interface ComparedPair {
  article: Article;
  versions: ArticleVersion[];
  from: ArticleVersion;
  to: ArticleVersion;
}

/**
 * comparedPair reads `from` and `to`: by default the current version against the one before it, and
 * `to` alone against the one before it. Malformed or equal numbers are a usage error (400); an
 * unknown article or version, or an article with one version only, a 404.
 */
async function comparedPair(web: WebContext, id: string, rawFrom: string | undefined, rawTo: string | undefined): Promise<ComparedPair> {
  const fromNumber = parseVersion(rawFrom, 'from');
  const toNumber = parseVersion(rawTo, 'to');
  if (fromNumber !== undefined && fromNumber === toNumber) throw usage('from and to must be two different versions');
  const article = await web.findArticle(id);
  const versions = await web.deps.store.listVersions(article.id);
  const find = (version: number): ArticleVersion => {
    const found = versions.find((candidate) => candidate.version === version);
    if (found === undefined) throw new HTTPException(404, { message: `这篇文章没有第 ${version} 版。` });
    return found;
  };
  const to = toNumber === undefined ? versions.at(-1) : find(toNumber);
  const before = to === undefined ? undefined : versions[versions.indexOf(to) - 1];
  const from = fromNumber === undefined ? before : find(fromNumber);
  if (to === undefined || from === undefined) throw new HTTPException(404, { message: '这篇文章只有一个版本，没有可比较的改动。' });
  if (from === to) throw usage('from and to must be two different versions');
  return { article, versions, from, to };
}

/**
 * diffOf diffs two stored versions. Bodies go through the sanitizer again (as on every page) so the diff
 * reads the text a page shows; the diff itself carries text only, never markup.
 */
function diffOf(from: ArticleVersion, to: ArticleVersion): VersionDiff {
  return diffVersions({ title: from.title, bodyHtml: sanitizeHtml(from.bodyHtml) }, { title: to.title, bodyHtml: sanitizeHtml(to.bodyHtml) });
}

/** versionPageRoutes serves `/articles/<id>/diff`: what changed between two versions, inline or side by side. */
export function versionPageRoutes(web: WebContext): Hono<Env> {
  const app = new Hono<Env>();

  app.get('/articles/:id/diff', async (c) => {
    const mode = parseDiffMode(c.req.query('view'));
    const { article, versions, from, to } = await comparedPair(web, c.req.param('id'), c.req.query('from'), c.req.query('to'));
    const choice = (version: ArticleVersion): VersionChoice => ({ version: version.version, seenAt: web.time(version.seenAt), current: version.version === article.version });
    const diff = diffOf(from, to);
    const view = { id: article.id, title: article.title, sourceName: web.sourceName(article.sourceId), from: choice(from), to: choice(to), versions: versions.map(choice), diff, mode };
    return web.sendPage(c, `${article.title || '（无标题）'} · 第 ${from.version} 版 → 第 ${to.version} 版`, diffPage(view));
  });

  return app;
}

/**
 * versionApiRoutes serves the versions of an article below /api: `/articles/<id>/versions` (every version,
 * oldest first, without bodies) and `/articles/<id>/diff?from=&to=` (the structured diff the page shows).
 */
export function versionApiRoutes(web: WebContext): Hono<Env> {
  const app = new Hono<Env>();

  app.get('/articles/:id/versions', async (c) => {
    const article = await web.findArticle(c.req.param('id'));
    const versions = await web.deps.store.listVersions(article.id);
    return c.json({
      id: article.id,
      version: article.version,
      versions: versions.map((version, index) => ({
        version: version.version,
        title: version.title,
        seenAt: iso(version.seenAt),
        contentHash: version.contentHash,
        current: version.version === article.version,
        url: version.version === article.version ? `/articles/${article.id}` : `/articles/${article.id}?version=${version.version}`,
        diffFromPrevious: index === 0 ? null : diffUrl(article.id, (versions[index - 1] as ArticleVersion).version, version.version),
      })),
    });
  });

  app.get('/articles/:id/diff', async (c) => {
    const { article, from, to } = await comparedPair(web, c.req.param('id'), c.req.query('from'), c.req.query('to'));
    const diff = diffOf(from, to);
    return c.json({ id: article.id, from: from.version, to: to.version, ...diff });
  });

  return app;
}
