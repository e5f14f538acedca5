/**
 * Article bodies on their way out: stored bodies were sanitized before storage and are sanitized
 * again here (defence in depth: an old row, a bug in an earlier cleaner, a hand-edited database).
 *
 * Mirrored images are linked from the archive files as `../../../../../media/ab/<sha>.jpg`
 * (relative to the article file); the reader serves them at `/media/ab/<sha>.jpg`.
 *
 * On pages, images that were not mirrored (yet) are shown as a link to the original instead of
 * being loaded: loading them would tell the third-party host (and anyone watching the path) which
 * article the reader has open, and many such hosts are blocked where our readers are anyway. This
 * is what lets the Content-Security-Policy keep `img-src 'self'`. Feeds keep the remote URLs: a
 * feed reader fetches on its own terms.
 */
import { parseDocument } from 'htmlparser2';
import { Element, Text, type ChildNode, type ParentNode } from 'domhandler';
import render from 'dom-serializer';
import { sanitizeHtml } from '../core/clean/index.js';

// A media path at the end of a relative reference: `../../media/ab/<sha>.<ext>`, `media/…`, `/media/…`
// or under a relative linkBase folder (`../news-media/media/…`).
const MEDIA_REF = /^(?:\.{1,2}\/|\/)*(?:[^:?#]*\/)?media\/([0-9a-f]{2})\/(\1[0-9a-f]{62}\.[a-z0-9]{1,8})$/;

/** MEDIA_URL_PATH matches exactly the paths the reader serves media at. */
export const MEDIA_URL_PATH = /^\/media\/([0-9a-f]{2})\/(\1[0-9a-f]{62}\.(?:jpg|jpeg|png|gif|webp|avif|svg))$/;

/** mediaUrlPath turns an archive media reference into the reader's `/media/…` path, or undefined. */
export function mediaUrlPath(reference: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(reference)) return undefined;
  const match = MEDIA_REF.exec(reference);
  return match ? `/media/${match[1]}/${match[2]}` : undefined;
}

/**
 * pageBody prepares a stored body for an article page: sanitized again, then media served locally
 * and remote media as links (both changes only ever produce a validated `/media/` path or a link to
 * a URL the sanitizer already accepted).
 */
export function pageBody(bodyHtml: string): string {
  const doc = parseDocument(sanitizeHtml(bodyHtml), { decodeEntities: true });
  transform(doc, (element) => {
    rewriteMedia(element, '');
    if (!REMOTE_MEDIA_TAGS.has(element.name)) return element;
    const src = element.attribs.src ?? '';
    if (src.startsWith('/media/')) return element;
    if (src === '') return element.name === 'source' ? undefined : element;
    return remoteLink(element, src);
  });
  return render(doc, { encodeEntities: 'utf8' });
}

/** feedBody prepares a stored body for a republished feed: sanitized, media URLs absolute under `baseUrl`. */
export function feedBody(bodyHtml: string, baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  const doc = parseDocument(sanitizeHtml(bodyHtml), { decodeEntities: true });
  transform(doc, (element) => {
    rewriteMedia(element, base);
    return element;
  });
  return render(doc, { encodeEntities: 'utf8' });
}

const REMOTE_MEDIA_TAGS: ReadonlySet<string> = new Set(['img', 'video', 'audio', 'source']);

function rewriteMedia(element: Element, base: string): void {
  for (const name of ['src', 'href', 'poster']) {
    const value = element.attribs[name];
    if (value === undefined) continue;
    const local = mediaUrlPath(value);
    if (local !== undefined) element.attribs[name] = `${base}${local}`;
  }
  // A srcset would make the browser pick remote candidates; the mirrored src is the one we keep.
  delete element.attribs.srcset;
}

function remoteLink(element: Element, src: string): Element {
  const label = element.name === 'img' ? `[图片${element.attribs.alt ? `：${element.attribs.alt}` : ''}]` : '[媒体文件]';
  return new Element('a', { href: src, class: 'remote-media', rel: 'noopener noreferrer nofollow' }, [new Text(label)]);
}

/** transform replaces each element by what `visit` returns (itself, another node, or nothing). */
function transform(parent: ParentNode, visit: (element: Element) => ChildNode | undefined): void {
  const out: ChildNode[] = [];
  for (const node of parent.children) {
    if (!(node instanceof Element)) {
      out.push(node);
      continue;
    }
    transform(node, visit);
    const replaced = visit(node);
    if (replaced !== undefined) {
      replaced.parent = parent;
      out.push(replaced);
    }
  }
  for (let index = 0; index < out.length; index++) {
    const node = out[index] as ChildNode;
    node.prev = out[index - 1] ?? null;
    node.next = out[index + 1] ?? null;
  }
  parent.children = out;
}
