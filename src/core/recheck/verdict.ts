/**
 * The verdict of one re-check, pure: from what the article's page answered and the stored current
 * version, decide unchanged / edited / suspect (an edit held back) / gone / unreachable.
 */
import type { Article, SuspectReason } from '../model/index.js';
import { extractArticle } from '../extract/index.js';
import { cleanArticle, cleanTitle } from '../clean/index.js';
import { htmlToText, visibleText } from '../html/index.js';
import { sha256Hex } from '../identity/hash.js';
import { SUSPECT_TEXT_RATIO } from '../pipeline/plan.js';
import { findNotice, rulesForPage, type RemovalRule } from './rules.js';

/** PageLook is what fetching an article's page gave: a page, a 304, or a failure with its code and status. */
export type PageLook =
  | { kind: 'page'; status: number; finalUrl: string; html: string; etag?: string; lastModified?: string }
  | { kind: 'not-modified'; finalUrl: string }
  | { kind: 'failed'; code: string; message: string; status?: number; finalUrl: string };

/** PageVersion is the article as the page now shows it, cleaned as a sync would clean it. */
export interface PageVersion {
  pageHash: string;
  title: string;
  column?: string;
  bodyHtml: string;
  method: string;
  /** The extraction before cleaning, kept as the version's raw item. */
  extractedHtml: string;
}

/** Verdict is what one re-check found. */
export type Verdict =
  | { outcome: 'unchanged'; pageHash?: string }
  | ({ outcome: 'edited' } & PageVersion)
  | ({ outcome: 'suspect'; reason: SuspectReason } & PageVersion)
  | { outcome: 'gone'; rule: string }
  | { outcome: 'unreachable'; reason: string };

/** JudgeInput is the stored article, its page hash at the last look, and what the page answered. */
export interface JudgeInput {
  article: Pick<Article, 'sourceId' | 'url' | 'title' | 'bodyHtml' | 'method'>;
  /** Hash of the page's text at the last look that found the article (RecheckState.pageHash). */
  pageHash?: string;
  look: PageLook;
  rules: readonly RemovalRule[];
}

/** Statuses that say the page is gone; 403 is left out: a WAF or a region block says it too. */
const GONE_STATUSES = new Set([404, 410, 451]);

/**
 * RENDERING_SIMILARITY: at the first look at a page whose article came from the feed, a page text
 * this similar (bigram Dice) to the feed's is the same article rendered by the site (captions, credits
 * the feed left out), not an edit. Measured on nothing better than judgement: one rewritten paragraph
 * of ten scores about 0.9.
 */
export const RENDERING_SIMILARITY = 0.95;

/** A notice page or soft 404 holds less than this share of the article's bigrams. */
const NOT_THE_ARTICLE = 0.5;

/**
 * judgeLook decides what one re-check found:
 * - failed with 404, 410 or 451 → gone (`http-<status>`); any other failure (network, 5xx, 403,
 *   challenge page) → unreachable, never a removal;
 * - a redirect to the site's home page or to a section above the article → gone;
 * - a page holding a removal notice of the rules, or no article and not the title, and not the
 *   article's text → gone (`notice:<site>:<text>`, `soft-404`);
 * - a page whose cleaned text equals the current version's (whitespace aside), or the page as last
 *   seen, → unchanged; else edited, or suspect when its text shrank as the sync's rule says.
 *
 * @example judgeLook({ article, look: { kind: 'failed', code: 'http-status', status: 410, message: 'HTTP 410', finalUrl: article.url }, rules: REMOVAL_RULES }) // { outcome: 'gone', rule: 'http-410' }
 */
export function judgeLook(input: JudgeInput): Verdict {
  const { article, look } = input;
  if (look.kind === 'failed') {
    if (look.status !== undefined && GONE_STATUSES.has(look.status)) return { outcome: 'gone', rule: `http-${look.status}` };
    return { outcome: 'unreachable', reason: look.status === undefined ? look.code : `http-${look.status}` };
  }
  if (look.kind === 'not-modified') return input.pageHash === undefined ? { outcome: 'unchanged' } : { outcome: 'unchanged', pageHash: input.pageHash };
  const redirect = redirectRule(article.url, look.finalUrl);
  if (redirect !== undefined) return { outcome: 'gone', rule: redirect };

  const current = normalize(visibleText(article.bodyHtml));
  const extracted = extractArticle(look.html, look.finalUrl);
  const cleaned = extracted.method === 'none' ? '' : cleanArticle(extracted.html, { url: look.finalUrl, sourceId: article.sourceId }).html;
  const text = normalize(visibleText(cleaned));
  const similarity = dice(text, current);
  if (similarity < NOT_THE_ARTICLE) {
    const pageText = htmlToText(look.html);
    const notice = findNotice(rulesForPage(input.rules, article.sourceId, look.finalUrl), pageText);
    if (notice !== undefined) return { outcome: 'gone', rule: notice };
    const titleGone = !normalize(pageText).includes(normalize(article.title));
    if (titleGone && text.length < current.length * 0.2) return { outcome: 'gone', rule: 'soft-404' };
  }
  if (text === '') return input.pageHash === undefined ? { outcome: 'unchanged' } : { outcome: 'unchanged', pageHash: input.pageHash };

  const ruled = cleanTitle(extracted.title ?? '', article.sourceId);
  const titleKept = ruled.title === '' || sameTitle(ruled.title, article.title);
  const pageHash = sha256Hex(`${normalize(ruled.title)}\n${text}`);
  if (text === current && titleKept) return { outcome: 'unchanged', pageHash };
  if (pageHash === input.pageHash) return { outcome: 'unchanged', pageHash };
  if (input.pageHash === undefined && article.method === 'feed' && titleKept && similarity >= RENDERING_SIMILARITY) return { outcome: 'unchanged', pageHash };

  const version: PageVersion = {
    pageHash,
    title: titleKept ? article.title : ruled.title,
    bodyHtml: cleaned,
    method: extracted.method,
    extractedHtml: extracted.html,
  };
  if (!titleKept && ruled.column !== undefined) version.column = ruled.column;
  const before = visibleText(article.bodyHtml).length;
  const after = visibleText(cleaned).length;
  if (after < before * SUSPECT_TEXT_RATIO) return { outcome: 'suspect', reason: 'shorter', ...version };
  return { outcome: 'edited', ...version };
}

/**
 * redirectRule names a redirect that replaced the article with the site's home page (`redirect-home`)
 * or a section page above it (`redirect-section`: a path that is a strict prefix of the article's, or
 * one short path segment without digits); undefined for the article's own URL or another article.
 */
export function redirectRule(requested: string, final: string): string | undefined {
  let from: URL;
  let to: URL;
  try {
    from = new URL(requested);
    to = new URL(final);
  } catch {
    return undefined;
  }
  const segmentsOf = (url: URL): string[] => url.pathname.split('/').filter((segment) => segment !== '');
  const fromSegments = segmentsOf(from);
  const toSegments = segmentsOf(to).filter((segment, index, all) => !(index === all.length - 1 && /^index\.\w+$/i.test(segment)));
  if (fromSegments.join('/') === toSegments.join('/') && from.search === to.search) return undefined;
  if (toSegments.length === 0 && to.search === '') return 'redirect-home';
  if (to.search !== '' || toSegments.length >= fromSegments.length) return undefined;
  const prefix = toSegments.every((segment, index) => fromSegments[index] === segment);
  if (prefix || (toSegments.length === 1 && !/\d/.test(toSegments[0] as string))) return 'redirect-section';
  return undefined;
}

/** normalize is text as edits compare it: NFKC, with every whitespace and zero-width character removed. */
export function normalize(text: string): string {
  return text.normalize('NFKC').replace(/[\s\u200b-\u200d\u2060\ufeff]+/g, '');
}

function sameTitle(a: string, b: string): boolean {
  const x = normalize(a);
  const y = normalize(b);
  return x.includes(y) || y.includes(x);
}

/** dice is the Sørensen–Dice similarity of two texts' character bigrams (1 for equal texts, 0 for nothing shared). */
export function dice(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const counts = new Map<string, number>();
  for (let i = 0; i + 1 < a.length; i++) {
    const gram = a.slice(i, i + 2);
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  let shared = 0;
  for (let i = 0; i + 1 < b.length; i++) {
    const gram = b.slice(i, i + 2);
    const left = counts.get(gram) ?? 0;
    if (left > 0) {
      shared++;
      counts.set(gram, left - 1);
    }
  }
  return (2 * shared) / (a.length - 1 + (b.length - 1));
}
