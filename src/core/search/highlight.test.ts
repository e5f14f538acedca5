import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { highlight } from './highlight.js';
import { parseQuery } from './query.js';

const terms = (q: string) => parseQuery(q).highlights;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** unmark removes our <mark> tags and unescapes, giving back the text of the snippet. */
function unmark(html: string): string {
  return html
    .replace(/<\/?mark>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('highlight', () => {
  it('HL-01 marks every match and escapes the text around it', () => {
    assert.equal(
      highlight('美国<总统>特朗普 & 特朗普说', terms('特朗普'), 100),
      '美国&lt;总统&gt;<mark>特朗普</mark> &amp; <mark>特朗普</mark>说',
    );
  });

  it('HL-02 words match whole and case-insensitively, full-width forms too; CJK matches inside runs', () => {
    assert.equal(
      highlight('Trump trumps TRUMP, ＴＲＵＭＰ说 特朗普Trump', terms('trump'), 100),
      '<mark>Trump</mark> trumps <mark>TRUMP</mark>, <mark>ＴＲＵＭＰ</mark>说 特朗普<mark>Trump</mark>',
    );
    assert.equal(highlight('中华香港特区', terms('香港'), 100), '中华<mark>香港</mark>特区');
  });

  it('HL-03 the window starts a little before the first match, with ellipses at the cuts', () => {
    const text = `${'甲'.repeat(300)}国安法${'乙'.repeat(300)}`;
    const snippet = highlight(text, terms('国安法'), 40);
    assert.ok(snippet.startsWith('…'));
    assert.ok(snippet.endsWith('…'));
    assert.ok(snippet.includes('<mark>国安法</mark>'));
    assert.equal(unmark(snippet).length, 40 + 2);
    assert.equal(snippet.indexOf('<mark>'), 1 + 10);
  });

  it('HL-04 without a match, the snippet is the start of the text', () => {
    assert.equal(highlight('一二三四五六', terms('香港'), 3), '一二三…');
    assert.equal(highlight('短', terms('香港'), 30), '短');
    assert.equal(highlight('', terms('香港'), 30), '');
  });

  it('HL-05 overlapping terms merge into one mark; a match at the end keeps a full window', () => {
    assert.equal(highlight('在国安法下', terms('国安 安法'), 100), '在<mark>国安法</mark>下');
    const snippet = highlight(`${'甲'.repeat(100)}香港`, terms('香港'), 20);
    assert.equal(snippet, `…${'甲'.repeat(18)}<mark>香港</mark>`);
  });

  it('HL-07 a text with a unit that folds to several (a ligature) still maps its marks onto the original text', () => {
    assert.equal(highlight('ﬁ ＴＲＵＭＰ，特朗普 ﬁnal', terms('trump 特朗普 final'), 100), 'ﬁ <mark>ＴＲＵＭＰ</mark>，<mark>特朗普</mark> <mark>ﬁnal</mark>');
    assert.equal(highlight('ＴＲＵＭＰ，特朗普 final', terms('trump 特朗普 final'), 100), '<mark>ＴＲＵＭＰ</mark>，<mark>特朗普</mark> <mark>final</mark>');
  });

  it('HL-06 never splits a surrogate pair and never lets markup through', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.integer({ min: 1, max: 60 }), (text, max) => {
        const snippet = highlight(`${text}<b>香港</b>${text}`, terms('香港 b'), max);
        assert.equal(snippet.replace(/<\/?mark>/g, '').match(/[<>]/), null);
        assert.equal(LONE_SURROGATE.test(snippet), false);
        assert.ok(`${text}<b>香港</b>${text}`.includes(unmark(snippet).replace(/^…|…$/g, '')));
      }),
      { numRuns: 500 },
    );
  });
});
