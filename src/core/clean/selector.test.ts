import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { is } from 'css-select';
import { Element, type AnyNode } from 'domhandler';
import fc from 'fast-check';
import { parseDocument } from 'htmlparser2';
import { compileSelector } from './selector.js';

const SELECTORS = [
  'div',
  'p, div',
  '.a',
  '.a.b',
  'div.a',
  '#x',
  '[data-x]',
  '[data-x="1"]',
  '[aria-label^="广告"]',
  '[class*="Ad"]',
  'a[href*="//feedx."]',
  '[href$=".jpg"]',
  'img[alt="Around the BBC"]',
  '*',
  'ul:has(a.external-link)',
  'div > p',
];

const ELEMENTS = [
  '<div>x</div>',
  '<div class="a">x</div>',
  '<div class="b a c">x</div>',
  '<div class="ab">x</div>',
  '<p class="a b" id="x">x</p>',
  '<span data-x="1">x</span>',
  '<span data-x="12">x</span>',
  '<section aria-label="广告 2">x</section>',
  '<section aria-label="非广告">x</section>',
  '<div class="AdContainer-sc-1">x</div>',
  '<a href="https://feedx.net">x</a>',
  '<a href="/i.jpg">x</a>',
  '<img alt="Around the BBC" src="/a.jpg">',
  '<ul><li><a class="external-link" href="/">x</a></li></ul>',
  '<div><p>x</p></div>',
];

function element(html: string): Element {
  const node = parseDocument(html).children[0];
  assert.ok(node instanceof Element);
  return node;
}

describe('compileSelector', () => {
  it('SEL-01 agrees with css-select on every selector form the rules use', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SELECTORS), fc.constantFrom(...ELEMENTS), (selector, html) => {
        const el = element(html);
        const compiled = compileSelector(selector);
        const expected = is<AnyNode, Element>(el, selector);
        assert.equal(compiled.test(el), expected, `${selector} on ${html}`);
        if (expected && compiled.tags !== undefined && compiled.attributes !== undefined) {
          const keyed = compiled.tags.includes(el.name) || compiled.attributes.some((name) => el.attribs[name] !== undefined);
          assert.ok(keyed, `${selector} matches ${html} but its keys do not`);
        }
      }),
      { numRuns: 400 },
    );
  });
});
