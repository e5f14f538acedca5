// Small questions about the tree that several cleaning steps ask.
import { Element, type ParentNode } from 'domhandler';

/**
 * TEXT_RULE_LIMIT bounds the text a rule reads: boilerplate and captions are short, so an element with
 * more text than this is never matched by a text rule. A text rule describes boilerplate by what it
 * says, so an element that also holds media is more than that.
 */
export const TEXT_RULE_LIMIT = 1000;

const MEDIA_TAGS: ReadonlySet<string> = new Set(['img', 'picture', 'video', 'audio', 'iframe', 'table']);

/** containsMedia tells whether an element holds an image, a player, a frame or a table at any depth. */
export function containsMedia(parent: ParentNode): boolean {
  for (const child of parent.children) {
    if (child instanceof Element && (MEDIA_TAGS.has(child.name) || containsMedia(child))) return true;
  }
  return false;
}

/** isInside tells whether an element has an ancestor named `tag`. */
export function isInside(el: Element, tag: string): boolean {
  for (let node = el.parent; node !== null; node = node.parent) {
    if (node instanceof Element && node.name === tag) return true;
  }
  return false;
}

/** hasChildNamed tells whether one of an element's children is named `name`. */
export function hasChildNamed(el: Element, name: string): boolean {
  for (const child of el.children) {
    if (child instanceof Element && child.name === name) return true;
  }
  return false;
}
