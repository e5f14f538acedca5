import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MEDIA_MARK, diffTokens, diffVersions, parseBlocks, tokenize, type DiffSegment } from './index.js';
import { diffSequences, type EditRun } from './myers.js';

const side = (segments: DiffSegment[], skip: 'insert' | 'delete'): string =>
  segments
    .filter((segment) => segment.op !== skip)
    .map((segment) => segment.text)
    .join('');

function lcsLength(a: readonly number[], b: readonly number[]): number {
  let row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    const next = [0];
    for (let j = 0; j < b.length; j++) next.push(x === b[j] ? (row[j] as number) + 1 : Math.max(row[j + 1] as number, next[j] as number));
    row = next;
  }
  return row[b.length] as number;
}

function replay(runs: EditRun[], a: readonly number[], b: readonly number[]): { a: number[]; b: number[]; cost: number } {
  const outA: number[] = [];
  const outB: number[] = [];
  let i = 0;
  let j = 0;
  let cost = 0;
  for (const run of runs) {
    if (run.op !== 'insert') outA.push(...a.slice(i, i + run.count));
    if (run.op !== 'delete') outB.push(...b.slice(j, j + run.count));
    if (run.op === 'equal') assert.deepEqual(a.slice(i, i + run.count), b.slice(j, j + run.count));
    if (run.op !== 'insert') i += run.count;
    if (run.op !== 'delete') j += run.count;
    if (run.op !== 'equal') cost += run.count;
  }
  return { a: outA, b: outB, cost };
}

describe('diffSequences (Myers)', () => {
  it('DF-M01 rebuilds both sides with a shortest script (property, against an LCS table)', () => {
    const small = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 30 });
    fc.assert(
      fc.property(small, small, (a, b) => {
        const runs = diffSequences(a, b, 1000);
        assert.ok(runs);
        const replayed = replay(runs, a, b);
        assert.deepEqual(replayed.a, a);
        assert.deepEqual(replayed.b, b);
        assert.equal(replayed.cost, a.length + b.length - 2 * lcsLength(a, b));
        for (let index = 1; index < runs.length; index++) {
          const previous = runs[index - 1] as EditRun;
          const run = runs[index] as EditRun;
          assert.notEqual(previous.op, run.op, 'runs are merged');
          assert.ok(!(previous.op === 'insert' && run.op === 'delete'), 'a delete comes before the insert it meets');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('DF-M02 gives up past the cost bound instead of searching on', () => {
    assert.equal(diffSequences([1, 2, 3, 4], [5, 6, 7, 8], 7), undefined);
    assert.deepEqual(diffSequences([1, 2, 3, 4], [5, 6, 7, 8], 8), [
      { op: 'delete', count: 4 },
      { op: 'insert', count: 4 },
    ]);
    assert.deepEqual(diffSequences([1, 2], [1, 2], 0), [{ op: 'equal', count: 2 }]);
  });
});

describe('tokenize', () => {
  it('DF-T01 Han by character, other scripts by word, punctuation by character', () => {
    assert.deepEqual(tokenize('习近平 said “no”，2020年'), ['习', '近', '平', ' ', 'said', ' ', '“', 'no', '”', '，', '2020', '年']);
    assert.deepEqual(tokenize('iPhone手机'), ['iPhone', '手', '机']);
    assert.deepEqual(tokenize('서울 ひらがな'), ['서울', ' ', 'ひ', 'ら', 'が', 'な']);
  });

  it('DF-T02 a media label is one token', () => {
    assert.deepEqual(tokenize(`前${MEDIA_MARK}图片：天安门${MEDIA_MARK}后`), ['前', `${MEDIA_MARK}图片：天安门${MEDIA_MARK}`, '后']);
  });
});

describe('parseBlocks', () => {
  it('DF-B01 leaf blocks, line breaks and inline runs are paragraphs; markup is gone', () => {
    assert.deepEqual(parseBlocks('<h2>标题</h2><p>第一段<br>第二<b>行</b><img src="x.png" alt="图"></p>散文<ul><li>一</li><li><p>二</p></li></ul>'), [
      { tag: 'h2', text: '标题' },
      { tag: 'p', text: '第一段' },
      { tag: 'p', text: `第二行 ${MEDIA_MARK}图片：图${MEDIA_MARK}` },
      { tag: 'p', text: '散文' },
      { tag: 'li', text: '一' },
      { tag: 'p', text: '二' },
    ]);
  });

  it('DF-B02 whitespace (no-break, ideographic, zero-width) collapses; empty paragraphs and scripts are left out', () => {
    assert.deepEqual(parseBlocks('<p>\u3000\u3000开头&nbsp;&nbsp;中间\u200b结尾</p><p> </p><script>alert(1)</script><hr>'), [{ tag: 'p', text: '开头 中间 结尾' }]);
  });

  it('DF-B03 a publisher\'s own U+FFFC cannot forge a media label', () => {
    assert.deepEqual(parseBlocks(`<p>a${MEDIA_MARK}b</p>`), [{ tag: 'p', text: 'ab' }]);
  });
});

describe('diffTokens', () => {
  it('DF-S01 a replaced word inside a Chinese sentence is marked by character', () => {
    assert.deepEqual(diffTokens(tokenize('北京今天下雨了。'), tokenize('上海今天下雨了。')), [
      { op: 'delete', text: '北京' },
      { op: 'insert', text: '上海' },
      { op: 'equal', text: '今天下雨了。' },
    ]);
  });

  it('DF-S02 a chance match inside a rewrite is folded into the change', () => {
    const segments = diffTokens(tokenize('他说的话很重要'), tokenize('官方的回应含糊'));
    assert.deepEqual(segments, [
      { op: 'delete', text: '他说的话很重要' },
      { op: 'insert', text: '官方的回应含糊' },
    ]);
  });

  it('DF-S03 Latin words are the unit: a kept word between two changed ones stays kept', () => {
    assert.deepEqual(diffTokens(tokenize('The brown fox jumps.'), tokenize('The red fox jumped.')), [
      { op: 'equal', text: 'The ' },
      { op: 'delete', text: 'brown' },
      { op: 'insert', text: 'red' },
      { op: 'equal', text: ' fox ' },
      { op: 'delete', text: 'jumps' },
      { op: 'insert', text: 'jumped' },
      { op: 'equal', text: '.' },
    ]);
  });

  it('DF-S04 both sides are rebuilt exactly (property)', () => {
    const text = fc.string({ unit: fc.constantFrom('中', '国', '的', 'a', 'b', ' ', '，', 'word', '。'), maxLength: 40 });
    fc.assert(
      fc.property(text, text, (a, b) => {
        const segments = diffTokens(tokenize(a), tokenize(b));
        assert.equal(side(segments, 'insert'), a);
        assert.equal(side(segments, 'delete'), b);
      }),
      { numRuns: 500 },
    );
  });
});

describe('diffTokens bounds', () => {
  it('DF-S05 two long unrelated paragraphs are one deletion and one insertion, not a search', () => {
    const old = Array.from({ length: 3000 }, (_, index) => String.fromCodePoint(0x4e00 + (index % 500)));
    const now = Array.from({ length: 3000 }, (_, index) => String.fromCodePoint(0x6000 + (index % 500)));
    assert.deepEqual(diffTokens(old, now), [
      { op: 'delete', text: old.join('') },
      { op: 'insert', text: now.join('') },
    ]);
  });
});

describe('diffVersions', () => {
  it('DF-V01 aligns paragraphs, pairs an edited one, keeps added and removed ones whole', () => {
    const diff = diffVersions(
      { title: '标题', bodyHtml: '<p>第一段不变。</p><p>第二段说北京下雨。</p><p>这一段后来删掉了。</p><p>结尾。</p>' },
      { title: '标题', bodyHtml: '<p>第一段不变。</p><p>第二段说上海下雨。</p><p>结尾。</p><p>补充一段。</p>' },
    );
    assert.equal(diff.titleChanged, false);
    assert.deepEqual(diff.blocks, [
      { op: 'equal', tag: 'p', text: '第一段不变。' },
      {
        op: 'change',
        tag: 'p',
        segments: [
          { op: 'equal', text: '第二段说' },
          { op: 'delete', text: '北京' },
          { op: 'insert', text: '上海' },
          { op: 'equal', text: '下雨。' },
        ],
      },
      { op: 'delete', tag: 'p', text: '这一段后来删掉了。' },
      { op: 'equal', tag: 'p', text: '结尾。' },
      { op: 'insert', tag: 'p', text: '补充一段。' },
    ]);
    assert.deepEqual(diff.stats, { deletedChars: 11, insertedChars: 7, changedBlocks: 1, deletedBlocks: 1, insertedBlocks: 1 });
    assert.equal(diff.same, false);
  });

  it('DF-V02 markup and whitespace changes alone are no change', () => {
    const diff = diffVersions({ title: ' 标题 ', bodyHtml: '<p>一段 <b>文字</b></p>' }, { title: '标题', bodyHtml: '<div><p>一段&nbsp;<a href="/x">文字</a></p></div>' });
    assert.equal(diff.same, true);
    assert.deepEqual(diff.title, [{ op: 'equal', text: '标题' }]);
  });

  it('DF-V03 a changed title is diffed like a paragraph', () => {
    const diff = diffVersions({ title: '李文亮医生去世', bodyHtml: '' }, { title: '李文亮医生病逝', bodyHtml: '' });
    assert.equal(diff.titleChanged, true);
    assert.deepEqual(diff.title, [
      { op: 'equal', text: '李文亮医生' },
      { op: 'delete', text: '去世' },
      { op: 'insert', text: '病逝' },
    ]);
  });

  it('DF-V04 unrelated paragraphs in the same place are a removal and an addition, not a change', () => {
    const diff = diffVersions({ title: 't', bodyHtml: '<p>今天天气很好。</p>' }, { title: 't', bodyHtml: '<p>股市大跌三成。</p>' });
    assert.deepEqual(
      diff.blocks.map((block) => block.op),
      ['delete', 'insert'],
    );
  });

  it('DF-V05 an added image is an added paragraph with its label', () => {
    const diff = diffVersions({ title: 't', bodyHtml: '<p>一</p>' }, { title: 't', bodyHtml: '<p>一</p><p><img src="/media/a.png" alt="照片"></p>' });
    assert.deepEqual(diff.blocks.at(-1), { op: 'insert', tag: 'p', text: `${MEDIA_MARK}图片：照片${MEDIA_MARK}` });
  });
});
