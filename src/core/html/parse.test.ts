import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { Element, Text, type ParentNode } from 'domhandler';
import { MAX_DEPTH, parseHtml, relink, serializeHtml, renderBody } from './index.js';

function depthOf(node: ParentNode): number {
  let deepest = 0;
  const stack: { node: ParentNode; depth: number }[] = [{ node, depth: 0 }];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    deepest = Math.max(deepest, entry.depth);
    for (const child of entry.node.children) if (child instanceof Element) stack.push({ node: child, depth: entry.depth + 1 });
  }
  return deepest;
}

describe('parseHtml', () => {
  it('PH-01 lower-cases names and decodes entities', () => {
    const doc = parseHtml('<P CLASS="x">A &amp; B</P>');
    const p = doc.children[0] as Element;
    assert.equal(p.name, 'p');
    assert.deepEqual(p.attribs, { class: 'x' });
    assert.equal((p.children[0] as Text).data, 'A & B');
  });

  it('PH-02 flattens nesting beyond MAX_DEPTH and keeps the text and images in order', () => {
    const deep = 100_000;
    const doc = parseHtml(`${'<div>'.repeat(deep)}甲<img src="a.png">乙${'</div>'.repeat(deep)}`);
    assert.ok(depthOf(doc) <= MAX_DEPTH + 1);
    assert.equal(renderBody(doc, true).text, '甲乙');
    assert.match(serializeHtml(doc), /甲<img src="a.png">乙/);
  });
});

describe('relink', () => {
  it('RL-01 restores parent and sibling links after the children array was rebuilt', () => {
    const doc = parseHtml('<p>a</p><p>b</p><p>c</p>');
    doc.children = [doc.children[2], doc.children[0]] as typeof doc.children;
    relink(doc);
    const [c, a] = doc.children;
    assert.equal(c?.prev, null);
    assert.equal(c?.next, a);
    assert.equal(a?.prev, c);
    assert.equal(a?.next, null);
    assert.equal(a?.parent, doc);
  });
});

describe('renderBody', () => {
  it('RB-01 puts each top-level block on its own line and gives the text one line per block', () => {
    const body = renderBody(parseHtml('<p>一<br>二</p>尾<h2>三 &amp; "四"\u00a0</h2>'), true);
    assert.equal(body.html, '<p>一<br>二</p>\n尾\n<h2>三 &amp; "四"&nbsp;</h2>');
    assert.equal(body.text, '一\n二\n尾\n三 & "四"');
  });
});
