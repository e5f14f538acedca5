// Article title from page metadata: og:title first (publishers set it for sharing, so it is the
// cleanest), then the JSON-LD headline, then <title>, then a lone <h1>; site names appended after a
// separator (" - BBC News 中文", " – 法国国际广播电台 - RFI", "_新浪网") are removed.
import { attr, byTag, innerText, type AnyNode } from './dom.js';
import { weightedLength } from './generic.js';

const SEPARATOR = /\s+[-|–—:»·]\s+|\s*[｜|_]\s*/g;

/** stripSiteSuffix removes trailing " - Site" parts that are shorter than the title they follow. */
export function stripSiteSuffix(title: string): string {
  let t = title.replace(/\s+/g, ' ').trim();
  for (let i = 0; i < 3; i++) {
    const seps = [...t.matchAll(SEPARATOR)];
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

/** findTitle picks the article title from a parsed page; `jsonLdHeadline` comes from readJsonLd. */
export function findTitle(doc: AnyNode, jsonLdHeadline?: string): string | undefined {
  const metas = byTag(doc, 'meta');
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
  const og = meta(['og:title', 'twitter:title', 'dc.title', 'dcterms.title']);
  if (og) return stripSiteSuffix(og);
  if (jsonLdHeadline) return jsonLdHeadline.replace(/\s+/g, ' ').trim();
  const titleEl = byTag(doc, 'title')[0];
  const raw = titleEl ? innerText(titleEl) : '';
  const h1s = byTag(doc, 'h1');
  if (raw) {
    const stripped = stripSiteSuffix(raw);
    // Prefer the h1 when it is what the <title> starts with (keeps punctuation the suffix rule might cut).
    const h1 = h1s.length === 1 && h1s[0] ? innerText(h1s[0]) : '';
    if (h1 && raw.startsWith(h1) && h1.length >= stripped.length) return h1;
    return stripped;
  }
  const h1 = h1s[0] ? innerText(h1s[0]) : '';
  return h1 || undefined;
}
