/**
 * The reader's removal pieces, kept apart from views.ts: the notice an article page shows once its
 * removal at the source is confirmed, and the /removed page.
 */
import { publicUrl } from '../core/errors.js';
import type { Removal } from '../core/model/index.js';
import { html, type SafeHtml } from './html.js';
import { SERVER_LINKS, type Links } from './views.js';

/** RemovalNoticeView is a confirmed removal as the article page shows it; times already formatted. */
export interface RemovalNoticeView {
  removedAt: string;
  evidence: { at: string; status?: number; finalUrl: string; rule: string }[];
}

/** RULE_LABEL names the rules of the evidence for readers. */
const RULE_LABEL: Record<string, string> = {
  'http-404': '页面不存在 (HTTP 404)',
  'http-410': '页面已移除 (HTTP 410)',
  'http-451': '因法律原因不可用 (HTTP 451)',
  'redirect-home': '跳转到网站首页 · redirected to the home page',
  'redirect-section': '跳转到栏目页 · redirected to a section page',
  'soft-404': '页面不再包含文章 · the page no longer holds the article',
};

// Percent-encoded Chinese paths read as characters; a malformed escape stays as given.
function readable(url: string): string {
  try {
    return decodeURI(publicUrl(url));
  } catch {
    return publicUrl(url);
  }
}

function ruleLabel(rule: string): string {
  const notice = /^notice:[^:]+:(.*)$/.exec(rule);
  return notice === null ? (RULE_LABEL[rule] ?? rule) : `删除提示 · removal notice: “${notice[1] ?? ''}”`;
}

/**
 * standingRemovalNotice is the notice for an article's removal record when it is confirmed (and not
 * withdrawn, which getRemovals already leaves out); times go through the page's own formatter.
 */
export function standingRemovalNotice(removal: Removal | undefined, time: (ms: number) => string): { removal: SafeHtml } | Record<string, never> {
  if (removal?.confirmedAt === undefined) return {};
  return { removal: removalNotice({ removedAt: time(removal.confirmedAt), evidence: removal.evidence.map((check) => ({ ...check, at: time(check.at) })) }) };
}

/** removalNotice is the article page's notice that the source removed the article, with the checks that showed it. */
export function removalNotice(view: RemovalNoticeView): SafeHtml {
  return html`<section class="notice removal" role="note" aria-labelledby="removal-title">
<p id="removal-title"><strong>原文已于 ${view.removedAt} 删除</strong> · Removed at the source on ${view.removedAt}. 本页为存档副本 · This is the archived copy.</p>
<details><summary>证据 · Evidence (${view.evidence.length})</summary>
<ul>
${view.evidence.map((check) => html`<li><time>${check.at}</time> · ${check.status === undefined ? '' : html`HTTP ${check.status} · `}${ruleLabel(check.rule)} · <code>${readable(check.finalUrl)}</code></li>\n`)}</ul>
</details>
</section>`;
}

/** RemovedLine is one removed article on the /removed page. */
export interface RemovedLine {
  id: string;
  title: string;
  sourceName: string;
  removedAt: string;
  datetime: string;
  rule: string;
}

/** removedPage lists the articles removed at their source, newest removal first, each linking to the kept copy. */
export function removedPage(input: { items: RemovedLine[]; olderUrl?: string; links?: Links }): SafeHtml {
  const links = input.links ?? SERVER_LINKS;
  return html`<h1>原文已删除的文章 · Removed at the source</h1>
<p class="meta">每篇都经两次相隔数小时的检查确认 · Each confirmed by two checks hours apart. <a href="/feeds/removed.atom">订阅 · Atom</a></p>
${
  input.items.length === 0
    ? html`<p class="notice">还没有确认删除的文章。</p>`
    : html`<ul class="articles">
${input.items.map(
  (item) => html`<li><time datetime="${item.datetime}">${item.removedAt}</time><span class="src">${item.sourceName}</span><a class="title" href="${links.article(item.id)}">${item.title || '（无标题）'}</a> <span class="rule">${ruleLabel(item.rule)}</span></li>
`,
)}</ul>`
}
${input.olderUrl === undefined ? '' : html`<nav class="pager"><a href="${input.olderUrl}" rel="next">更早 · Older</a></nav>`}`;
}
