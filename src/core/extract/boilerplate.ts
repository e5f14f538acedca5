// Boilerplate that sits inside the article container of Chinese news pages, so that choosing the
// right container does not remove it: editor and source lines, "original title" notes, reprint
// notices, follow-us promos, share/print toolbars, "related news" headings with their link lists, and
// lists of teasers (title + date, repeated). Only short blocks are matched, so a sentence of the article
// that happens to mention an editor is never touched.
import {
  byTag,
  elementChildren,
  hasText,
  innerText,
  isTag,
  isText,
  nextElementSibling,
  remove,
  type AnyNode,
  type Element,
} from './dom.js';
import { linkDensity, weightedLength } from './generic.js';
import { TextIndex } from './text-index.js';

/** Lines about the article rather than of it: who edited it, where it came from, its old title. */
const META_LINE = [
  /^[（(【[]?\s*原标题\s*[:：]/,
  /(责任编辑|责编|编辑|校对|审校|审核|监制|值班主编|主编)\s*[:：|｜]/,
  /^(本文|文章|稿件|新闻|图片|资料)?来源\s*[:：]/,
  /^[（(]?(记者|通讯员|撰稿|作者)\s*[:：]/,
  /^(当前位置|您的位置|你的位置|您现在的位置|现在位置)\s*[:：]/,
];
/** Short notices and promos. */
const NOTICE_LINE = [
  /^(skip to (main )?content|back to top|return to top)$/i,
  /未经.{0,8}(授权|允许|许可|同意).{0,16}(转载|使用|复制|摘编)/,
  /(版权|著作权)(所有|归.{0,10}所有)/,
  /(扫描|扫码|长按|识别).{0,12}(二维码|关注)|关注.{0,20}(公众号|微信号|官方微信|微博)/,
  /下载.{0,12}(客户端|APP)/i,
  /^(分享到|分享至|分享|收藏|保存|打印|关闭|返回顶部|返回|举报|纠错|字号)(\s*[:：|｜/]?\s*(分享到|分享|收藏|保存|打印|关闭|返回|举报|纠错|大|中|小|微信|微博|QQ空间))*\s*[:：]?$/i,
];
/** Headings that introduce link lists to other articles. */
const RELATED_HEADING =
  /^(相关(新闻|阅读|文章|推荐|链接|报道|专题|资讯)|延伸阅读|推荐阅读|热门(文章|推荐|新闻)|猜你喜欢|更多(精彩|阅读|新闻)|you (may|might) also (like|enjoy)|related( (articles?|posts?|stories|content|reading|news|coverage))?|recommended( (for you|reading|stories|articles))?|(more|top|popular|trending|latest) (stories|articles|posts|news)|most (read|popular))\s*[:：]?$/i;
const DATE = /(19|20)\d\d\s*[-./年]\s*\d{1,2}|\d{1,2}月\d{1,2}日|\d{1,2}:\d{2}/;

const MEDIA = new Set(['img', 'video', 'audio', 'iframe', 'picture']);
const META_MAX = 120;
const NOTICE_MAX = 240;
const BLOCKS = new Set(['p', 'div', 'li', 'section', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'span', 'strong', 'em', 'blockquote', 'dd', 'dt', 'td']);

/** removeBoilerplate deletes in-article boilerplate blocks from `root` (modified in place). */
export function removeBoilerplate(root: Element): void {
  removeTeaserLists(root);
  // Every block is measured, and the blocks nest: the index measures each element once.
  const index = new TextIndex();
  const visit = (el: Element): void => {
    for (const child of elementChildren(el)) {
      if (!child.parent) continue;
      if (BLOCKS.has(child.name) && checkBlock(child, index)) continue;
      visit(child);
    }
  };
  visit(root);
  removeTrailingHeadings(root);
}

/** Removes `el` (through `index`) when it is a boilerplate block; returns whether it did. */
function checkBlock(el: Element, index: TextIndex): boolean {
  // Long blocks are never boilerplate lines; nor is a block padded with a lot of white space.
  if (index.rawLength(el) > NOTICE_MAX * 4 || index.length(el) > NOTICE_MAX) return false;
  const text = innerText(el);
  if (!text) return false;
  const len = weightedLength(text);
  if (len > NOTICE_MAX || hasMedia(el)) return false;
  if (RELATED_HEADING.test(text)) {
    const next = nextElementSibling(el);
    if (next && linkDensity(next) > 0.5) index.remove(next, remove);
    index.remove(el, remove);
    return true;
  }
  if ((len <= META_MAX && META_LINE.some((re) => re.test(text))) || NOTICE_LINE.some((re) => re.test(text))) {
    index.remove(el, remove);
    return true;
  }
  return false;
}

/** Icons (declared 32 px or smaller) do not count as media. */
function hasMedia(el: Element): boolean {
  return byTag(el, MEDIA).some((m) => {
    if (m.name !== 'img') return true;
    const w = Number(m.attribs.width);
    const h = Number(m.attribs.height);
    return !((w > 0 && w <= 32) || (h > 0 && h <= 32));
  });
}

/**
 * A run of three or more same-class siblings that are each a short line with a date is a list of
 * teasers (other articles), not part of this one.
 */
function removeTeaserLists(root: Element): void {
  for (const parent of [root, ...byTag(root, new Set(['div', 'ul', 'ol', 'section']))]) {
    if (!parent.parent && parent !== root) continue;
    const groups = new Map<string, Element[]>();
    for (const kid of elementChildren(parent)) {
      const key = `${kid.name}.${kid.attribs.class ?? ''}`;
      const list = groups.get(key) ?? [];
      list.push(kid);
      groups.set(key, list);
    }
    for (const [key, kids] of groups) {
      if (kids.length < 3 || (key.endsWith('.') && !key.startsWith('li.'))) continue;
      const teasers = kids.filter((k) => {
        const t = innerText(k);
        return t.length > 0 && weightedLength(t) < 150 && DATE.test(t) && !/[。！？]$/.test(t);
      });
      if (teasers.length >= 3 && teasers.length >= kids.length * 0.8) for (const k of kids) remove(k);
    }
  }
}

/** Headings left at the very end of the body introduce something that was removed. */
function removeTrailingHeadings(root: Element): void {
  for (;;) {
    const last = lastMeaningfulChild(root);
    if (!last) return;
    if (/^h[1-6]$/.test(last.name) || (!hasText(last) && !hasMedia(last))) {
      remove(last);
      continue;
    }
    if (last.name === 'div' || last.name === 'section') {
      const inner = lastMeaningfulChild(last);
      if (inner && /^h[1-6]$/.test(inner.name)) {
        remove(inner);
        continue;
      }
    }
    return;
  }
}

function lastMeaningfulChild(el: Element): Element | null {
  for (let i = el.children.length - 1; i >= 0; i--) {
    const c: AnyNode | undefined = el.children[i];
    if (!c) continue;
    if (isText(c)) {
      if (c.data.trim()) return null;
      continue;
    }
    if (isTag(c)) return c;
  }
  return null;
}
