// Tidying after the allowlist: what is left empty, bare or split by the earlier steps.
import { Element, Text, type ChildNode, type Document, type ParentNode } from 'domhandler';
import { BLOCK_TAGS, relink } from '../html/index.js';
import { hasChildNamed } from './nodes.js';
import { isBlank, trimBlockEdges, type WalkContext } from './sanitizer.js';

const KEEP_EMPTY: ReadonlySet<string> = new Set([
  'img',
  'br',
  'hr',
  'wbr',
  'iframe',
  'video',
  'audio',
  'source',
  'track',
  'td',
  'th',
  'tr',
  'col',
  'colgroup',
  'thead',
  'tbody',
  'tfoot',
]);
const UNWRAP_WHEN_BARE: ReadonlySet<string> = new Set(['span']);

/**
 * tidyElement settles an element after the allowlist checked it: empty elements and players without a
 * source dropped, bare wrappers unwrapped, breaks trimmed at block edges, a wrapper of a caption made a
 * <figure>.
 */
export function tidyElement(el: Element, ctx: WalkContext): 'keep' | 'drop' | 'unwrap' {
  const name = el.name;
  if ((name === 'video' || name === 'audio') && el.attribs.src === undefined && !hasChildNamed(el, 'source')) {
    ctx.fired.add('empty-element');
    return 'drop';
  }
  if (KEEP_EMPTY.has(name)) return 'keep';
  if (BLOCK_TAGS.has(name) && trimBreaks(el, ctx)) trimBlockEdges(el, ctx);
  if (!hasContent(el)) {
    ctx.fired.add('empty-element');
    return 'drop';
  }
  if (name === 'a' && el.attribs.href === undefined) return 'unwrap';
  if (UNWRAP_WHEN_BARE.has(name) && Object.keys(el.attribs).length === 0) return 'unwrap';
  if ((name === 'div' || name === 'span') && hasChildNamed(el, 'figcaption')) {
    el.name = 'figure';
    el.attribs = {};
    unwrapCaptionlessFigures(el);
    return 'keep';
  }
  if (name === 'div' && onlyBlocks(el)) return 'unwrap';
  return 'keep';
}

// A wrapper that became a figure may hold the image in a figure of its own (Reuters); one figure will do.
function unwrapCaptionlessFigures(figure: Element): void {
  const children: ChildNode[] = [];
  let changed = false;
  for (const child of figure.children) {
    if (child instanceof Element && child.name === 'figure' && !hasChildNamed(child, 'figcaption')) {
      children.push(...child.children);
      changed = true;
    } else {
      children.push(child);
    }
  }
  if (!changed) return;
  figure.children = children;
  relink(figure);
}

function hasContent(el: Element): boolean {
  for (const child of el.children) {
    if (child instanceof Text) {
      if (!isBlank(child.data)) return true;
    } else if (child instanceof Element && child.name !== 'br' && child.name !== 'wbr' && child.name !== 'hr') {
      return true;
    }
  }
  return false;
}

function onlyBlocks(el: Element): boolean {
  for (const child of el.children) {
    const block =
      child instanceof Text ? isBlank(child.data) && !child.data.includes('\u00a0') : child instanceof Element && BLOCK_TAGS.has(child.name);
    if (!block) return false;
  }
  return true;
}

function isEdgeNoise(node: ChildNode | undefined): boolean {
  return node !== undefined && ((node instanceof Element && node.name === 'br') || (node instanceof Text && /^[\t\n\f\r ]*$/.test(node.data)));
}

// Line breaks and blank text at the edges of a block render as nothing but an empty line.
function trimBreaks(parent: ParentNode, ctx: WalkContext): boolean {
  const children = parent.children;
  let start = 0;
  let end = children.length;
  while (start < end && isEdgeNoise(children[start])) start++;
  while (end > start && isEdgeNoise(children[end - 1])) end--;
  if (start === 0 && end === children.length) return false;
  if (children.slice(0, start).some((node) => node instanceof Element) || children.slice(end).some((node) => node instanceof Element)) {
    ctx.fired.add('stray-break');
  }
  parent.children = children.slice(start, end);
  relink(parent);
  return true;
}

/**
 * tidyTopLevel settles the breaks, rules and split text that rule removals and the sanitizer can leave
 * at the body's edges, until nothing changes, so that the serialized body parses back into this very tree.
 */
export function tidyTopLevel(doc: Document, fired: Set<string>): void {
  const ctx: WalkContext = { base: undefined, fired, hooks: undefined, pre: 0 };
  for (let changed = true; changed; ) {
    changed = trimBreaks(doc, ctx);
    const out: ChildNode[] = [];
    for (const child of doc.children) {
      const last = out[out.length - 1];
      const rule = child instanceof Element && child.name === 'hr';
      if (rule && (last === undefined || (last instanceof Element && last.name === 'hr'))) {
        fired.add('stray-rule');
        changed = true;
        continue;
      }
      if (child instanceof Text && last instanceof Text) {
        last.data = (last.data + child.data).replace(/[\t\n\f\r ]+/g, ' ');
        changed = true;
        continue;
      }
      out.push(child);
    }
    const last = out[out.length - 1];
    if (last instanceof Element && last.name === 'hr') {
      out.pop();
      fired.add('stray-rule');
      changed = true;
    }
    doc.children = out;
    relink(doc);
    trimBlockEdges(doc, ctx);
  }
}
