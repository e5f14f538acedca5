import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseHtml } from '../html/index.js';
import { byTag, countTag, innerText, isTag, isText, remove, type AnyNode, type Element } from './dom.js';
import { linkDensity, weightedLength } from './generic.js';
import { TextIndex } from './text-index.js';

const fixture = (name: string): string => readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');
const COMMAS = /[\u002C\u060C\uFE50\uFE10\uFE11\u2E41\u2E34\u2E32\uFF0C\u3001]/g;

// The walks the index replaces, as the scorer wrote them before it had one.
function density(el: Element, tags: ReadonlySet<string>): number {
  const total = innerText(el).length;
  if (total === 0) return 0;
  let inner = 0;
  const walk = (n: AnyNode, matches: number): void => {
    if (isText(n)) {
      if (matches > 0) inner += n.data.replace(/\s+/g, ' ').length * matches;
      return;
    }
    if (!isTag(n)) return;
    for (const c of n.children) walk(c, isTag(c) && tags.has(c.name) ? matches + 1 : matches);
  };
  walk(el, 0);
  return inner / total;
}

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const TEXTISH = new Set(['span', 'li', 'td', 'blockquote', 'dl', 'div', 'img', 'ol', 'p', 'pre', 'table', 'ul']);

function assertSameFigures(index: TextIndex, el: Element): void {
  const text = innerText(el);
  const where = `<${el.name}> ${JSON.stringify(text.slice(0, 60))}`;
  assert.equal(index.length(el), text.length, `length of ${where}`);
  assert.equal(index.weightedLength(el), weightedLength(text), `weighted length of ${where}`);
  assert.equal(index.commas(el), text.split(COMMAS).length - 1, `commas of ${where}`);
  assert.ok(Math.abs(index.linkDensity(el) - linkDensity(el)) < 1e-9, `link density of ${where}`);
  assert.equal(index.headingDensity(el), density(el, HEADINGS), `heading density of ${where}`);
  assert.equal(index.textishDensity(el), density(el, TEXTISH), `text density of ${where}`);
  const census = index.census(el);
  for (const tag of ['p', 'img', 'li', 'input'] as const) assert.equal(census[tag], countTag(el, tag), `${tag} count of ${where}`);
  assert.equal(census.tables, countTag(el, 'table'), `table count of ${where}`);
  assert.equal(census.embeds, byTag(el, new Set(['object', 'embed', 'iframe'])).length, `embed count of ${where}`);
  const lists = byTag(el, new Set(['ul', 'ol'])).reduce((n, l) => n + innerText(l).length, 0);
  assert.equal(census.listLength, lists, `list length of ${where}`);
}

const piece = fc.constantFrom(
  ' ', '  ', '\n', '\t', '\u00a0', '\u3000', '\u200b', 'a', 'Bc', '中文', '，', '、', ',', '。', '𠀀', '&nbsp;', '&amp;',
);
const open = fc.constantFrom('<div>', '<p>', '<a href="/x">', '<a href="#top">', '<h2>', '<span>', '<ul><li>', '<table><tr><td>', '<img src="i.jpg">', '<iframe src="v">', '<input>', '<script>', '<!-- c -->');
const close = fc.constantFrom('</div>', '</p>', '</a>', '</h2>', '</span>', '</li></ul>', '</td></tr></table>', '</script>');
const markup = fc.array(fc.oneof(piece, open, close), { maxLength: 80 }).map((parts) => `<div id="root">${parts.join('')}</div>`);

describe('TextIndex', () => {
  it('TI-01 gives the figures of innerText, linkDensity, textDensity and countTag on real pages', () => {
    for (const name of ['thepaper-1.html', 'rfi-20220206.html', 'bbc-feedbody.html']) {
      const doc = parseHtml(fixture(name));
      const index = new TextIndex();
      for (const el of byTag(doc, new Set(['body', 'div', 'section', 'article', 'p', 'td', 'ul', 'a', 'table']))) assertSameFigures(index, el);
    }
  });

  it('TI-02 gives the same figures on generated markup (white space across nodes, Han, commas, links)', () => {
    fc.assert(
      fc.property(markup, (html) => {
        const index = new TextIndex();
        for (const el of byTag(parseHtml(html), new Set(['div', 'p', 'a', 'span', 'li', 'td', 'ul', 'h2']))) assertSameFigures(index, el);
      }),
      { numRuns: 300 },
    );
  });

  it('TI-03 follows removals made through it: the ancestors are measured again', () => {
    fc.assert(
      fc.property(markup, fc.nat(), (html, pick) => {
        const doc = parseHtml(html);
        const root = byTag(doc, 'div')[0] as Element;
        const index = new TextIndex();
        const all = byTag(root, new Set(['div', 'p', 'a', 'span', 'li', 'td', 'ul', 'h2', 'img', 'table']));
        for (const el of all) index.length(el);
        const victim = all[pick % Math.max(1, all.length)];
        if (victim) index.remove(victim, remove);
        for (const el of [root, ...byTag(root, new Set(['div', 'p', 'a', 'span', 'li', 'td', 'ul', 'h2']))]) assertSameFigures(index, el);
      }),
      { numRuns: 300 },
    );
  });
});
