/**
 * The reader's pages as plain template functions: data in, escaped HTML out. Nothing here reads the
 * store or the request; app.ts loads the data and picks the page.
 */
import { publicUrl } from '../core/errors.js';
import { html, trustedHtml, type SafeHtml } from './html.js';
import { APP_CSS_VERSION } from './assets.js';
import { diffUrl } from './diff-views.js';
import type { Variant } from './variant.js';
import { LIMITS, capText, type Health } from '../core/model/index.js';

// A stored title can predate the title cap (or be any length in an old archive): a page shows a bounded one.
const pageTitle = (title: string): string => capText(title, LIMITS.pageTitleChars);

/** PageFrame is what every page shares: title, script variant, toggle links, the current query. */
export interface PageFrame {
  title: string;
  variant: Variant;
  /** The current page's URL with `variant=hans` / `variant=hant`, for the toggle. */
  hansUrl: string;
  hantUrl: string;
  q?: string;
  /** Feeds to announce with <link rel="alternate">. */
  feeds?: { title: string; href: string; type: string }[];
  /** Where links point; the server's routes unless a static export says otherwise. */
  links?: Links;
  /** A Content-Security-Policy for a page served without headers (a static export). */
  csp?: string;
  /** Scripts to load at the end of the body (a static export's search). */
  scripts?: string[];
}

/**
 * Links says where a page's links point: the server's routes (SERVER_LINKS), or the relative files
 * of a static export, which must work from file:// and from any sub-path of a static host.
 */
export interface Links {
  home: string;
  search: string;
  source(id: string): string;
  article(id: string, version?: number): string;
  /** What changed between two versions; absent where there are no diff pages (a static export). */
  diff?(id: string, from: number, to: number): string;
  /** The stylesheet and the icon. */
  css: string;
  icon: string;
  /** Server-only links (feeds, health): a static export has no server behind it. */
  server: boolean;
}

/** SERVER_LINKS are the web reader's own routes. */
export const SERVER_LINKS: Links = {
  home: '/',
  search: '/search',
  source: (id) => `/sources/${id}`,
  article: (id, version) => (version === undefined ? `/articles/${id}` : `/articles/${id}?version=${version}`),
  diff: (id, from, to) => diffUrl(id, from, to),
  css: `/assets/app.css?v=${APP_CSS_VERSION}`,
  icon: '/assets/icon.svg',
  server: true,
};

/** ListedArticle is one line of an article list. */
export interface ListedArticle {
  id: string;
  title: string;
  sourceName: string;
  /** `YYYY-MM-DD HH:mm` in the configured zone. */
  time: string;
  /** The same instant as ISO 8601, for `<time datetime>`. */
  datetime: string;
  dateMissing?: boolean;
  /** Search snippet, already HTML (escaped text with <mark>). */
  snippet?: string;
}

/** SourceRow is one source on the home page. */
export interface SourceRow {
  id: string;
  name: string;
  articles: number;
  health: Health | 'disabled';
  newest?: string;
}

const HEALTH_LABEL: Record<SourceRow['health'], string> = { ok: '正常', failing: '抓取失败', stale: '久未更新', never: '尚未抓取', disabled: '已停用' };

/** layout wraps a page body in the shared frame: header with search and 简/繁 toggle, main, footer. */
export function layout(frame: PageFrame, body: SafeHtml): SafeHtml {
  const links = frame.links ?? SERVER_LINKS;
  return html`<!doctype html>
<html lang="${frame.variant === 'hant' ? 'zh-Hant' : 'zh-Hans'}">
<head>
<meta charset="utf-8">
${frame.csp === undefined ? '' : html`<meta http-equiv="Content-Security-Policy" content="${frame.csp}">\n`}<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>${pageTitle(frame.title)} · 新闻镜像</title>
<link rel="stylesheet" href="${links.css}">
<link rel="icon" href="${links.icon}" type="image/svg+xml">
${(frame.feeds ?? []).map((feed) => html`<link rel="alternate" type="${feed.type}" title="${feed.title}" href="${feed.href}">\n`)}</head>
<body>
<a class="skip" href="#main">跳到正文</a>
<header class="site">
<div class="wrap">
<a class="brand" href="${links.home}">新闻<span>镜像</span></a>
<form class="search" role="search" action="${links.search}" method="get">
<label class="visually-hidden" for="site-q">搜索文章</label>
<input id="site-q" type="search" name="q" value="${frame.q ?? ''}" placeholder="搜索文章" maxlength="200">
<button type="submit">搜索</button>
</form>
<nav class="variant" aria-label="简体/繁體">
${frame.variant === 'hans' ? html`<a href="${frame.hansUrl}" aria-current="true" lang="zh-Hans">简体</a>` : html`<a href="${frame.hansUrl}" lang="zh-Hans">简体</a>`} ·
${frame.variant === 'hant' ? html`<a href="${frame.hantUrl}" aria-current="true" lang="zh-Hant">繁體</a>` : html`<a href="${frame.hantUrl}" lang="zh-Hant">繁體</a>`}
</nav>
</div>
</header>
<main id="main" class="wrap">
${body}
</main>
<footer class="site">
<div class="wrap">新闻镜像：外国中文新闻的存档与镜像。${
    links.server ? html`<a href="/feeds/all.atom">Atom</a> · <a href="/feeds/all.xml">RSS</a> · <a href="/feeds/all.json">JSON Feed</a> · <a href="/health">状态</a>` : '离线版。'
  }</div>
</footer>
${(frame.scripts ?? []).map((src) => html`<script src="${src}"></script>\n`)}</body>
</html>
`;
}

/** articleList renders articles as a list: time, source, title, and the snippet of a search hit. */
export function articleList(items: ListedArticle[], options: { showSource: boolean; links?: Links }): SafeHtml {
  const links = options.links ?? SERVER_LINKS;
  return html`<ul class="articles">
${items.map(
  (item) => html`<li><time datetime="${item.datetime}">${item.time}</time>${options.showSource ? html`<span class="src">${item.sourceName}</span>` : ''}<a class="title" href="${links.article(item.id)}">${pageTitle(item.title) || '（无标题）'}</a>${
    item.snippet === undefined ? '' : html`<p class="snippet">${trustedHtml(item.snippet)}</p>`
  }</li>
`,
)}</ul>`;
}

/** homePage lists the sources with counts and health, then the newest articles of all. */
export function homePage(input: { sources: SourceRow[]; newest: ListedArticle[]; olderUrl?: string; isFirstPage: boolean; links?: Links }): SafeHtml {
  const links = input.links ?? SERVER_LINKS;
  return html`${
    input.isFirstPage
      ? html`<h1>新闻来源</h1>
<table class="sources">
<caption class="visually-hidden">来源、文章数与抓取状态</caption>
<thead><tr><th scope="col">来源</th><th scope="col" class="num">文章</th><th scope="col">状态</th><th scope="col" class="opt">最新</th></tr></thead>
<tbody>
${input.sources.map(
  (source) => html`<tr><td><a href="${links.source(source.id)}">${source.name}</a></td><td class="num">${source.articles}</td><td><span class="health health-${source.health}">${HEALTH_LABEL[source.health]}</span></td><td class="opt">${source.newest ?? '—'}</td></tr>
`,
)}</tbody>
</table>`
      : ''
  }
<h2>最新文章</h2>
${input.newest.length === 0 ? html`<p class="notice">还没有文章。</p>` : articleList(input.newest, { showSource: true, links })}
${pager({ newerUrl: input.isFirstPage ? undefined : links.home, olderUrl: input.olderUrl })}`;
}

/** DayGroup is the articles of one calendar day in the configured zone. */
export interface DayGroup {
  day: string;
  items: ListedArticle[];
}

/** sourcePage lists one source's articles by day, newest first, one page at a time. */
export function sourcePage(input: {
  id: string;
  name: string;
  url: string;
  days: DayGroup[];
  olderUrl?: string;
  /** Where "newest" points from a later page; the source's first page by default. */
  newerUrl?: string;
  isFirstPage: boolean;
  total: number;
  links?: Links;
}): SafeHtml {
  const links = input.links ?? SERVER_LINKS;
  return html`<h1>${input.name}</h1>
<p class="meta">共 ${input.total} 篇 · 原始订阅源 ${externalLink(input.url)}${
    links.server ? html` · 全文订阅：<a href="/feeds/${input.id}.atom">Atom</a> · <a href="/feeds/${input.id}.xml">RSS</a> · <a href="/feeds/${input.id}.json">JSON</a>` : ''
  }</p>
${input.days.length === 0 ? html`<p class="notice">没有更多文章。</p>` : ''}
${input.days.map((group) => html`<section aria-labelledby="day-${group.day}">
<h2 id="day-${group.day}">${group.day}</h2>
${articleList(group.items, { showSource: false, links })}
</section>
`)}${pager({ newerUrl: input.isFirstPage ? undefined : (input.newerUrl ?? links.source(input.id)), olderUrl: input.olderUrl })}`;
}

/** ArticleView is an article page's data; `bodyHtml` is already sanitized for the page. */
export interface ArticleView {
  id: string;
  title: string;
  sourceId: string;
  sourceName: string;
  url: string;
  published: string;
  dateMissing: boolean;
  updated?: string;
  firstSeen: string;
  authors: string[];
  bodyHtml: string;
  /** Shown version when an earlier one was asked for. */
  showingVersion?: number;
  versions: { version: number; title: string; seenAt: string; current: boolean }[];
  /** The confirmed removal at the source, shown as a notice (removal-views.ts). */
  removal?: SafeHtml;
}

/** articlePage shows one article: title, source and original link, times, body, versions. */
export function articlePage(view: ArticleView, links: Links = SERVER_LINKS): SafeHtml {
  const edited = view.versions.length > 1;
  return html`<article aria-labelledby="article-title">
<header>
<p class="meta"><a href="${links.source(view.sourceId)}">${view.sourceName}</a>${view.authors.length > 0 ? html` · ${view.authors.join('、')}` : ''}</p>
<h1 id="article-title">${capText(view.title, LIMITS.titleChars) || '（无标题）'}</h1>
<dl class="times">
<dt>${view.dateMissing ? '首次抓取（无发布时间）' : '发布'}</dt><dd>${view.published}</dd>
${view.updated === undefined ? '' : html`<dt>更新</dt><dd>${view.updated}</dd>`}
<dt>首次抓取</dt><dd>${view.firstSeen}</dd>
<dt>原文</dt><dd>${externalLink(view.url)}</dd>
</dl>
${view.removal ?? ''}
${view.showingVersion === undefined ? '' : html`<p class="notice">这是第 ${view.showingVersion} 版（较早的版本）。<a href="${links.article(view.id)}">查看当前版本</a></p>`}
</header>
<div class="body">
${trustedHtml(view.bodyHtml)}
</div>
${
  edited
    ? html`<section aria-labelledby="versions">
<h2 id="versions">版本记录（共 ${view.versions.length} 版）</h2>
<ol>
${view.versions.map(
  (version, index) => html`<li>${version.current ? html`<a href="${links.article(view.id)}">` : html`<a href="${links.article(view.id, version.version)}">`}第 ${version.version} 版</a> · <time>${version.seenAt}</time> · ${pageTitle(version.title)}${version.current ? '（当前）' : ''}${versionDiffLink(view, index, links)}</li>
`,
)}</ol>
</section>`
    : ''
}
</article>`;
}

/** versionDiffLink links a version of the article page's list to what changed since the one before it. */
function versionDiffLink(view: ArticleView, index: number, links: Links): SafeHtml {
  const previous = view.versions[index - 1];
  const version = view.versions[index];
  if (links.diff === undefined || previous === undefined || version === undefined) return html``;
  return html` · <a class="diff-link" href="${links.diff(view.id, previous.version, version.version)}">与第 ${previous.version} 版比较</a>`;
}

/** SearchView is the search page's data: the form's values, the sources to filter by, the results. */
export interface SearchView {
  q: string;
  sources: { id: string; name: string }[];
  source?: string;
  from?: string;
  to?: string;
  order: 'newest' | 'relevance';
  /** The simplified form the query was searched as, when the query as typed found nothing. */
  searchedAs?: string;
  total?: number;
  hits: ListedArticle[];
  nextUrl?: string;
}

/** searchPage shows the full search form (filters, order) and a page of highlighted results. */
export function searchPage(view: SearchView): SafeHtml {
  return html`<h1>搜索</h1>
<form class="filters" action="/search" method="get" role="search" aria-label="高级搜索">
<label class="q">关键词<input type="search" name="q" value="${view.q}" maxlength="200"></label>
<label>来源<select name="source"><option value="">全部来源</option>
${view.sources.map((source) => (source.id === view.source ? html`<option value="${source.id}" selected>${source.name}</option>` : html`<option value="${source.id}">${source.name}</option>`))}
</select></label>
<label>从<input type="date" name="from" value="${view.from ?? ''}"></label>
<label>到<input type="date" name="to" value="${view.to ?? ''}"></label>
<label>排序<select name="order">
<option value="newest"${view.order === 'newest' ? trustedHtml(' selected') : ''}>最新</option>
<option value="relevance"${view.order === 'relevance' ? trustedHtml(' selected') : ''}>相关度</option>
</select></label>
<button type="submit">搜索</button>
</form>
${view.total === undefined ? '' : html`<p class="meta" role="status">${view.searchedAs === undefined ? '' : html`按简体“${view.searchedAs}”搜索：`}找到 ${view.total} 篇文章</p>`}
${view.hits.length > 0 ? articleList(view.hits, { showSource: true }) : view.total === 0 ? html`<p class="notice">没有找到相关文章。</p>` : ''}
${pager({ olderUrl: view.nextUrl, olderLabel: '下一页' })}`;
}

/** errorPage tells the reader what went wrong in one sentence. */
export function errorPage(status: number, message: string): SafeHtml {
  return html`<h1>${status === 404 ? '找不到这个页面' : status >= 500 ? '服务器出错了' : '请求有误'}</h1>
<p class="notice">${message}</p>
<p><a href="/">回到首页</a></p>`;
}

/**
 * externalLink links out only to http(s) URLs; anything else (javascript:, data:) is shown as text.
 * Either way it is the public form: an article stored before links were made public may still carry
 * its feed URL's credentials as its fallback link.
 */
function externalLink(raw: string): SafeHtml {
  const url = publicUrl(raw);
  return /^https?:\/\//i.test(url) ? html`<a href="${url}" rel="noopener noreferrer nofollow">${readableUrl(url)}</a>` : html`${url}`;
}

/** readableUrl shows percent-encoded Chinese paths as characters; the link itself stays encoded. */
function readableUrl(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}

function pager(links: { newerUrl?: string; olderUrl?: string; olderLabel?: string }): SafeHtml {
  if (links.newerUrl === undefined && links.olderUrl === undefined) return html``;
  return html`<nav class="pager" aria-label="翻页">
<span>${links.newerUrl === undefined ? '' : html`<a href="${links.newerUrl}" rel="prev">← 最新</a>`}</span>
<span>${links.olderUrl === undefined ? '' : html`<a href="${links.olderUrl}" rel="next">${links.olderLabel ?? '更早'} →</a>`}</span>
</nav>`;
}
