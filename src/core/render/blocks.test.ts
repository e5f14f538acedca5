import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatBlocks } from './blocks.js';

describe('formatBlocks', () => {
  it('B01 puts sibling and nested blocks on their own lines', () => {
    assert.equal(formatBlocks('<p>a</p><p>b</p>'), '<p>a</p>\n<p>b</p>');
    assert.equal(formatBlocks('<div><p>a</p><p>b</p></div>'), '<div>\n<p>a</p>\n<p>b</p>\n</div>');
    assert.equal(formatBlocks('<h2>T</h2><ul><li>x</li><li>y</li></ul><hr><p>z</p>'), '<h2>T</h2>\n<ul>\n<li>x</li>\n<li>y</li>\n</ul>\n<hr>\n<p>z</p>');
  });

  it('B02 keeps inline markup and text as it is', () => {
    const html = '<p>The <strong>quick</strong> <a href="x">brown</a> fox<br>jumps</p>';
    assert.equal(formatBlocks(html), html);
    assert.equal(formatBlocks('plain text, no tags'), 'plain text, no tags');
  });

  it('B03 treats images as blocks only at the top level', () => {
    assert.equal(formatBlocks('<div>d</div><img src="a.jpg"><p>x<img src="b.jpg">y</p>'), '<div>d</div>\n<img src="a.jpg">\n<p>x<img src="b.jpg">y</p>');
    assert.equal(formatBlocks('<p>a<p><img src="c.jpg"></p>'), '<p>a\n<p><img src="c.jpg"></p>');
  });

  it('B04 never changes the inside of pre, textarea, script or style', () => {
    const pre = '<pre>line 1\n  <div>not a block</div><p>x</p>\n</pre>';
    assert.equal(formatBlocks(`<p>a</p>${pre}<p>b</p>`), `<p>a</p>\n${pre}\n<p>b</p>`);
    const script = '<script>document.write("<p>a</p><div>b</div>")</script>';
    assert.equal(formatBlocks(script), script);
    const style = '<style>p>div{color:red}</style>';
    assert.equal(formatBlocks(style), style);
    const textarea = '<textarea><p>a</p><p>b</p></textarea>';
    assert.equal(formatBlocks(textarea), textarea);
  });

  it('B05 is not fooled by > inside attribute values or by comments', () => {
    assert.equal(formatBlocks('<p title="a > b">x</p><p>y</p>'), '<p title="a > b">x</p>\n<p>y</p>');
    assert.equal(formatBlocks('<!-- <p>x</p><p>y</p> --><p>z</p>'), '<!-- <p>x</p><p>y</p> -->\n<p>z</p>');
    assert.equal(formatBlocks('a < b <p>c</p>'), 'a < b \n<p>c</p>');
  });

  it('B06 does not add a newline where one already is', () => {
    assert.equal(formatBlocks('<p>a</p>\n<p>b</p>\n'), '<p>a</p>\n<p>b</p>\n');
    assert.equal(formatBlocks('<P>A</P><DIV>B</DIV>'), '<P>A</P>\n<DIV>B</DIV>');
  });

  it('B07 only inserts newlines, outside pre, and is idempotent (property)', () => {
    const piece = fc.constantFrom(
      '<p>', '</p>', '<div class="x">', '</div>', '<pre>', '</pre>', '<br>', '<img src="a">', '<hr/>', '<span>', '</span>',
      '<ul>', '<li>', '</li>', '</ul>', '<script>', '</script>', '<!--', '-->', '<', '>', '"', ' ', '\n', 'word', '中文', '<a href="a>b">',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const html = pieces.join('');
        const once = formatBlocks(html);
        assert.equal(formatBlocks(once), once);
        assert.equal(once.replace(/\n/g, ''), html.replace(/\n/g, ''));
        assert.equal(once.length - html.length, countInserted(html, once));
      }),
      { numRuns: 2000 },
    );
  });
});

// Every character of the input appears in order in the output; the extra characters are newlines.
function countInserted(input: string, output: string): number {
  let i = 0;
  let inserted = 0;
  for (const c of output) {
    if (i < input.length && input[i] === c) i++;
    else if (c === '\n') inserted++;
    else throw new Error(`unexpected ${JSON.stringify(c)}`);
  }
  assert.equal(i, input.length);
  return inserted;
}
