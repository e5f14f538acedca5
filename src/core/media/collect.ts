import { attribute, scanImageTags } from './scan.js';

/** ImageEnclosure is the part of a feed enclosure that tells whether it is an image. */
export interface ImageEnclosure {
  url: string;
  type?: string;
}

/** ImageExtras are the images a feed gives beside the body: enclosures and the item's lead image. */
export interface ImageExtras {
  enclosures?: ImageEnclosure[];
  leadImage?: string;
}

/**
 * ImageRef is one image of an article and the URLs that can stand for it, best first (the largest
 * srcset candidate, then `src`). Mirroring one of them is enough.
 */
export interface ImageRef {
  kind: 'img' | 'source' | 'enclosure' | 'lead';
  candidates: string[];
}

const IMAGE_EXTENSION = /\.(?:jpe?g|png|gif|webp|avif|svg)$/i;

/**
 * collectImageUrls lists every image of a stored article: each img's `src` and best srcset
 * candidate (largest width, else highest density), picture sources, image enclosures (type
 * image/* or an image file extension) and the feed's lead image. Only absolute http(s) URLs, with
 * the fragment removed, deduplicated, in document order (body, then enclosures, then lead image).
 * An image already mirrored is listed by its `data-original-src`.
 *
 * @example
 * collectImageUrls('<img src="https://a.example/1.jpg" srcset="https://a.example/2.jpg 2x">')
 * // ['https://a.example/2.jpg', 'https://a.example/1.jpg']
 */
export function collectImageUrls(html: string, extra: ImageExtras = {}): string[] {
  return [...new Set(collectImageRefs(html, extra).flatMap((ref) => ref.candidates))];
}

/**
 * collectImageRefs groups the URLs of collectImageUrls by image, so a mirror can fall back from a
 * failed srcset candidate to `src`. An image named twice (same URLs) is listed once.
 */
export function collectImageRefs(html: string, extra: ImageExtras = {}): ImageRef[] {
  const refs: ImageRef[] = [];
  const seen = new Set<string>();
  const add = (kind: ImageRef['kind'], raws: (string | undefined)[]): void => {
    const candidates: string[] = [];
    for (const raw of raws) {
      const url = raw === undefined ? undefined : normalizeImageUrl(raw);
      if (url !== undefined && !candidates.includes(url)) candidates.push(url);
    }
    // The same image named twice is one image; an image that shares only its fallback with an
    // earlier one is still its own (it may need that fallback after its first choice failed).
    const key = JSON.stringify(candidates);
    if (candidates.length === 0 || seen.has(key)) return;
    seen.add(key);
    refs.push({ kind, candidates });
  };
  for (const tag of scanImageTags(html)) {
    if (tag.name === 'img') {
      const original = attribute(tag, 'data-original-src');
      if (original !== undefined && normalizeImageUrl(original) !== undefined) add('img', [original]);
      else add('img', [bestSrcsetCandidate(attribute(tag, 'srcset') ?? ''), attribute(tag, 'src')]);
    } else if (tag.inPicture) {
      add('source', [bestSrcsetCandidate(attribute(tag, 'data-original-srcset') ?? attribute(tag, 'srcset') ?? '')]);
    }
  }
  for (const enclosure of extra.enclosures ?? []) {
    if (isImageEnclosure(enclosure)) add('enclosure', [enclosure.url]);
  }
  add('lead', [extra.leadImage]);
  return refs;
}

/**
 * normalizeImageUrl returns the URL in the form used as a mapping key (parsed and serialized, no
 * fragment), or undefined for anything but an absolute http(s) URL.
 */
export function normalizeImageUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  return url.href;
}

/**
 * bestSrcsetCandidate returns the URL of the largest candidate of a srcset: the largest `w`
 * descriptor when any candidate has one, else the highest `x` density (no descriptor means 1x).
 */
export function bestSrcsetCandidate(srcset: string): string | undefined {
  let best: { url: string; width: number; density: number } | undefined;
  for (const candidate of parseSrcset(srcset)) {
    if (
      best === undefined ||
      candidate.width > best.width ||
      (candidate.width === best.width && candidate.density > best.density)
    ) {
      best = candidate;
    }
  }
  return best?.url;
}

/** parseSrcset splits a srcset as the HTML standard does: a URL, then descriptors up to the comma. */
function parseSrcset(srcset: string): { url: string; width: number; density: number }[] {
  const out: { url: string; width: number; density: number }[] = [];
  let position = 0;
  while (position < srcset.length) {
    while (position < srcset.length && /[\s,]/.test(srcset[position] ?? '')) position++;
    const urlStart = position;
    while (position < srcset.length && !/\s/.test(srcset[position] ?? '')) position++;
    let url = srcset.slice(urlStart, position);
    let descriptors = '';
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      const end = srcset.indexOf(',', position);
      descriptors = srcset.slice(position, end < 0 ? srcset.length : end);
      position = end < 0 ? srcset.length : end + 1;
    }
    if (url === '') continue;
    let width = 0;
    let density = 1;
    for (const descriptor of descriptors.trim().split(/\s+/)) {
      const match = /^(\d+(?:\.\d+)?)([wx])$/i.exec(descriptor);
      if (match === null) continue;
      if (match[2]?.toLowerCase() === 'w') width = Number(match[1]);
      else density = Number(match[1]);
    }
    out.push({ url, width, density });
  }
  return out;
}

function isImageEnclosure(enclosure: ImageEnclosure): boolean {
  const type = enclosure.type?.trim().toLowerCase() ?? '';
  if (type.startsWith('image/')) return true;
  // A declared audio or video type wins over a misleading file name; a generic one does not.
  if (type !== '' && type !== 'application/octet-stream' && type !== 'binary/octet-stream') return false;
  let path: string;
  try {
    path = new URL(enclosure.url).pathname;
  } catch {
    return false;
  }
  return IMAGE_EXTENSION.test(path);
}
