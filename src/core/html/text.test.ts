import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { blockText, cleanText, elementText, fieldText, htmlToText, parseHtml, textContent, visibleText } from './index.js';

const first = (html: string) => parseHtml(html).children[0] as Parameters<typeof elementText>[0];

describe('htmlToText', () => {
  it('HT-01 inline tags vanish, blocks become lines, entities are decoded', () => {
    assert.equal(htmlToText('<p>朝<b>鲜</b> &amp; 韩国</p><p>二&nbsp;三</p>'), '朝鲜 & 韩国\n二 三');
    assert.equal(htmlToText('<ul><li>一</li><li>二</li></ul>'), '一\n二');
    assert.equal(htmlToText('行<br>行'), '行\n行');
  });

  it('HT-02 script, style and comments are dropped; quoted > in attributes does not end a tag', () => {
    assert.equal(htmlToText('<p>甲<script>var s = "<p>乙</p>";</script>丙<!-- 丁 -->戊</p><style>p{}</style>'), '甲丙戊');
    assert.equal(htmlToText('<img alt="a > b" src="x.png">香港'), '香港');
  });

  it('HT-03 escaped markup stays text', () => {
    assert.equal(htmlToText('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'), '<script>alert(1)</script>');
  });

  it('HT-04 plain text passes through, a lone < is text', () => {
    assert.equal(htmlToText('  1 < 2  '), '1 < 2');
  });
});

describe('visibleText', () => {
  it('VT-01 counts characters, not markup', () => {
    assert.equal(visibleText('<p>朝鲜&nbsp;<b>半岛</b></p><script>x()</script>'), '朝鲜 半岛');
  });

  it('VT-02 puts blocks on one line, words of two blocks apart', () => {
    assert.equal(visibleText('<h1>A &amp; B</h1>\n<p>C</p>'), 'A & B C');
    assert.equal(visibleText('<b>A &amp; B</b>'), 'A & B');
  });

  it('VT-03 never holds a tag, a line break or a run of spaces', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('<p>', '</p>', '<b>', '</b>', '<br>', ' ', '\n', '&amp;', '&nbsp;', '朝', 'a')), (parts) => {
        const text = visibleText(parts.join(''));
        assert.equal(/[<>\n]|\s\s|^\s|\s$/.test(text), false, JSON.stringify(text));
      }),
    );
  });
});

describe('fieldText', () => {
  it('FT-01 complete tags and closed comments are markup, entities are decoded once', () => {
    assert.equal(fieldText('<b>朝鲜</b> &amp; <i>韩国</i><!-- x -->'), '朝鲜 & 韩国');
    assert.equal(fieldText('&lt;script&gt;alert(1)&lt;/script&gt; 标题'), '<script>alert(1)</script> 标题');
  });

  it('FT-02 an unclosed comment or raw-text tag is text a publisher typed, not markup hiding the rest', () => {
    assert.equal(fieldText('<!-- 隐藏其后的列表'), '<!-- 隐藏其后的列表');
    assert.equal(visibleText('<!-- 隐藏其后的列表'), '');
    assert.equal(fieldText('<script 不是标签'), '<script 不是标签');
    assert.equal(fieldText('a < b > c'), 'a < b > c');
  });
});

describe('cleanText', () => {
  it('CT-01 trims and collapses whitespace of every kind', () => {
    assert.equal(cleanText('  a \n\t b\u3000 c  '), 'a b c');
    assert.equal(cleanText('ab'), 'ab');
  });
});

describe('elementText', () => {
  it('ET-01 is the collapsed text without script or style', () => {
    assert.equal(elementText(first('<div> 分享\u200b到 <script>x()</script><style>p{}</style><i>微博</i>\n</div>')), '分享 到 微博');
  });

  it('ET-02 gives up beyond the limit', () => {
    assert.equal(elementText(first('<p>12345</p>'), 5), '12345');
    assert.equal(elementText(first('<p>123<b>456</b></p>'), 5), undefined);
  });
});

describe('textContent', () => {
  it('TC-01 concatenates every text node, script included, as the DOM does', () => {
    assert.equal(textContent(parseHtml('<p>a <b>b</b></p><script>c</script>')), 'a bc');
  });
});

describe('blockText', () => {
  it('BT-01 one line per block, cells tab-separated, pre keeps its line breaks, scripts and frames left out', () => {
    const doc = parseHtml(
      '<h1>标题</h1><p>一 <b>二</b><br>三</p><table><tr><td>甲</td><td>乙</td></tr></table><pre>x\n  y</pre><script>z</script><iframe>f</iframe>',
    );
    assert.equal(blockText(doc), '标题\n一 二\n三\n甲\t乙\nx\n y');
  });
});
