import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'htmlparser2';
import { byTag, type Element } from './dom.js';
import { removeBoilerplate } from './boilerplate.js';
import { blockText } from '../html/index.js';

const P = '香港立法会周三通过一项法案，引发市民广泛关注。多名议员在辩论中表示，这项法律将对言论自由产生深远影响。';

function clean(html: string): string {
  const root = byTag(parseDocument(`<div id="root">${html}</div>`), 'div')[0] as Element;
  removeBoilerplate(root);
  return blockText(root);
}

describe('removeBoilerplate', () => {
  it('EX-B-01 editor, source and original-title lines go; article sentences stay', () => {
    const out = clean(
      `<p>（原标题：姚明对周琦说了啥）</p><p>${P}</p><div class="src"><span><img src="i.png" width="13" height="12"> 本文来源：新京报</span><span>责任编辑：杜硕_NB12556</span></div>`,
    );
    assert.equal(out, P);
  });

  it('EX-B-02 a long paragraph that mentions an editor is kept', () => {
    const long = `${P}报社总编辑：张三在声明中说，${P}`;
    assert.equal(clean(`<p>${long}</p>`), long);
  });

  it('EX-B-03 reprint notice, follow-us promo and share toolbar go', () => {
    const out = clean(
      `<p>${P}</p><p>本文为CSDN原创文章，未经允许不得转载。</p><p>扫描下方二维码关注官方微信</p><div>收藏 | 保存 | 打印 | 关闭</div>`,
    );
    assert.equal(out, P);
  });

  it('EX-B-04 a related-news heading takes its link list with it; a trailing heading goes', () => {
    const out = clean(
      `<p>${P}</p><p>相关新闻：</p><ul><li><a href="/1">苹果发布会</a></li><li><a href="/2">新品上市</a></li></ul><h4>观察员</h4>`,
    );
    assert.equal(out, P);
  });

  it('EX-B-05 a run of dated teasers goes, a run of captioned images stays', () => {
    const teasers = ['美国农民警告白宫 2019-09-09', '察话会聊聊巴西 2019-09-08', '金政委答观察员 2019-09-07']
      .map((t) => `<div class="box"><span>${t}</span></div>`)
      .join('');
    const figures = ['图一', '图二', '图三'].map((t) => `<div class="pic"><img src="${t}.jpg"><p>${t}说明</p></div>`).join('');
    const out = clean(`<p>${P}</p>${teasers}${figures}`);
    assert.equal(out, `${P}\n图一说明\n图二说明\n图三说明`);
  });

  it('EX-B-06 English related headings take their link list too; a heading that only starts alike stays', () => {
    const E = 'The council passed the bill on Wednesday, and the debate went on late into the night.';
    const out = clean(
      `<p>${E}</p><h3>Related Stories</h3><ul><li><a href="/1">A first story</a></li><li><a href="/2">Another one</a></li></ul><h2>Related work in the region</h2><p>${E}</p><h4>You May Also Enjoy:</h4><div><a href="/3">How to start</a></div>`,
    );
    assert.equal(out, `${E}\nRelated work in the region\n${E}`);
  });

  it('EX-B-07 breadcrumb and skip-link lines go; a sentence about a position stays', () => {
    const kept = '当前位置并不重要，重要的是方向。';
    const out = clean(`<div>当前位置：首页 -> 军事技术</div><p><a href="#main">Skip to content</a></p><p>${P}</p><p>${kept}</p>`);
    assert.equal(out, `${P}\n${kept}`);
  });
});
