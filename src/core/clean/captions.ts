// Image captions as the sources write them, made into <figure>/<figcaption>.
import { Element, Text, type ChildNode } from 'domhandler';
import { elementText, relink } from '../html/index.js';
import { containsMedia, isInside, TEXT_RULE_LIMIT } from './nodes.js';
import { isBlank, type WalkContext } from './sanitizer.js';

/** CAPTIONED are the elements feedx follows with a `<div><small>` caption. */
export const CAPTIONED: ReadonlySet<string> = new Set(['img', 'video', 'audio']);

/**
 * pairSmallCaption turns the caption feedx writes as the element after an image (or a video),
 * `<div><small>…</small></div>`, into a <figure> of the two; it tells whether it did.
 */
export function pairSmallCaption(img: Element, fired: Set<string>): boolean {
  let sibling = img.next;
  while (sibling instanceof Text && isBlank(sibling.data)) sibling = sibling.next;
  if (!(sibling instanceof Element) || sibling.name !== 'div') return false;
  const small = onlyElementChild(sibling);
  if (small === undefined || small.name !== 'small' || isBlank(elementText(small, TEXT_RULE_LIMIT) ?? '')) return false;
  const parent = img.parent;
  if (parent === null) return false;
  const caption = new Element('figcaption', {}, small.children);
  relink(caption);
  const figure = new Element('figure', {}, [img, caption]);
  const children: ChildNode[] = [];
  for (const child of parent.children) {
    if (child === img) children.push(figure);
    else if (child !== sibling && !(child.prev === img && child instanceof Text && child.next === sibling)) children.push(child);
  }
  parent.children = children;
  relink(parent);
  relink(figure);
  fired.add('image-caption');
  return true;
}

function onlyElementChild(el: Element): Element | undefined {
  let only: Element | undefined;
  for (const child of el.children) {
    if (child instanceof Element) {
      if (only !== undefined) return undefined;
      only = child;
    } else if (child instanceof Text && !isBlank(child.data)) {
      return undefined;
    }
  }
  return only;
}

// Caption markup of the sources (WordPress, VOA, RFA, Reuters, RFI); the wrappers around image and
// caption (`wp-caption`, `image-inline`) are not captions.
const CAPTION_CLASSES: ReadonlySet<string> = new Set([
  'wp-caption-text',
  'image-caption',
  'imageCaption',
  'media-caption',
  'Image_caption',
  'm-figure__caption',
  'figure-caption',
  'img-caption',
]);

/** markCaption renames a caption beside an image to <figcaption>, so that its wrapper becomes a <figure> (tidy). */
export function markCaption(el: Element, ctx: WalkContext): void {
  const classes = el.attribs.class;
  if (classes === undefined || !classes.includes('aption') || !hasCaptionClass(classes)) return;
  const parent = el.parent;
  if (!(parent instanceof Element) || containsMedia(el) || !containsMedia(parent) || isInside(el, 'figcaption')) return;
  el.name = 'figcaption';
  ctx.fired.add('image-caption');
}

function hasCaptionClass(classes: string): boolean {
  for (const name of classes.split(/\s+/)) {
    if (CAPTION_CLASSES.has(name)) return true;
  }
  return false;
}
