// The rule engine: site and generic RemoveRules compiled once, indexed by tag and attribute, and
// applied to a parsed body.
import { Element, Text, type ChildNode, type Document, type ParentNode } from 'domhandler';
import { elementText, relink } from '../html/index.js';
import { CAPTIONED, pairSmallCaption } from './captions.js';
import { containsMedia, TEXT_RULE_LIMIT } from './nodes.js';
import { isBlank, isDroppedWithContent } from './sanitizer.js';
import { compileSelector, type CompiledSelector } from './selector.js';
import type { RemoveRule, CleanRule } from './types.js';

interface CompiledRemove extends CompiledSelector {
  readonly rule: RemoveRule;
}

// The rules of one clean, indexed by the tag or attribute an element needs to match each of them, as
// bit masks: most elements (a bare <p>) are then tested against a few rules, not all of them.
interface RulePlan {
  readonly rules: readonly CompiledRemove[];
  readonly byTag: ReadonlyMap<string, number>;
  readonly byAttribute: ReadonlyMap<string, number>;
  readonly always: number;
  readonly indexed: boolean;
}

function planRules(rules: readonly CompiledRemove[]): RulePlan {
  const byTag = new Map<string, number>();
  const byAttribute = new Map<string, number>();
  let always = 0;
  const indexed = rules.length <= 30;
  if (indexed) {
    rules.forEach((rule, index) => {
      const bit = 1 << index;
      if (rule.tags === undefined || rule.attributes === undefined) always |= bit;
      for (const tag of rule.tags ?? []) byTag.set(tag, (byTag.get(tag) ?? 0) | bit);
      for (const name of rule.attributes ?? []) byAttribute.set(name, (byAttribute.get(name) ?? 0) | bit);
    });
  }
  return { rules, byTag, byAttribute, always, indexed };
}

const compiledRules = new WeakMap<CleanRule, readonly CompiledRemove[]>();

function compiledRemoves(rule: CleanRule): readonly CompiledRemove[] {
  let found = compiledRules.get(rule);
  if (found === undefined) {
    found = rule.remove.map((remove) => ({ rule: remove, ...compileSelector(remove.selector) }));
    compiledRules.set(rule, found);
  }
  return found;
}

/**
 * applyRules removes what the rules match, in one walk over the tree, and pairs feedx's image captions
 * on the way. Position-dependent rules (`firstOnly`) run in a second, short walk that stops at the first
 * visible text, so that what the other rules remove can never hide what comes first (cleaning clean
 * output must change nothing).
 */
export function applyRules(doc: Document, html: string, rules: readonly CleanRule[], fired: Set<string>): void {
  const anywhere: CompiledRemove[] = [];
  const leading: CompiledRemove[] = [];
  for (const rule of rules) {
    for (const cut of rule.leadingText ?? []) {
      const first = doc.children[0];
      if (first instanceof Text && cut.pattern.test(first.data)) {
        first.data = first.data.replace(cut.pattern, '');
        fired.add(cut.name);
      }
    }
    for (const compiled of compiledRemoves(rule)) {
      if (!hasNeedle(html, compiled.rule.needle)) continue;
      (compiled.rule.firstOnly === true ? leading : anywhere).push(compiled);
    }
  }
  if (anywhere.length > 0) removeMatching(doc, planRules(anywhere), fired);
  if (leading.length > 0) removeLeading(doc, planRules(leading), fired, { started: false });
}

function hasNeedle(html: string, needle: string | readonly string[] | undefined): boolean {
  if (needle === undefined) return true;
  if (typeof needle === 'string') return html.includes(needle);
  for (const literal of needle) {
    if (html.includes(literal)) return true;
  }
  return false;
}

function removeMatching(parent: ParentNode, rules: RulePlan, fired: Set<string>): void {
  let node: ChildNode | null = parent.children[0] ?? null;
  while (node !== null) {
    let next: ChildNode | null = node.next;
    if (node instanceof Element && !removeIfMatched(node, rules, fired)) {
      removeMatching(node, rules, fired);
      if (CAPTIONED.has(node.name) && pairSmallCaption(node, fired)) next = node.parent?.next ?? null;
    }
    node = next;
  }
}

function removeLeading(parent: ParentNode, rules: RulePlan, fired: Set<string>, state: { started: boolean }): void {
  let node: ChildNode | null = parent.children[0] ?? null;
  while (node !== null && !state.started) {
    const next: ChildNode | null = node.next;
    if (node instanceof Text) {
      if (!isBlank(node.data)) state.started = true;
    } else if (node instanceof Element && !isDroppedWithContent(node.name) && node.name !== 'iframe') {
      if (!removeIfMatched(node, rules, fired)) removeLeading(node, rules, fired, state);
    }
    node = next;
  }
}

function removeIfMatched(el: Element, plan: RulePlan, fired: Set<string>): boolean {
  let mask = plan.always | (plan.byTag.get(el.name) ?? 0);
  for (const name in el.attribs) mask |= plan.byAttribute.get(name) ?? 0;
  if (plan.indexed && mask === 0) return false;
  // Several text rules may test one element; its text is collected once, on first need.
  let text: string | undefined | null = null;
  for (let index = 0; index < plan.rules.length; index++) {
    if (plan.indexed && (mask & (1 << index)) === 0) continue;
    const { rule, test } = plan.rules[index] as CompiledRemove;
    if (!test(el)) continue;
    if (rule.text !== undefined) {
      if (text === null) text = elementText(el, TEXT_RULE_LIMIT);
      if (text === undefined || !rule.text.test(text) || containsMedia(el)) continue;
    }
    if (rule.linksOnly === true && !textOnlyInLinks(el)) continue;
    // Two passes: in `<br><hr>` before the element, the hr goes in the first and the br, now adjacent, in the second.
    for (const tag of rule.withPreceding ?? []) removePreceding(el, tag);
    for (const tag of rule.withPreceding ?? []) removePreceding(el, tag);
    detach(el);
    fired.add(rule.name);
    return true;
  }
  return false;
}

// Whether all visible text of `el` sits inside links, and there is some.
function textOnlyInLinks(el: Element): boolean {
  const state = { linked: false };
  return outsideLinksBlank(el, state) && state.linked;
}

function outsideLinksBlank(parent: ParentNode, state: { linked: boolean }): boolean {
  for (const child of parent.children) {
    if (child instanceof Text) {
      if (!isBlank(child.data)) return false;
    } else if (child instanceof Element) {
      if (child.name === 'a') {
        if (!isBlank(elementText(child) ?? '')) state.linked = true;
      } else if (!outsideLinksBlank(child, state)) {
        return false;
      }
    }
  }
  return true;
}

function removePreceding(el: Element, tag: string): void {
  let prev = el.prev;
  while (prev instanceof Text && isBlank(prev.data)) prev = prev.prev;
  if (prev instanceof Element && prev.name === tag) detach(prev);
}

function detach(node: ChildNode): void {
  const parent = node.parent;
  if (parent === null) return;
  parent.children = parent.children.filter((child) => child !== node);
  relink(parent);
  node.parent = null;
}
