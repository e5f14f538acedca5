// Article title from page metadata: og:title first (publishers set it for sharing, so it is the
// cleanest), then the JSON-LD headline, then <title>, then a lone <h1>; site names appended after a
// separator (" - BBC News 中文", " – 法国国际广播电台 - RFI", "_新浪网") are removed.
import { attr, innerText, type Element } from './dom.js';
import { weightedLength } from './generic.js';

const SEPARATOR = /\s+[-|–—:»·]\s+|\s*[｜|_]+\s*|-{1,2}/g;
const HAN = /\p{Script=Han}/u;
/** What may follow an unspaced hyphen as a site name: Chinese words, a domain, or an all-caps brand. */
const UNSPACED_SITE = /\p{Script=Han}|\.(com|net|cn|org)\b|^[A-Z][A-Z0-9.]+(\s|$)/u;

/** stripSiteSuffix removes trailing " - Site" parts that are shorter than the title they follow. */
export function stripSiteSuffix(title: string): string {
  let t = title.replace(/\s+/g, ' ').trim();
  for (let i = 0; i < 3; i++) {
    // "COVID-19", "Mate-X": an unspaced hyphen only separates a site name from a Chinese headline.
    const seps = [...t.matchAll(SEPARATOR)].filter((m) => {
      if (!/^-+$/.test(m[0])) return true;
      const head = t.slice(0, m.index);
      const tail = t.slice(m.index + m[0].length).trim();
      return HAN.test(head) && tail.length >= 2 && UNSPACED_SITE.test(tail);
    });
    const last = seps[seps.length - 1];
    if (!last || last.index === undefined || last.index === 0) break;
    const head = t.slice(0, last.index).trim();
    const tail = t.slice(last.index + last[0].length).trim();
    // A site name is short and shorter than the headline; a subtitle after a dash usually is not.
    if (tail.length > 30 || weightedLength(tail) >= weightedLength(head) || head.length < 4) break;
    t = head;
  }
  return t;
}

/** TitleSources are a page's elements that can name its title, each list in document order. */
export interface TitleSources {
  meta: readonly Element[];
  h1: readonly Element[];
  title: readonly Element[];
}

/** findTitle picks the article title from a parsed page's elements; `jsonLdHeadline` comes from readJsonLd. */
export function findTitle(page: TitleSources, jsonLdHeadline?: string): string | undefined {
  const metas = page.meta;
  const meta = (names: string[]): string | undefined => {
    for (const name of names) {
      for (const m of metas) {
        const key = (attr(m, 'property') || attr(m, 'name')).toLowerCase();
        const content = attr(m, 'content').trim();
        if (key === name && content) return content;
      }
    }
    return undefined;
  };
  const h1s = page.h1.map((h) => innerText(h)).filter((h) => h.length >= 4);
  // The page's own heading wins when the metadata title is that heading plus a rubric or site name.
  const preferHeading = (t: string): string => h1s.find((h) => t.includes(h) && h.length >= t.length * 0.5) ?? t;
  const og = meta(['og:title', 'twitter:title', 'dc.title', 'dcterms.title']);
  if (og) return preferHeading(stripSiteSuffix(og));
  if (jsonLdHeadline) return jsonLdHeadline.replace(/\s+/g, ' ').trim();
  const titleEl = page.title[0];
  const raw = titleEl ? innerText(titleEl) : '';
  if (raw) return preferHeading(stripSiteSuffix(raw));
  return h1s[0];
}
