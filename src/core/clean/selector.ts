import { compile } from 'css-select';
import type { AnyNode, Element } from 'domhandler';

/** ElementTest tells whether an element matches a compiled selector. */
export type ElementTest = (element: Element) => boolean;

/**
 * CompiledSelector is a selector's test plus what a matching element must have: one of `tags`, or one
 * of the attributes in `attributes`; both undefined means any element may match.
 */
export interface CompiledSelector {
  readonly test: ElementTest;
  readonly tags: readonly string[] | undefined;
  readonly attributes: readonly string[] | undefined;
}

interface AttributeCheck {
  readonly name: string;
  readonly op: '' | '=' | '^=' | '*=' | '$=' | '~=';
  readonly value: string;
}

interface Compound {
  readonly tag: string | undefined;
  readonly checks: readonly AttributeCheck[];
}

const COMPOUND = /^([a-z][a-z0-9-]*|\*)?((?:\.[\w-]+|#[\w-]+|\[[\w:-]+(?:[~^*$]?=(?:"[^"]*"|'[^']*'|[\w-]+))?\])*)$/i;
const PART = /\.([\w-]+)|#([\w-]+)|\[([\w:-]+)(?:([~^*$]?=)(?:"([^"]*)"|'([^']*)'|([\w-]+)))?\]/g;

/**
 * compileSelector turns a CSS selector into an element test and the keys an element needs to match. Comma lists of simple compounds (`tag`,
 * `.class`, `#id`, `[attr]`, `[attr=v]`, `[attr^=v]`, `[attr*=v]`, `[attr$=v]`) get a direct test, which
 * the rule pass runs on every element; anything else (combinators, pseudo-classes) goes to css-select.
 */
export function compileSelector(selector: string): CompiledSelector {
  const compounds: Compound[] = [];
  for (const raw of selector.split(',')) {
    const match = COMPOUND.exec(raw.trim());
    if (match === null || raw.trim() === '') {
      return { test: compile<AnyNode, Element>(selector, { xmlMode: false }), tags: undefined, attributes: undefined };
    }
    const checks: AttributeCheck[] = [];
    for (const part of (match[2] ?? '').matchAll(PART)) {
      if (part[1] !== undefined) checks.push({ name: 'class', op: '~=', value: part[1] });
      else if (part[2] !== undefined) checks.push({ name: 'id', op: '=', value: part[2] });
      else checks.push({ name: (part[3] ?? '').toLowerCase(), op: (part[4] ?? '') as AttributeCheck['op'], value: part[5] ?? part[6] ?? part[7] ?? '' });
    }
    const tag = match[1] === undefined || match[1] === '*' ? undefined : match[1].toLowerCase();
    compounds.push({ tag, checks });
  }
  const test: ElementTest = (element) => {
    for (const compound of compounds) {
      if (matchesCompound(element, compound)) return true;
    }
    return false;
  };
  // Every compound names a tag or an attribute it needs, or the selector may match anything.
  const tags: string[] = [];
  const attributes: string[] = [];
  for (const compound of compounds) {
    if (compound.tag !== undefined) tags.push(compound.tag);
    else if (compound.checks[0] !== undefined) attributes.push(compound.checks[0].name);
    else return { test, tags: undefined, attributes: undefined };
  }
  return { test, tags, attributes };
}

function matchesCompound(element: Element, compound: Compound): boolean {
  if (compound.tag !== undefined && element.name !== compound.tag) return false;
  for (const check of compound.checks) {
    const actual = element.attribs[check.name];
    if (actual === undefined) return false;
    switch (check.op) {
      case '':
        break;
      case '=':
        if (actual !== check.value) return false;
        break;
      case '^=':
        if (check.value === '' || !actual.startsWith(check.value)) return false;
        break;
      case '*=':
        if (check.value === '' || !actual.includes(check.value)) return false;
        break;
      case '$=':
        if (check.value === '' || !actual.endsWith(check.value)) return false;
        break;
      case '~=':
        if (!hasWord(actual, check.value)) return false;
        break;
    }
  }
  return true;
}

function hasWord(list: string, word: string): boolean {
  let from = list.indexOf(word);
  while (from !== -1) {
    const before = from === 0 ? ' ' : list[from - 1];
    const after = list[from + word.length] ?? ' ';
    if (/\s/.test(before ?? ' ') && /\s/.test(after)) return true;
    from = list.indexOf(word, from + 1);
  }
  return false;
}
