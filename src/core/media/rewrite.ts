import { escapeAttribute } from 'entities';
import { bestSrcsetCandidate, normalizeImageUrl } from './collect.js';
import { mediaLink } from './path.js';
import { attribute, scanImageTags, type ImageTag } from './scan.js';

/**
 * rewriteImages points every mirrored image of a body at its local copy, relative to the article
 * file (`../../../../../media/ab/ab12….jpg` from `articles/rfi/2023/10/20/x.md`):
 * - an `<img>` whose URL (its `data-original-src`, else its best srcset candidate, else `src`) is
 *   in `mapping` gets the local `src`, keeps the original URL in `data-original-src`, and loses
 *   `srcset` and `sizes` (they name remote files a reader behind a firewall cannot load);
 * - a picture `<source>` whose best candidate is mapped gets the local file as its only candidate
 *   and keeps the original srcset in `data-original-srcset`;
 * - every other image is left exactly as it was, with its original URL.
 * Only the rewritten tags change; every other byte of the body is kept. Idempotent: rewriting an
 * already rewritten body with the same mapping returns it unchanged.
 * `mapping` maps a normalized original URL (as collectImageUrls returns it) to the media path
 * relative to the media root's parent (e.g. `media/ab/ab12….jpg`).
 *
 * @example
 * rewriteImages('<img src="https://s.rfi.fr/a.jpg">', new Map([['https://s.rfi.fr/a.jpg', 'media/ab/ab12.jpg']]), 'articles/rfi/2023/10/20/x.md')
 * // '<img src="../../../../../media/ab/ab12.jpg" data-original-src="https://s.rfi.fr/a.jpg">'
 */
export function rewriteImages(html: string, mapping: ReadonlyMap<string, string>, articlePath: string): string {
  if (mapping.size === 0) return html;
  let out = '';
  let copied = 0;
  for (const tag of scanImageTags(html)) {
    const attributes = tag.name === 'img' ? rewriteImg(tag, mapping, articlePath) : tag.inPicture ? rewriteSource(tag, mapping, articlePath) : undefined;
    if (attributes === undefined || sameAttributes(attributes, tag.attributes)) continue;
    out += html.slice(copied, tag.start) + serializeTag(tag, attributes);
    copied = tag.end;
  }
  return copied === 0 ? html : out + html.slice(copied);
}

function rewriteImg(tag: ImageTag, mapping: ReadonlyMap<string, string>, articlePath: string): [string, string][] | undefined {
  const recorded = attribute(tag, 'data-original-src');
  const choices = recorded !== undefined ? [recorded] : [bestSrcsetCandidate(attribute(tag, 'srcset') ?? ''), attribute(tag, 'src')];
  for (const raw of choices) {
    const url = raw === undefined ? undefined : normalizeImageUrl(raw);
    const target = url === undefined ? undefined : mapping.get(url);
    if (raw === undefined || target === undefined) continue;
    const local = mediaLink(articlePath, target);
    const out: [string, string][] = [];
    for (const [name, value] of tag.attributes) {
      if (name === 'srcset' || name === 'sizes' || name === 'data-original-src') continue;
      out.push([name, name === 'src' ? local : value]);
      if (name === 'src') out.push(['data-original-src', raw]);
    }
    if (!out.some(([name]) => name === 'src')) out.unshift(['src', local], ['data-original-src', raw]);
    return out;
  }
  return undefined;
}

function rewriteSource(tag: ImageTag, mapping: ReadonlyMap<string, string>, articlePath: string): [string, string][] | undefined {
  const original = attribute(tag, 'data-original-srcset') ?? attribute(tag, 'srcset');
  if (original === undefined) return undefined;
  const best = bestSrcsetCandidate(original);
  const url = best === undefined ? undefined : normalizeImageUrl(best);
  const target = url === undefined ? undefined : mapping.get(url);
  if (target === undefined) return undefined;
  const out: [string, string][] = [];
  for (const [name, value] of tag.attributes) {
    if (name === 'data-original-srcset') continue;
    out.push([name, name === 'srcset' ? mediaLink(articlePath, target) : value]);
    if (name === 'srcset') out.push(['data-original-srcset', original]);
  }
  return out;
}

function sameAttributes(a: [string, string][], b: [string, string][]): boolean {
  return a.length === b.length && a.every(([name, value], index) => b[index]?.[0] === name && b[index]?.[1] === value);
}

function serializeTag(tag: ImageTag, attributes: [string, string][]): string {
  const parts = attributes.map(([name, value]) => (value === '' ? ` ${name}=""` : ` ${name}="${escapeAttribute(value)}"`));
  return `<${tag.name}${parts.join('')}${tag.selfClosing ? ' />' : '>'}`;
}
