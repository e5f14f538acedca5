import { DomHandler, Element, type ChildNode, type Document, type ParentNode } from 'domhandler';
import { Parser } from 'htmlparser2';

/**
 * MAX_DEPTH bounds the nesting of a parsed tree. Every later step recurses over the tree, and a
 * hostile feed or page can open 100,000 `<div>`s; real pages nest a few dozen levels.
 */
export const MAX_DEPTH = 200;

/**
 * parseHtml parses a page or a fragment into a domhandler document: entities decoded, tag and
 * attribute names lower-cased, and nesting deeper than MAX_DEPTH flattened (see limitDepth).
 */
export function parseHtml(html: string): Document {
  const handler = new DomHandler(undefined, { withStartIndices: false, withEndIndices: false });
  const parser = new Parser(handler, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  parser.end(html);
  limitDepth(handler.root, MAX_DEPTH);
  return handler.root;
}

/**
 * limitDepth flattens the elements nested deeper than `maxDepth`: below that depth only the text,
 * the comments and the childless elements (img, br…) are kept, in document order. Iterative, so that
 * the flattening itself cannot overflow the stack.
 */
export function limitDepth(root: ParentNode, maxDepth: number): void {
  const stack: { node: ParentNode; depth: number }[] = [{ node: root, depth: 0 }];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    if (entry.depth >= maxDepth) {
      entry.node.children = leavesOf(entry.node);
      relink(entry.node);
      continue;
    }
    for (const child of entry.node.children) {
      if (child instanceof Element) stack.push({ node: child, depth: entry.depth + 1 });
    }
  }
}

function leavesOf(node: ParentNode): ChildNode[] {
  const leaves: ChildNode[] = [];
  const pending: ChildNode[] = [...node.children].reverse();
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next instanceof Element && next.children.length > 0) {
      for (let i = next.children.length - 1; i >= 0; i--) pending.push(next.children[i] as ChildNode);
    } else {
      leaves.push(next);
    }
  }
  return leaves;
}

/** relink restores the parent and sibling pointers of a parent's children after its array was rebuilt. */
export function relink(parent: ParentNode): void {
  let prev: ChildNode | null = null;
  for (const child of parent.children) {
    child.parent = parent;
    child.prev = prev;
    if (prev) prev.next = child;
    prev = child;
  }
  if (prev) prev.next = null;
}
