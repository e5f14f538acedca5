/**
 * RemovalRule is what a site shows when an article was taken down, kept as data like the cleaning
 * rules: notices (literal text) that, on a page no longer holding the article, mean it was removed.
 * A notice alone never decides: CDT quotes WeChat's notices inside real articles, so a page counts
 * as a removal notice only when it holds the notice and little else (see `judgeLook`).
 */
export interface RemovalRule {
  /** Named in the evidence as `notice:<site>:<notice>`. */
  readonly site: string;
  /** Source ids the rule applies to; absent together with `hosts` means every source. */
  readonly sourceIds?: readonly string[];
  /** Hosts (and their subdomains) whose pages the rule applies to. */
  readonly hosts?: readonly string[];
  readonly notices: readonly string[];
}

/** GENERIC_REMOVAL_RULE holds the notices of removed pages seen across Chinese and English sites. */
export const GENERIC_REMOVAL_RULE: RemovalRule = {
  site: 'generic',
  notices: [
    '内容已删除',
    '该内容已被发布者删除',
    '此内容因违规无法查看',
    '该文章已被删除',
    '文章不存在',
    '页面不存在',
    '您访问的页面不存在',
    '抱歉，您访问的页面已被删除',
    '此帖已被删除',
    '內容已刪除',
    '頁面不存在',
    'this page is no longer available',
    'this content is no longer available',
    'the page you requested could not be found',
    'page not found',
  ],
};

/** WEIBO_WECHAT_RULE holds the platform notices of Weibo and WeChat articles that sources link to. */
export const WEIBO_WECHAT_RULE: RemovalRule = {
  site: 'weixin',
  hosts: ['mp.weixin.qq.com', 'weibo.com', 'weibo.cn'],
  notices: ['此内容因违规无法查看', '该内容已被发布者删除', '由用户投诉并经平台审核，涉嫌违反相关法律法规和政策', '抱歉，此微博已被作者删除', '该微博因被多人投诉'],
};

/** REMOVAL_RULES is the built-in rule list: the site rules first, then the generic one. */
export const REMOVAL_RULES: readonly RemovalRule[] = [WEIBO_WECHAT_RULE, GENERIC_REMOVAL_RULE];

/** rulesForPage picks the rules that apply to a source's page at `url`. */
export function rulesForPage(rules: readonly RemovalRule[], sourceId: string, url: string): RemovalRule[] {
  let host = '';
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    host = '';
  }
  return rules.filter((rule) => {
    if (rule.sourceIds === undefined && rule.hosts === undefined) return true;
    if (rule.sourceIds?.includes(sourceId)) return true;
    return rule.hosts?.some((name) => host === name || host.endsWith(`.${name}`)) ?? false;
  });
}

/** findNotice returns the first notice of `rules` in the page's text (case-insensitive), as `notice:<site>:<notice>`. */
export function findNotice(rules: readonly RemovalRule[], pageText: string): string | undefined {
  const text = pageText.toLowerCase();
  for (const rule of rules) {
    for (const notice of rule.notices) if (text.includes(notice.toLowerCase())) return `notice:${rule.site}:${notice}`;
  }
  return undefined;
}
