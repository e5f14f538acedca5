// Article bodies carried as data inside the page: schema.org JSON-LD (`articleBody`) and the state
// objects of JavaScript front ends (`__NEXT_DATA__`, `window.__INITIAL_STATE__`…). Both are cheap and
// exact when present, but both are also used for teasers, truncated previews and unrelated strings,
// so a body is only accepted when it is long enough and reads like prose.
import { decodeHTML } from 'entities';
import { blockText, escapeHtml, parseHtml, textContent } from '../html/index.js';
import { byTag, attr, type Element } from './dom.js';
import { weightedLength } from './generic.js';

const ARTICLE_TYPES =
  /^(Article|AdvertiserContentArticle|NewsArticle|AnalysisNewsArticle|AskPublicNewsArticle|BackgroundNewsArticle|OpinionNewsArticle|ReportageNewsArticle|ReviewNewsArticle|Report|SatiricalArticle|ScholarlyArticle|MedicalScholarlyArticle|SocialMediaPosting|BlogPosting|LiveBlogPosting|DiscussionForumPosting|TechArticle|APIReference)$/;

/** Minimum weighted length (see weightedLength) of a structured body we trust as the whole article. */
export const MIN_STRUCTURED_LENGTH = 600;

const BODY_KEYS = /^(articleBody|body|content|contentHtml|content_html|bodyHtml|body_html|html|text|articleContent|article_body|richText)$/i;
const STATE_ASSIGN = /(?:window\.)?(__INITIAL_STATE__|__PRELOADED_STATE__|__APOLLO_STATE__|__NUXT__|__INITIAL_DATA__)\s*=\s*/;

/** StructuredBody is an article body found as data in the page. */
export interface StructuredBody {
  /** Plain text, one line per paragraph. */
  text: string;
  /** HTML of the body when the data carried markup, otherwise paragraphs built from the text. */
  html: string;
  title?: string;
}

/** JsonLdInfo is what the page's JSON-LD says about the article. */
export interface JsonLdInfo {
  body?: StructuredBody;
  title?: string;
}

function isArticleType(t: unknown): boolean {
  if (typeof t === 'string') return ARTICLE_TYPES.test(t.replace(/^https?:\/\/schema\.org\//, ''));
  return Array.isArray(t) && t.some(isArticleType);
}

function collectArticles(v: unknown, out: Record<string, unknown>[], depth = 0): void {
  if (depth > 6 || v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (const x of v) collectArticles(x, out, depth + 1);
    return;
  }
  const o = v as Record<string, unknown>;
  if (isArticleType(o['@type'])) out.push(o);
  if (o['@graph']) collectArticles(o['@graph'], out, depth + 1);
  if (o.mainEntity) collectArticles(o.mainEntity, out, depth + 1);
}

/** parseJson parses JSON leniently: CDATA wrappers, HTML comments and trailing semicolons are tolerated. */
function parseJson(raw: string): unknown {
  const s = raw
    .replace(/^\s*(<!--|\/\/<!\[CDATA\[|<!\[CDATA\[)/, '')
    .replace(/(-->|\/\/\]\]>|\]\]>)\s*$/, '')
    .trim()
    .replace(/;\s*$/, '');
  try {
    return JSON.parse(s);
  } catch {
    // Some CMSs emit raw newlines inside JSON strings.
    try {
      return JSON.parse(s.replace(/[\r\n\t]+/g, ' '));
    } catch {
      return undefined;
    }
  }
}

const HTML_TAG = /<(p|br|div|h[1-6]|ul|ol|li|blockquote|figure|img|strong|em|a)\b[^>]*>/i;

/** toBody turns a text or HTML string into a StructuredBody, or undefined when it does not read like an article. */
export function toBody(value: string): StructuredBody | undefined {
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  let text: string;
  let html: string;
  if (HTML_TAG.test(trimmed)) {
    const doc = parseHtml(trimmed);
    for (const el of byTag(doc, new Set(['script', 'style', 'noscript', 'template', 'iframe']))) {
      if (!(el.name === 'iframe' && /youtube|vimeo/.test(attr(el, 'src')))) el.parent?.children.splice(el.parent.children.indexOf(el), 1);
    }
    text = blockText(doc);
    html = trimmed;
  } else {
    // Plain-text bodies still arrive entity-encoded from many CMSs (&amp;, &#8220;…).
    const paras = decodeHTML(trimmed)
      .split(/\n+/)
      .map((l) => l.replace(/\s+/g, ' ').trim())
      .filter(Boolean);
    text = paras.join('\n');
    html = paras.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  }
  return looksLikeProse(text) ? { text, html } : undefined;
}

const SENTENCE_MARKS = /[。，！？；：、.,!?;]/g;

/** looksLikeProse accepts long text with sentence punctuation and without code or markup residue. */
export function looksLikeProse(text: string): boolean {
  if (weightedLength(text) < MIN_STRUCTURED_LENGTH) return false;
  const marks = text.match(SENTENCE_MARKS)?.length ?? 0;
  const letters = text.replace(/[\s\p{P}\p{S}]/gu, '').length;
  if (letters === 0) return false;
  // Prose has a clause mark every ~10–60 letters; identifiers, base64 and URL lists do not.
  if (marks / letters < 0.01) return false;
  const codeish = (text.match(/[{}<>=]|function\s*\(|=>|https?:\/\//g)?.length ?? 0) / letters;
  return codeish < 0.01;
}

/** readJsonLd reads article title and body from the page's ld+json scripts (call before scripts are removed). */
export function readJsonLd(scripts: Element[]): JsonLdInfo {
  const articles: Record<string, unknown>[] = [];
  for (const s of scripts) {
    if (!/ld\+json/i.test(attr(s, 'type'))) continue;
    collectArticles(parseJson(textContent(s)), articles);
  }
  const info: JsonLdInfo = {};
  for (const a of articles) {
    const headline = typeof a.headline === 'string' ? a.headline : typeof a.name === 'string' ? a.name : undefined;
    if (!info.title && headline) info.title = headline.trim();
    if (!info.body && typeof a.articleBody === 'string') {
      const body = toBody(a.articleBody);
      if (body) info.body = { ...body, title: headline?.trim() };
    }
  }
  return info;
}

/** readState looks for an article body inside `__NEXT_DATA__` or a `window.__…STATE__ =` assignment. */
export function readState(scripts: Element[]): StructuredBody | undefined {
  let best: { body: StructuredBody; score: number } | undefined;
  for (const s of scripts) {
    const src = textContent(s);
    let data: unknown;
    if (attr(s, 'id') === '__NEXT_DATA__' || attr(s, 'id') === '__NUXT_DATA__') data = parseJson(src);
    else {
      const m = STATE_ASSIGN.exec(src);
      if (!m) continue;
      data = parseJson(sliceJsonValue(src, m.index + m[0].length));
    }
    if (data === undefined) continue;
    walkStrings(data, (key, value) => {
      if (!BODY_KEYS.test(key) || value.length < 200) return;
      const body = toBody(value);
      if (!body) return;
      const score = weightedLength(body.text);
      if (!best || score > best.score) best = { body, score };
    });
  }
  return best?.body;
}

/** sliceJsonValue returns the balanced {...} or [...] starting at `start` (strings respected). */
function sliceJsonValue(src: string, start: number): string {
  const open = src[start];
  if (open !== '{' && open !== '[') return '';
  let depth = 0;
  let inString = false;
  for (let i = start; i < src.length; i++) {
    const ch = src[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return src.slice(start, i + 1);
    }
  }
  return '';
}

function walkStrings(v: unknown, visit: (key: string, value: string) => void, key = '', depth = 0): void {
  if (depth > 40) return;
  if (typeof v === 'string') visit(key, v);
  else if (Array.isArray(v)) for (const x of v) walkStrings(x, visit, key, depth + 1);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) walkStrings(x, visit, k, depth + 1);
  }
}
