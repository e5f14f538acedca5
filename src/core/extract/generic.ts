// Generic main-content extraction. The scoring is adapted from Mozilla Readability
// (https://github.com/mozilla/readability, Apache-2.0; itself based on Arc90's readability.js) and
// re-implemented over domhandler so it runs without a browser DOM, with changes for Chinese pages:
// lengths are weighted so a Han character counts like a few Latin letters, full-width punctuation
// counts as clause separators, and Chinese boilerplate words (分享, 相关阅读, 责任编辑…) are known.
import {
  Element,
  ancestors,
  appendChild,
  attr,
  byTag,
  countTag,
  createElement,
  elementChildren,
  firstElementChild,
  groupByTag,
  hasAncestor,
  hasText,
  innerText,
  isHanUnit,
  isTag,
  isText,
  nextNode,
  parentElement,
  previousElementSibling,
  remove,
  replace,
  type AnyNode,
} from './dom.js';
import { DIV_TO_P, EMBEDS, HEADINGS, TextIndex } from './text-index.js';
import {
  isPlaceholderImage,
  LAZY_SRC_ATTRIBUTES,
  LAZY_SRCSET_ATTRIBUTES,
  lazyImageSrc,
  lazyImageSrcset,
  PHRASING_TAGS,
  textContent,
} from '../html/index.js';

const UNLIKELY =
  /-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote/i;
const MAYBE_CANDIDATE = /and|article|body|column|content|main|shadow/i;
const POSITIVE = /article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story/i;
const NEGATIVE =
  /-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget/i;
const BYLINE = /byline|author|dateline|writtenby|p-author/i;
const VIDEOS =
  /\/\/(www\.)?((dailymotion|youtube|youtube-nocookie|player\.vimeo|v\.qq)\.com|(archive|upload\.wikimedia)\.org|player\.twitch\.tv)/i;
const SHARE = /(\b|_)(share|sharedaddy)(\b|_)/i;
const AD_WORDS = /^(ad(vertising|vertisement)?|pub(licité)?|werb(ung)?|广告|廣告|Реклама|Anuncio)$/iu;
const LOADING_WORDS = /^((loading|正在加载|正在載入|Загрузка|chargement|cargando)(…|\.\.\.)?)$/iu;
const SENTENCE_END = /[.。！？!?]( |$)|[。！？]/;

const UNLIKELY_ROLES = new Set(['menu', 'menubar', 'complementary', 'navigation', 'alert', 'alertdialog', 'dialog']);
const ALTER_TO_DIV_EXCEPTIONS = new Set(['div', 'article', 'section', 'p', 'ol', 'ul']);
const TAGS_TO_SCORE = new Set(['section', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'td', 'pre']);
const PRESENTATIONAL: ReadonlySet<string> = new Set(['align', 'background', 'bgcolor', 'border', 'cellpadding', 'cellspacing', 'frame', 'hspace', 'rules', 'style', 'valign', 'vspace']);
const SIZE_ATTR_ELEMS = new Set(['table', 'th', 'td', 'hr', 'pre']);
/** What prepArticle removes outright (embeds unless they are videos). */
const CLEANED_TAGS = ['object', 'embed', 'footer', 'link', 'aside', 'iframe', 'input', 'textarea', 'select', 'button'];

const FLAG_STRIP_UNLIKELYS = 1;
const FLAG_WEIGHT_CLASSES = 2;
const FLAG_CLEAN_CONDITIONALLY = 4;

/** Minimum weighted length of an article; below it the extractor retries with looser flags. */
const CHAR_THRESHOLD = 500;
const TOP_CANDIDATES = 5;
/** Above this link density a table without data-table markup is a grid of links. */
const LINK_GRID_DENSITY = 0.6;

/**
 * Weighted length of a text: a Han character carries roughly what three Latin letters do, so Chinese
 * paragraphs reach the same thresholds as English ones of the same substance.
 */
export function weightedLength(s: string): number {
  let han = 0;
  for (let i = 0; i < s.length; i++) if (isHanUnit(s.charCodeAt(i))) han++;
  return s.length + han * 2;
}

/** GenericResult is the content root chosen by the generic extractor. */
export interface GenericResult {
  content: Element;
  byline?: string;
}

class Scorer {
  private flags = FLAG_STRIP_UNLIKELYS | FLAG_WEIGHT_CLASSES | FLAG_CLEAN_CONDITIONALLY;
  private readonly scores = new Map<Element, number>();
  private readonly dataTables = new Set<Element>();
  private byline: string | undefined;

  private body: Element;

  constructor(
    private readonly loadBody: () => Element,
    private readonly title: string,
  ) {
    this.body = loadBody();
  }

  run(): GenericResult | null {
    const attempts: { content: Element; length: number }[] = [];
    for (;;) {
      this.scores.clear();
      this.dataTables.clear();
      const content = this.grab();
      const length = weightedLength(innerText(content));
      if (length >= CHAR_THRESHOLD) return { content, byline: this.byline };
      attempts.push({ content, length });
      this.body = this.loadBody();
      if (this.flags & FLAG_STRIP_UNLIKELYS) this.flags &= ~FLAG_STRIP_UNLIKELYS;
      else if (this.flags & FLAG_WEIGHT_CLASSES) this.flags &= ~FLAG_WEIGHT_CLASSES;
      else if (this.flags & FLAG_CLEAN_CONDITIONALLY) this.flags &= ~FLAG_CLEAN_CONDITIONALLY;
      else {
        attempts.sort((a, b) => b.length - a.length);
        const best = attempts[0];
        return best && best.length > 0 ? { content: best.content, byline: this.byline } : null;
      }
    }
  }

  private classWeight(el: Element): number {
    if (!(this.flags & FLAG_WEIGHT_CLASSES)) return 0;
    let w = 0;
    const cls = attr(el, 'class');
    if (cls) {
      if (NEGATIVE.test(cls)) w -= 25;
      if (POSITIVE.test(cls)) w += 25;
    }
    const id = attr(el, 'id');
    if (id) {
      if (NEGATIVE.test(id)) w -= 25;
      if (POSITIVE.test(id)) w += 25;
    }
    return w;
  }

  private initialize(el: Element): void {
    let s = 0;
    switch (el.name) {
      case 'div':
        s += 5;
        break;
      case 'pre':
      case 'td':
      case 'blockquote':
        s += 3;
        break;
      case 'address':
      case 'ol':
      case 'ul':
      case 'dl':
      case 'dd':
      case 'dt':
      case 'li':
      case 'form':
        s -= 3;
        break;
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6':
      case 'th':
        s -= 5;
        break;
    }
    this.scores.set(el, s + this.classWeight(el));
  }

  // One attempt: drop what is unlikely content, score the paragraphs' ancestors, take the best
  // candidate with its worthy siblings, and clean that up.
  private grab(): Element {
    const elementsToScore = this.collectElementsToScore();
    // From here until the candidate is chosen the tree does not change: one index serves both steps.
    const index = new TextIndex();
    const candidates = this.scoreAncestors(elementsToScore, index);
    const topCandidate = this.chooseTopCandidate(this.topCandidates(candidates, index));
    const article = this.gatherWithSiblings(topCandidate);
    this.prepArticle(article);
    return article;
  }

  // Walks the body once: removes hidden, unlikely and empty elements and the byline (which it
  // keeps), turns divs of phrasing content into paragraphs, and returns the elements to score.
  private collectElementsToScore(): Element[] {
    const elementsToScore: Element[] = [];
    const walk = { titleHeaderLeft: true };
    let node: Element | null = this.body;
    while (node) {
      if (this.isDroppedOnTheWay(node, walk)) {
        node = removeAndGetNext(node);
        continue;
      }
      if (TAGS_TO_SCORE.has(node.name)) elementsToScore.push(node);
      if (node.name === 'div') node = divToParagraph(node, elementsToScore);
      node = nextNode(node);
    }
    return elementsToScore;
  }

  // Whether the walk removes `node`: hidden, a modal, the byline (kept aside), the heading that
  // repeats the title (the first only), unlikely by class, id or role, or an empty wrapper.
  private isDroppedOnTheWay(node: Element, walk: { titleHeaderLeft: boolean }): boolean {
    const matchString = `${attr(node, 'class')} ${attr(node, 'id')}`;
    if (!isProbablyVisible(node) || (attr(node, 'aria-modal') === 'true' && attr(node, 'role') === 'dialog')) return true;
    if (!this.byline && isValidByline(node, matchString)) {
      this.byline = innerText(node);
      return true;
    }
    if (walk.titleHeaderLeft && this.headerDuplicatesTitle(node)) {
      walk.titleHeaderLeft = false;
      return true;
    }
    if ((this.flags & FLAG_STRIP_UNLIKELYS) !== 0 && node !== this.body) {
      if (
        UNLIKELY.test(matchString) &&
        !MAYBE_CANDIDATE.test(matchString) &&
        !hasAncestor(node, 'table') &&
        !hasAncestor(node, 'code') &&
        node.name !== 'body' &&
        node.name !== 'a'
      ) {
        return true;
      }
      if (UNLIKELY_ROLES.has(attr(node, 'role'))) return true;
    }
    return (node.name === 'div' || node.name === 'section' || node.name === 'header' || HEADINGS.has(node.name)) && isElementWithoutContent(node);
  }

  // Gives each scorable element's ancestors (up to five levels) a share of its score; returns the
  // ancestors so scored, the candidates.
  private scoreAncestors(elementsToScore: readonly Element[], index: TextIndex): Element[] {
    const candidates: Element[] = [];
    for (const el of elementsToScore) {
      if (!el.parent || !isTag(el.parent)) continue;
      const wlen = index.weightedLength(el);
      if (wlen < 25) continue;
      const anc = ancestors(el, 5);
      if (anc.length === 0) continue;
      let score = 1;
      score += index.commas(el) + 1;
      score += Math.min(Math.floor(wlen / 100), 3);
      anc.forEach((a, level) => {
        if (!a.parent || !isTag(a.parent)) return;
        if (!this.scores.has(a)) {
          this.initialize(a);
          candidates.push(a);
        }
        const divider = level === 0 ? 1 : level === 1 ? 2 : level * 3;
        this.scores.set(a, (this.scores.get(a) ?? 0) + score / divider);
      });
    }
    return candidates;
  }

  // Scales each candidate's score by its link density and keeps the best TOP_CANDIDATES, best first.
  private topCandidates(candidates: readonly Element[], index: TextIndex): Element[] {
    const top: Element[] = [];
    for (const c of candidates) {
      const s = (this.scores.get(c) ?? 0) * (1 - index.linkDensity(c));
      this.scores.set(c, s);
      for (let t = 0; t < TOP_CANDIDATES; t++) {
        const other = top[t];
        if (!other || s > (this.scores.get(other) ?? 0)) {
          top.splice(t, 0, c);
          if (top.length > TOP_CANDIDATES) top.pop();
          break;
        }
      }
    }
    return top;
  }

  // The best candidate, or a common ancestor of several good ones, or a better-scoring parent; the
  // whole body wrapped in a div when nothing scored.
  private chooseTopCandidate(top: readonly Element[]): Element {
    const first = top[0];
    if (first === undefined || first === this.body) return this.wrapBody();
    let topCandidate = this.sharedAncestor(first, top);
    if (!this.scores.has(topCandidate)) this.initialize(topCandidate);
    topCandidate = this.betterParent(topCandidate);
    let parent = parentElement(topCandidate);
    while (parent && parent !== this.body && elementChildren(parent).length === 1) {
      topCandidate = parent;
      parent = parentElement(topCandidate);
    }
    if (!this.scores.has(topCandidate)) this.initialize(topCandidate);
    return topCandidate;
  }

  // Moves all of the body's children into a new div, the candidate of last resort.
  private wrapBody(): Element {
    const wrapper = createElement('div');
    // Move all children at once: one by one would splice the body's child array n times.
    wrapper.children = this.body.children;
    for (const c of wrapper.children) c.parent = wrapper;
    this.body.children = [wrapper];
    wrapper.parent = this.body;
    this.initialize(wrapper);
    return wrapper;
  }

  // When three or more other top candidates score nearly as well, the article is probably split
  // among them: their nearest ancestor shared with the best one holds it all.
  private sharedAncestor(best: Element, top: readonly Element[]): Element {
    const score = (el: Element): number => this.scores.get(el) ?? 0;
    const alternatives: Element[][] = [];
    for (let i = 1; i < top.length; i++) {
      const alt = top[i] as Element;
      if (score(alt) / score(best) >= 0.75) alternatives.push(ancestors(alt));
    }
    if (alternatives.length < 3) return best;
    let p = parentElement(best);
    while (p && p !== this.body) {
      let lists = 0;
      for (let i = 0; i < alternatives.length && lists < 3; i++) if ((alternatives[i] as Element[]).includes(p)) lists++;
      if (lists >= 3) return p;
      p = parentElement(p);
    }
    return best;
  }

  // Climbs to a scored ancestor that scores higher, while the scores on the way stay above a third.
  private betterParent(candidate: Element): Element {
    const score = (el: Element): number => this.scores.get(el) ?? 0;
    let parent = parentElement(candidate);
    let lastScore = score(candidate);
    const threshold = lastScore / 3;
    while (parent && parent !== this.body) {
      if (!this.scores.has(parent)) {
        parent = parentElement(parent);
        continue;
      }
      const ps = score(parent);
      if (ps < threshold) break;
      if (ps > lastScore) return parent;
      lastScore = ps;
      parent = parentElement(parent);
    }
    return candidate;
  }

  // The top candidate with the siblings that score well enough or read as prose, in a new div.
  private gatherWithSiblings(topCandidate: Element): Element {
    const article = createElement('div');
    const topScore = this.scores.get(topCandidate) ?? 0;
    const siblingThreshold = Math.max(10, topScore * 0.2);
    const parent = topCandidate.parent;
    const siblings = parent ? elementChildren(parent) : [topCandidate];
    const topClass = attr(topCandidate, 'class');
    for (const sibling of siblings) {
      let append = false;
      if (sibling === topCandidate) append = true;
      else {
        const bonus = topClass !== '' && attr(sibling, 'class') === topClass ? topScore * 0.2 : 0;
        const ss = this.scores.get(sibling);
        if (ss !== undefined && ss + bonus >= siblingThreshold) append = true;
        else if (sibling.name === 'p') {
          const ld = linkDensity(sibling);
          const content = innerText(sibling);
          const len = weightedLength(content);
          if (len > 80 && ld < 0.25) append = true;
          else if (len < 80 && len > 0 && ld === 0 && SENTENCE_END.test(content)) append = true;
        }
      }
      if (append) {
        if (!ALTER_TO_DIV_EXCEPTIONS.has(sibling.name)) sibling.name = 'div';
        appendChild(article, sibling);
      }
    }
    return article;
  }

  private headerDuplicatesTitle(node: Element): boolean {
    if (!this.title || (node.name !== 'h1' && node.name !== 'h2')) return false;
    return textSimilarity(this.title, innerText(node, false)) > 0.75;
  }

  private prepArticle(article: Element): void {
    cleanStyles(article);
    this.markDataTables(article);
    fixLazyImages(article);
    // Consecutive conditional cleanings share an index: their only changes are removals made through it.
    const forms = new TextIndex();
    this.cleanConditionally(article, 'form', forms);
    this.cleanConditionally(article, 'fieldset', forms);
    // Removing an element that an earlier removal already took out of the article changes nothing,
    // so the elements of every step are gathered in one walk, before the steps run in order.
    const cleaned = groupByTag(article, CLEANED_TAGS);
    const clean = (tag: string): void => {
      const isEmbed = EMBEDS.has(tag);
      for (const el of cleaned.get(tag) ?? []) {
        if (isEmbed && Object.values(el.attribs).some((v) => VIDEOS.test(v))) continue;
        remove(el);
      }
    };
    for (const tag of ['object', 'embed', 'footer', 'link', 'aside']) clean(tag);
    for (const child of elementChildren(article)) {
      cleanMatched(child, (n, m) => SHARE.test(m) && weightedLength(textContent(n)) < CHAR_THRESHOLD);
    }
    for (const tag of ['iframe', 'input', 'textarea', 'select', 'button']) clean(tag);
    for (const h of byTag(article, new Set(['h1', 'h2']))) if (this.classWeight(h) < 0) remove(h);
    const blocks = new TextIndex();
    this.cleanConditionally(article, 'table', blocks);
    this.cleanConditionally(article, 'ul', blocks);
    this.cleanConditionally(article, 'div', blocks);
    const last = groupByTag(article, ['h1', 'p', 'br', 'table']);
    for (const h of last.get('h1') ?? []) h.name = 'h2';
    for (const p of last.get('p') ?? []) {
      const media = byTag(p, new Set(['img', 'embed', 'object', 'iframe'])).length;
      if (media === 0 && !hasText(p)) remove(p);
    }
    for (const br of last.get('br') ?? []) {
      const next = nextNonBlank(br.next);
      if (next && isTag(next) && next.name === 'p') remove(br);
    }
    for (const table of last.get('table') ?? []) {
      const tbody = hasSingleTagInside(table, 'tbody') ? (firstElementChild(table) as Element) : table;
      if (!hasSingleTagInside(tbody, 'tr')) continue;
      const row = firstElementChild(tbody) as Element;
      if (!hasSingleTagInside(row, 'td')) continue;
      const cell = firstElementChild(row) as Element;
      cell.name = cell.children.every(isPhrasing) ? 'p' : 'div';
      replace(table, cell);
    }
  }

  private markDataTables(root: Element): void {
    for (const table of byTag(root, 'table')) {
      if (attr(table, 'role') === 'presentation' || attr(table, 'datatable') === '0') continue;
      if (attr(table, 'summary')) {
        this.dataTables.add(table);
        continue;
      }
      const caption = byTag(table, 'caption')[0];
      if (caption && caption.children.length) {
        this.dataTables.add(table);
        continue;
      }
      if (byTag(table, new Set(['col', 'colgroup', 'tfoot', 'thead', 'th'])).length) {
        this.dataTables.add(table);
        continue;
      }
      if (countTag(table, 'table')) continue;
      const { rows, columns } = rowAndColumnCount(table);
      if (columns === 1 || rows === 1) continue;
      // A grid whose text is nearly all links is a layout of teaser links, not data, however many rows.
      if (linkDensity(table) > LINK_GRID_DENSITY) continue;
      if (rows >= 10 || columns > 4 || rows * columns > 10) this.dataTables.add(table);
    }
  }

  private cleanConditionally(root: Element, tag: string, index: TextIndex): void {
    if (!(this.flags & FLAG_CLEAN_CONDITIONALLY)) return;
    const isData = (t: Element): boolean => this.dataTables.has(t);
    const nodes = byTag(root, tag);
    // Last first, so that an element is judged after the removals inside it; the index follows them.
    for (let i = nodes.length - 1; i >= 0; i--) {
      const node = nodes[i] as Element;
      if (this.shouldRemove(node, tag, isData, index)) index.remove(node, remove);
    }
  }

  private shouldRemove(node: Element, tag: string, isData: (t: Element) => boolean, index: TextIndex): boolean {
    const length = index.length(node);
    const inside = index.census(node);
    const isList = tag === 'ul' || tag === 'ol' || inside.listLength / length > 0.9;
    if (tag === 'table' && isData(node)) return false;
    if (hasAncestor(node, 'table', -1, isData)) return false;
    if (hasAncestor(node, 'code')) return false;
    if (inside.tables > 0 && byTag(node, 'table').some(isData)) return false;
    const weight = this.classWeight(node);
    if (weight < 0) return true;
    if (index.commas(node) >= 10) return false;

    const { p, img, input } = inside;
    const li = inside.li - 100;
    const headingDensity = index.headingDensity(node);
    if (inside.embeds > 0 && byTag(node, EMBEDS).some((e) => Object.values(e.attribs).some((v) => VIDEOS.test(v)))) return false;
    const embedCount = inside.embeds;
    if (length <= PLACEHOLDER_MAX && isPlaceholderText(innerText(node))) return true;
    const contentLength = index.weightedLength(node);
    const ld = index.linkDensity(node);
    const td = index.textishDensity(node);
    const isFigureChild = hasAncestor(node, 'figure');

    let remove =
      (!isFigureChild && img > 1 && p / img < 0.5) ||
      (!isList && li > p) ||
      input > Math.floor(p / 3) ||
      (!isList && !isFigureChild && headingDensity < 0.9 && contentLength < 25 && (img === 0 || img > 2) && ld > 0) ||
      (!isList && weight < 25 && ld > 0.2) ||
      (weight >= 25 && ld > 0.5) ||
      (embedCount === 1 && contentLength < 75) ||
      embedCount > 1 ||
      (img === 0 && td === 0);

    if (isList && remove) {
      for (const child of elementChildren(node)) if (elementChildren(child).length > 1) return remove;
      if (img === inside.li) remove = false;
    }
    return remove;
  }
}

// The ad and loading placeholders are single short words; longer text is never one.
const PLACEHOLDER_MAX = 16;

function isPlaceholderText(text: string): boolean {
  return AD_WORDS.test(text) || LOADING_WORDS.test(text);
}

// A div holding one paragraph gives way to it, a div without blocks becomes one; either is then
// scored. Returns the node the walk continues from.
function divToParagraph(div: Element, elementsToScore: Element[]): Element {
  wrapPhrasingRuns(div);
  if (hasSingleTagInside(div, 'p') && linkDensity(div) < 0.25) {
    const child = elementChildren(div)[0] as Element;
    replace(div, child);
    elementsToScore.push(child);
    return child;
  }
  if (!hasChildBlockElement(div)) {
    div.name = 'p';
    elementsToScore.push(div);
  }
  return div;
}

function removeAndGetNext(node: Element): Element | null {
  const next = nextNode(node, true);
  remove(node);
  return next;
}

function isProbablyVisible(node: Element): boolean {
  const style = node.attribs.style;
  if (style && /(^|;)\s*(display\s*:\s*none|visibility\s*:\s*hidden)/i.test(style)) return false;
  if ('hidden' in node.attribs) return false;
  if (node.attribs['aria-hidden'] === 'true' && !attr(node, 'class').includes('fallback-image')) return false;
  return true;
}

function isValidByline(node: Element, matchString: string): boolean {
  const rel = attr(node, 'rel');
  const itemprop = attr(node, 'itemprop');
  if (!(rel === 'author' || itemprop.includes('author') || BYLINE.test(matchString))) return false;
  const len = textContent(node).trim().length;
  return len > 0 && len < 100;
}

function textSimilarity(a: string, b: string): number {
  const tok = (s: string): string[] => tokenize(s.toLowerCase());
  const ta = tok(a);
  const tb = tok(b);
  if (!ta.length || !tb.length) return 0;
  const setA = new Set(ta);
  const uniq = tb.filter((t) => !setA.has(t));
  return 1 - uniq.join(' ').length / tb.join(' ').length;
}

/** Words for Latin text, single characters for Han text (Chinese titles have no spaces). */
function tokenize(s: string): string[] {
  return s.match(/\p{Script=Han}|[\p{L}\p{N}_]+/gu) ?? [];
}

function isElementWithoutContent(node: Element): boolean {
  if (hasText(node)) return false;
  const kids = elementChildren(node);
  return kids.length === 0 || kids.length === countTag(node, 'br') + countTag(node, 'hr');
}

function hasSingleTagInside(el: Element, tag: string): boolean {
  const kids = elementChildren(el);
  if (kids.length !== 1 || (kids[0] as Element).name !== tag) return false;
  return !el.children.some((c) => isText(c) && /\S$/.test(c.data));
}

function hasChildBlockElement(el: Element): boolean {
  return el.children.some((c) => isTag(c) && (DIV_TO_P.has(c.name) || hasChildBlockElement(c)));
}

function isPhrasing(node: AnyNode): boolean {
  if (isText(node)) return true;
  if (!isTag(node)) return false;
  if (PHRASING_TAGS.has(node.name)) return true;
  return (node.name === 'a' || node.name === 'del' || node.name === 'ins') && node.children.every(isPhrasing);
}

function isWhitespace(node: AnyNode): boolean {
  return (isText(node) && node.data.trim().length === 0) || (isTag(node) && node.name === 'br');
}

function nextNonBlank(node: AnyNode | null): AnyNode | null {
  let n = node;
  while (n && !isTag(n) && isText(n) && n.data.trim() === '') n = n.next;
  return n;
}

/** Puts runs of phrasing content of a block-holding div into paragraphs (Readability's div→p step). */
function wrapPhrasingRuns(div: Element): void {
  let p: Element | null = null;
  for (const child of [...div.children]) {
    if (isPhrasing(child)) {
      if (p) appendChild(p, child);
      else if (!isWhitespace(child)) {
        p = createElement('p');
        replace(child, p);
        appendChild(p, child);
      }
    } else if (p) {
      trimTrailingWhitespace(p);
      p = null;
    }
  }
  if (p) trimTrailingWhitespace(p);
}

function trimTrailingWhitespace(p: Element): void {
  for (;;) {
    const last = p.children[p.children.length - 1];
    if (!last || !isWhitespace(last)) return;
    remove(last);
  }
}

/** linkDensity is the share of an element's text inside links (in-page anchors count 30 %). */
export function linkDensity(el: Element): number {
  const total = innerText(el).length;
  if (total === 0) return 0;
  let linked = 0;
  for (const a of byTag(el, 'a')) {
    const coefficient = /^#.+/.test(attr(a, 'href')) ? 0.3 : 1;
    linked += innerText(a).length * coefficient;
  }
  return linked / total;
}

function cleanStyles(el: Element): void {
  if (el.name === 'svg') return;
  // Most elements have none of these: looking at the attributes present avoids a dozen deletes each.
  for (const a of Object.keys(el.attribs)) if (PRESENTATIONAL.has(a)) delete el.attribs[a];
  if (SIZE_ATTR_ELEMS.has(el.name)) {
    delete el.attribs.width;
    delete el.attribs.height;
  }
  for (const c of elementChildren(el)) cleanStyles(c);
}

function cleanMatched(root: Element, filter: (n: Element, match: string) => boolean): void {
  const end = nextNode(root, true);
  let next = nextNode(root);
  while (next && next !== end) {
    if (filter(next, `${attr(next, 'class')} ${attr(next, 'id')}`)) next = removeAndGetNext(next);
    else next = nextNode(next);
  }
}

function rowAndColumnCount(table: Element): { rows: number; columns: number } {
  let rows = 0;
  let columns = 0;
  for (const tr of byTag(table, 'tr')) {
    rows += parseInt(attr(tr, 'rowspan'), 10) || 1;
    let inRow = 0;
    for (const td of byTag(tr, 'td')) inRow += parseInt(attr(td, 'colspan'), 10) || 1;
    columns = Math.max(columns, inRow);
  }
  return { rows, columns };
}

const IMAGE_EXT = /\.(jpg|jpeg|png|webp)/i;
const LAZY_ATTRIBUTES: ReadonlySet<string> = new Set([...LAZY_SRC_ATTRIBUTES, ...LAZY_SRCSET_ATTRIBUTES]);

/**
 * Copies lazy-loading attributes into src/srcset: any attribute whose value looks like an image URL
 * (Readability's rule), then, for an image still without a real source, the known lazy-loading
 * attributes, whose URLs need not end in an image extension.
 */
function fixLazyImages(root: Element): void {
  for (const el of byTag(root, new Set(['img', 'picture', 'figure']))) {
    const src = attr(el, 'src');
    const b64 = /^data:\s*([^\s;,]+)\s*;\s*base64\s*,/i.exec(src);
    if (b64 && b64[1] !== 'image/svg+xml') {
      const other = Object.entries(el.attribs).some(([k, v]) => k !== 'src' && IMAGE_EXT.test(v));
      if (other && src.length - b64[0].length < 133) delete el.attribs.src;
    }
    const hasSrc = attr(el, 'src') || (attr(el, 'srcset') && attr(el, 'srcset') !== 'null');
    if (hasSrc && !attr(el, 'class').toLowerCase().includes('lazy')) continue;
    for (const [name, value] of Object.entries(el.attribs)) {
      if (name === 'src' || name === 'srcset' || name === 'alt') continue;
      let copyTo: string | null = null;
      if (/\.(jpg|jpeg|png|webp)\s+\d/.test(value)) copyTo = 'srcset';
      else if (/^\s*\S+\.(jpg|jpeg|png|webp)\S*\s*$/.test(value)) copyTo = 'src';
      if (!copyTo) continue;
      if (el.name === 'img' || el.name === 'picture') el.attribs[copyTo] = value;
      else if (el.name === 'figure' && !byTag(el, new Set(['img', 'picture'])).length) {
        appendChild(el, createElement('img', { [copyTo]: value }));
      }
    }
    if (el.name === 'img') adoptKnownLazySource(el);
  }
}

function adoptKnownLazySource(img: Element): void {
  const lazy = lazyImageSrc(img.attribs);
  if (lazy !== undefined && !isPlaceholderImage(lazy) && isPlaceholderImage(attr(img, 'src').trim())) img.attribs.src = lazy;
  const lazySet = lazyImageSrcset(img.attribs);
  if (lazySet !== undefined && attr(img, 'srcset').trim() === '') img.attribs.srcset = lazySet;
}

function isSingleImage(node: Element): boolean {
  let n: Element | undefined = node;
  while (n) {
    if (n.name === 'img') return true;
    const kids = elementChildren(n);
    if (kids.length !== 1 || hasText(n)) return false;
    n = kids[0];
  }
  return false;
}

/**
 * unwrapNoscriptImages drops images without any source and replaces placeholder images by the real
 * image kept in a following <noscript> (htmlparser2 parses noscript content as markup, so the image is
 * already an element). `images` and `noscripts` are the page body's, in document order.
 */
export function unwrapNoscriptImages(images: readonly Element[], noscripts: readonly Element[]): void {
  for (const img of images) {
    const keep = Object.entries(img.attribs).some(([k, v]) => k === 'src' || k === 'srcset' || LAZY_ATTRIBUTES.has(k) || IMAGE_EXT.test(v));
    if (!keep) remove(img);
  }
  for (const ns of noscripts) {
    if (!isSingleImage(ns)) continue;
    const prev = previousElementSibling(ns);
    if (!prev || !isSingleImage(prev)) continue;
    const prevImg = prev.name === 'img' ? prev : byTag(prev, 'img')[0];
    const newImg = byTag(ns, 'img')[0];
    if (!prevImg || !newImg) continue;
    for (const [k, v] of Object.entries(prevImg.attribs)) {
      if (v === '' || !(k === 'src' || k === 'srcset' || IMAGE_EXT.test(v))) continue;
      if (newImg.attribs[k] === v) continue;
      newImg.attribs[k in newImg.attribs ? `data-old-${k}` : k] = v;
    }
    replace(prev, newImg);
  }
}

/** simplifyNested drops empty divs/sections and collapses wrappers holding a single div/section. */
export function simplifyNested(root: Element): void {
  let node: Element | null = root;
  while (node) {
    if (node !== root && (node.name === 'div' || node.name === 'section')) {
      if (isElementWithoutContent(node)) {
        node = removeAndGetNext(node);
        continue;
      }
      if (hasSingleTagInside(node, 'div') || hasSingleTagInside(node, 'section')) {
        const child = elementChildren(node)[0] as Element;
        child.attribs = { ...node.attribs, ...child.attribs };
        replace(node, child);
        node = child;
        continue;
      }
    }
    node = nextNode(node);
  }
}

/**
 * extractGeneric finds the main content of a page. `loadBody` returns a fresh, prepared <body> each
 * time it is called (a failed attempt has modified the previous one, and the retry with looser
 * settings needs the original). `title` is used to drop the heading that repeats it. Returns null
 * when nothing readable is found.
 */
export function extractGeneric(loadBody: () => Element, title: string): GenericResult | null {
  return new Scorer(loadBody, title).run();
}
