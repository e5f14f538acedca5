// Small DOM helpers over domhandler trees. Kept here (not in domutils calls sprinkled around) so the
// extractor reads like the browser algorithms it is adapted from, and so the hot paths (text length,
// element walks) stay allocation-light.
import { Element, Text, isTag, isText, type AnyNode, type ChildNode, type ParentNode } from 'domhandler';
import { appendChild as append, removeElement, replaceElement } from 'domutils';
import { textContent } from '../html/index.js';

export { Element, Text, isTag, isText };
export type { AnyNode, ParentNode };

/** hasChildren reports whether a node can hold children (element, document). */
export function hasChildren(node: AnyNode): node is ParentNode & AnyNode {
  return 'children' in node && Array.isArray((node as ParentNode).children);
}

const SPACES = /\s{2,}/g;

/** innerText is textContent trimmed with runs of whitespace collapsed (Readability's getInnerText). */
export function innerText(node: AnyNode, normalize = true): string {
  const t = textContent(node).trim();
  return normalize ? t.replace(SPACES, ' ') : t;
}

/**
 * isSpace reports whether a UTF-16 code unit is what `\s` and `String.prototype.trim` call white
 * space (the two use the same set), so lengths counted from code units match the string functions.
 */
export function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/**
 * isHanUnit reports whether a UTF-16 code unit counts as one Han character in weightedLength: CJK
 * Unified Ideographs, Extension A, Compatibility Ideographs, and the high surrogates of planes 2–3
 * (Extensions B–H), each standing for one ideograph.
 */
export function isHanUnit(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xd840 && c <= 0xd8bf);
}

/** hasText reports whether a node holds any text other than white space (`innerText(node) !== ''`). */
export function hasText(node: AnyNode): boolean {
  if (isText(node)) {
    const d = node.data;
    for (let i = 0; i < d.length; i++) if (!isSpace(d.charCodeAt(i))) return true;
    return false;
  }
  if (!hasChildren(node)) return false;
  for (const c of node.children) if ((isText(c) || isTag(c)) && hasText(c)) return true;
  return false;
}

/** children returns the element children of a node. */
export function elementChildren(node: AnyNode): Element[] {
  if (!hasChildren(node)) return [];
  const out: Element[] = [];
  for (const c of node.children) if (isTag(c)) out.push(c);
  return out;
}

/** firstElementChild returns the first element child or null. */
export function firstElementChild(node: AnyNode): Element | null {
  if (!hasChildren(node)) return null;
  for (const c of node.children) if (isTag(c)) return c;
  return null;
}

/** nextElementSibling returns the next sibling that is an element. */
export function nextElementSibling(node: AnyNode): Element | null {
  let n = node.next;
  while (n && !isTag(n)) n = n.next;
  return n;
}

/** previousElementSibling returns the previous sibling that is an element. */
export function previousElementSibling(node: AnyNode): Element | null {
  let n = node.prev;
  while (n && !isTag(n)) n = n.prev;
  return n;
}

/** parentElement returns the parent when it is an element. */
export function parentElement(node: AnyNode): Element | null {
  const p = node.parent;
  return p && isTag(p) ? p : null;
}

/** byTag collects descendant elements whose name is in `names` (document order). */
export function byTag(root: AnyNode, names: ReadonlySet<string> | string): Element[] {
  const out: Element[] = [];
  if (hasChildren(root)) {
    if (typeof names === 'string') collectNamed(root.children, names, out);
    else collectIn(root.children, names, out);
  }
  return out;
}

// byTag runs over whole pages dozens of times per extraction: plain recursive functions (no closure
// per call) and a string comparison for the one-name case keep each walk cheap.
function collectNamed(children: readonly AnyNode[], name: string, out: Element[]): void {
  for (const c of children) {
    if (!isTag(c)) continue;
    if (c.name === name) out.push(c);
    if (c.children.length) collectNamed(c.children, name, out);
  }
}

function collectIn(children: readonly AnyNode[], names: ReadonlySet<string>, out: Element[]): void {
  for (const c of children) {
    if (!isTag(c)) continue;
    if (names.has(c.name)) out.push(c);
    if (c.children.length) collectIn(c.children, names, out);
  }
}

/**
 * groupByTag collects descendant elements whose name is in `names`, one list per name (document
 * order): one walk where a step needs several tags.
 */
export function groupByTag(root: AnyNode, names: readonly string[]): Map<string, Element[]> {
  const groups = new Map<string, Element[]>();
  for (const name of names) groups.set(name, []);
  if (hasChildren(root)) collectGroups(root.children, groups);
  return groups;
}

function collectGroups(children: readonly AnyNode[], groups: Map<string, Element[]>): void {
  for (const c of children) {
    if (!isTag(c)) continue;
    groups.get(c.name)?.push(c);
    if (c.children.length) collectGroups(c.children, groups);
  }
}

/** countTag counts descendant elements named `name`. */
export function countTag(root: AnyNode, name: string): number {
  return hasChildren(root) ? countNamed(root.children, name) : 0;
}

function countNamed(children: readonly AnyNode[], name: string): number {
  let n = 0;
  for (const c of children) {
    if (!isTag(c)) continue;
    if (c.name === name) n++;
    if (c.children.length) n += countNamed(c.children, name);
  }
  return n;
}

/** attr returns an attribute value or '' when absent. */
export function attr(el: Element, name: string): string {
  return el.attribs[name] ?? '';
}

/** appendChild moves `child` (detached from where it was) to the end of `parent`'s children. */
export function appendChild(parent: ParentNode, child: ChildNode): void {
  append(parent, child);
}

/** remove detaches a node from its parent. */
export function remove(node: AnyNode): void {
  removeElement(node);
}

/** replace puts `replacement` (detached first) where `node` was. */
export function replace(node: AnyNode, replacement: AnyNode): void {
  removeElement(replacement);
  replaceElement(node, replacement);
  // domutils leaves the old node's sibling links in place; a later removal would then corrupt them.
  node.prev = null;
  node.next = null;
  node.parent = null;
}

/** createElement makes a detached element. */
export function createElement(name: string, attribs: Record<string, string> = {}): Element {
  return new Element(name, attribs, []);
}

/** nextNode walks depth-first to the next element; `skipChildren` steps over the node's subtree. */
export function nextNode(node: Element, skipChildren = false): Element | null {
  if (!skipChildren) {
    const first = firstElementChild(node);
    if (first) return first;
  }
  let cur: AnyNode | null = node;
  while (cur) {
    const sib = nextElementSibling(cur);
    if (sib) return sib;
    cur = cur.parent;
    if (cur && !isTag(cur)) return null;
  }
  return null;
}

/** ancestors lists the element ancestors of a node, nearest first, up to `maxDepth` (0 = all). */
export function ancestors(node: AnyNode, maxDepth = 0): Element[] {
  const out: Element[] = [];
  let p = node.parent;
  while (p && isTag(p)) {
    out.push(p);
    if (maxDepth && out.length === maxDepth) break;
    p = p.parent;
  }
  return out;
}

/** hasAncestor reports whether an ancestor within `maxDepth` levels (<=0: any) is named `name` and passes `filter`. */
export function hasAncestor(node: AnyNode, name: string, maxDepth = 3, filter?: (el: Element) => boolean): boolean {
  let depth = 0;
  let p = node.parent;
  while (p && isTag(p)) {
    if (maxDepth > 0 && depth > maxDepth) return false;
    if (p.name === name && (!filter || filter(p))) return true;
    p = p.parent;
    depth++;
  }
  return false;
}
