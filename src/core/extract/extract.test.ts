import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { extractArticle, EXTRACT_RULES, type ExtractRule } from './index.js';
import { stripSiteSuffix } from './title.js';

const fixture = (name: string): string => readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');

const LONG_ZH =
  '香港立法会周三通过一项法案，引发市民广泛关注。多名议员在辩论中表示，这项法律将对言论自由产生深远影响，' +
  '而政府官员则坚称，新规定只针对极少数人，普通市民无须担心。法律学者指出，条文中的若干定义过于宽泛，' +
  '执法部门可能拥有过大的裁量权。国际人权组织亦发表声明，呼吁当局撤回法案，并与社会各界展开真正的对话。';

describe('extractArticle: real pages', () => {
  it('EX-01 generic: thepaper.cn news page keeps the body and drops the page chrome', () => {
    const r = extractArticle(fixture('thepaper-1.html'), 'https://www.thepaper.cn/newsDetail_forward_9290000');
    assert.equal(r.method, 'generic');
    assert.equal(r.title, '共享充电宝涨价告别1元时代：是“收割韭菜”还是回归理性');
    assert.match(r.text, /以前花一两元就能充满电，前几天一下子被扣了12元。/);
    assert.match(r.text, /目前国内共享充电宝的市场基本形成了“三电一兽”的行业格局。/);
    assert.doesNotMatch(r.text, /澎湃新闻-The Paper/);
    assert.doesNotMatch(r.html, /<script|<style/i);
    // One line per block: paragraphs are not glued together.
    assert.ok(r.text.split('\n').length > 10);
  });

  it('EX-02 rule:rfi on a captured rfi.fr article page', () => {
    const r = extractArticle(
      fixture('rfi-20220206.html'),
      'https://www.rfi.fr/cn/%E4%B8%93%E6%A0%8F%E6%A3%80%E7%B4%A2/%E6%B3%95%E5%9B%BD%E6%8A%A5%E7%BA%B8%E6%91%98%E8%A6%81/20220206-x',
    );
    assert.equal(r.method, 'rule:rfi');
    assert.match(r.text, /法国总统马克龙下星期访问莫斯科和基辅。/);
    assert.match(r.text, /多年来，巴黎和柏林充当乌克兰和俄罗斯之间的调停方。/);
    assert.doesNotMatch(r.html, /o-self-promo|m-interstitial|<script/);
    assert.doesNotMatch(r.text, /订阅|下载法广应用程序/);
  });

  it('EX-03 without the rule the same rfi page still extracts generically', () => {
    const r = extractArticle(fixture('rfi-20220206.html'), 'https://www.rfi.fr/cn/x', { rules: [] });
    assert.equal(r.method, 'generic');
    assert.match(r.text, /法国总统马克龙下星期访问莫斯科和基辅。/);
  });
});

describe('extractArticle: site rules on captured bodies', () => {
  const cases: { site: string; file: string; url: string; present: RegExp; absent: RegExp }[] = [
    {
      site: 'bbc',
      file: 'bbc-feedbody.html',
      url: 'https://www.bbc.com/zhongwen/simp/uk-53470961',
      present: /英国外交大臣/,
      absent: /bbccom_advert|热门文章一|版权所有/,
    },
    {
      site: 'reuters',
      file: 'reuters-feedbody.html',
      url: 'https://cn.reuters.com/article/tomorrow-group-regulators-taking-over-07-idCNKCS24J00X',
      present: /明天系/,
      absent: /Thomson Reuters Trust Principles|热门文章一/,
    },
    {
      site: 'ft',
      file: 'ft-feedbody.html',
      url: 'https://cn.ft.com/story/001088607',
      present: /学生/,
      absent: /o-ads|热门文章一|版权所有/,
    },
    {
      site: 'cdt',
      file: 'cdt-feedbody.html',
      url: 'https://chinadigitaltimes.net/chinese/2020/06/x/',
      present: /面对着来势汹汹却一无所知的新冠病毒/,
      absent: /热门文章一|版权所有/,
    },
  ];
  for (const c of cases) {
    it(`EX-R-${c.site}: rule:${c.site} selects the body and removes its inserts`, () => {
      const r = extractArticle(fixture(c.file), c.url);
      assert.equal(r.method, `rule:${c.site}`);
      assert.match(r.text, c.present);
      assert.doesNotMatch(r.html + r.text, c.absent);
    });
  }

  it('EX-R-00 every catalog rule has a fixture above', () => {
    assert.deepEqual(EXTRACT_RULES.map((r) => r.site).sort(), cases.map((c) => c.site).concat('rfi').sort());
  });

  it('EX-R-01 the bbc rule is limited to /zhongwen', () => {
    const r = extractArticle(fixture('bbc-feedbody.html'), 'https://www.bbc.com/news/uk-53470961');
    assert.equal(r.method, 'generic');
  });

  it('EX-R-02 a rule whose selector matches nothing falls through to generic', () => {
    const rules: ExtractRule[] = [{ site: 'x', hosts: ['example.com'], content: ['.no-such-thing'] }];
    const page = `<html><body><article>${'<p>' + LONG_ZH + '</p>'.repeat(1)}<p>${LONG_ZH}</p></article></body></html>`;
    const r = extractArticle(page, 'https://www.example.com/a', { rules });
    assert.equal(r.method, 'generic');
  });
});

describe('extractArticle: structured data', () => {
  const appShell = (head: string): string =>
    `<html><head><title>App</title>${head}</head><body><div id="root"><nav><a href="/">首页</a></nav></div></body></html>`;

  it('EX-S-01 JSON-LD NewsArticle inside @graph on a script-rendered page', () => {
    const ld = {
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'WebSite', name: '示例网' },
        { '@type': ['NewsArticle'], headline: '立法会通过新法案', articleBody: `${LONG_ZH}\n\n${LONG_ZH}` },
      ],
    };
    const r = extractArticle(appShell(`<script type="application/ld+json">${JSON.stringify(ld)}</script>`), 'https://example.com/a');
    assert.equal(r.method, 'jsonld');
    assert.equal(r.title, '立法会通过新法案');
    assert.equal(r.text.split('\n').length, 2);
    assert.match(r.html, /^<p>香港立法会/);
  });

  it('EX-S-02 a short JSON-LD teaser is not taken for the article', () => {
    const ld = { '@type': 'NewsArticle', headline: 'x', articleBody: '香港立法会周三通过一项法案。' };
    const r = extractArticle(appShell(`<script type="application/ld+json">${JSON.stringify(ld)}</script>`), 'https://example.com/a');
    assert.equal(r.method, 'none');
  });

  it('EX-S-03 when the page itself holds the JSON-LD body, its markup (images, paragraphs) is kept', () => {
    const ld = { '@type': 'BlogPosting', articleBody: `${LONG_ZH} ${LONG_ZH}` };
    const page = `<html><head><script type="application/ld+json">${JSON.stringify(ld)}</script></head><body>
      <article><p>${LONG_ZH}</p><figure><img src="/a.jpg"><figcaption>图片说明</figcaption></figure><p>${LONG_ZH}</p></article></body></html>`;
    const r = extractArticle(page, 'https://example.com/news/1');
    assert.equal(r.method, 'generic');
    assert.match(r.html, /<img src="https:\/\/example\.com\/a\.jpg">/);
    assert.match(r.text, /图片说明/);
  });

  it('EX-S-04 __NEXT_DATA__ carrying the body as HTML', () => {
    const data = { props: { pageProps: { article: { title: 't', content: `<p>${LONG_ZH}</p><p>${LONG_ZH}</p>`, summary: '短' } } } };
    const page = appShell(`<script id="__NEXT_DATA__" type="application/json">${JSON.stringify(data)}</script>`);
    const r = extractArticle(page, 'https://example.com/a');
    assert.equal(r.method, 'state');
    assert.match(r.text, /^香港立法会周三通过一项法案/);
  });

  it('EX-S-05 window.__INITIAL_STATE__ with a body string', () => {
    const state = { article: { body: `${LONG_ZH}\n${LONG_ZH}`, id: 3 }, user: null };
    const page = appShell(`<script>window.__INITIAL_STATE__ = ${JSON.stringify(state)};window.x=1;</script>`);
    const r = extractArticle(page, 'https://example.com/a');
    assert.equal(r.method, 'state');
    assert.equal(r.text.split('\n').length, 2);
  });

  it('EX-S-06 state strings that are code or URLs are not an article', () => {
    const state = { bundle: { content: 'function(a){return a+1};'.repeat(80) }, html: 'https://example.com/x '.repeat(60) };
    const r = extractArticle(appShell(`<script>window.__INITIAL_STATE__=${JSON.stringify(state)}</script>`), 'https://example.com/a');
    assert.notEqual(r.method, 'state');
  });
});

describe('extractArticle: no article, bad input', () => {
  it('EX-N-01 a navigation-only page gives method none and empty html', () => {
    const links = Array.from({ length: 30 }, (_, i) => `<li><a href="/c/${i}">栏目${i}新闻列表</a></li>`).join('');
    const r = extractArticle(`<html><head><title>首页</title></head><body><ul>${links}</ul></body></html>`, 'https://example.com/');
    assert.equal(r.method, 'none');
    assert.equal(r.html, '');
    assert.equal(r.text, '');
  });

  it('EX-N-02 empty and non-HTML input', () => {
    for (const input of ['', '   ', 'plain words only', '<', '<<<>>>', '\u0000\u0001', '{"a":1}']) {
      const r = extractArticle(input, 'not a url');
      assert.equal(typeof r.html, 'string');
      assert.ok(['none', 'generic'].includes(r.method));
    }
  });

  it('EX-N-03 arbitrary strings and tag soup never throw', () => {
    const tag = fc.constantFrom('<p>', '</p>', '<div class="content">', '</div>', '<br>', '<br><br>', '<table><tr><td>', '<script>', '</script>', '<a href="javascript:x">', '<img data-src="a.jpg">', '<noscript>', '，。', 'text ', LONG_ZH);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(tag, { maxLength: 60 }).map((a) => a.join(''))), fc.string(), (html, url) => {
        const r = extractArticle(html, url);
        assert.equal(typeof r.text, 'string');
        assert.doesNotMatch(r.html, /<script/i);
      }),
      { numRuns: 300 },
    );
  });

  it('EX-N-04 javascript: links keep their text but lose the link; relative URLs become absolute', () => {
    const page = `<html><body><article><p>${LONG_ZH}<a href="javascript:void(0)">点击这里</a></p><p>${LONG_ZH}<a href="../b.html">相关</a><img src="/i.png" srcset="/i2.png 2x"></p></article></body></html>`;
    const r = extractArticle(page, 'https://example.com/news/a/1.html');
    assert.doesNotMatch(r.html, /javascript:/);
    assert.match(r.text, /点击这里/);
    assert.match(r.html, /href="https:\/\/example\.com\/news\/b\.html"/);
    assert.match(r.html, /srcset="https:\/\/example\.com\/i2\.png 2x"/);
  });
});

describe('extractArticle: precision', () => {
  it('EX-Q-01 a table-layout page: a grid of teaser links after the article is dropped, a data table is kept', () => {
    const rows = Array.from({ length: 12 }, (_, i) => `<tr><td><a href="/c/${i}">[社会]</a></td><td><a href="/n/${i}.html">其他新闻标题第${i}条与本文无关</a></td></tr>`).join('');
    const data = Array.from({ length: 12 }, (_, i) => `<tr><td>第${i}季度</td><td>${100 + i}亿元</td></tr>`).join('');
    const page = `<html><body><table><tr><td class="content"><p>${LONG_ZH}</p><p>${LONG_ZH}</p><table>${data}</table><p>${LONG_ZH}</p><table>${rows}</table></td></tr></table></body></html>`;
    const r = extractArticle(page, 'https://example.com/news/1.html');
    assert.match(r.text, /第11季度\t111亿元/);
    assert.doesNotMatch(r.text, /其他新闻标题/);
  });
});

describe('extractArticle: page preparation', () => {
  it('EX-P-01 React streaming segments (<div hidden id="S:n">) are moved into their placeholders, not dropped', () => {
    const page = `<html><body><header><a href="/">首页</a></header><main><h1>标题</h1><template id="B:1"></template></main>
      <div hidden id="S:1"><article><p>${LONG_ZH}</p><p>${LONG_ZH}</p></article></div>
      <script>$RC("B:1","S:1")</script></body></html>`;
    const r = extractArticle(page, 'https://example.com/a');
    assert.equal(r.method, 'generic');
    assert.match(r.text, /^香港立法会周三通过一项法案/);
  });

  it('EX-P-02 other hidden content stays out', () => {
    const page = `<html><body><article><p>${LONG_ZH}</p><div hidden><p>隐藏的订阅提示，不应出现在正文中。隐藏的订阅提示，不应出现在正文中。</p></div><p>${LONG_ZH}</p></article></body></html>`;
    const r = extractArticle(page, 'https://example.com/a');
    assert.doesNotMatch(r.text, /隐藏的订阅提示/);
  });
});

describe('stripSiteSuffix', () => {
  it('EX-T-01 removes site names after separators, keeps real titles', () => {
    assert.equal(stripSiteSuffix('英国指责中国侵犯人权 - BBC News 中文'), '英国指责中国侵犯人权');
    assert.equal(stripSiteSuffix('马克龙星期一在莫斯科与普京会面 – 法国国际广播电台 - RFI'), '马克龙星期一在莫斯科与普京会面');
    assert.equal(stripSiteSuffix('Brexit: what happens next | World news | The Guardian'), 'Brexit: what happens next');
    assert.equal(stripSiteSuffix('短 - 这是一个很长很长的副标题而不是网站名称'), '短 - 这是一个很长很长的副标题而不是网站名称');
  });

  it('EX-T-02 unspaced hyphens and repeated underscores used by Chinese portals', () => {
    assert.equal(stripSiteSuffix('工商部门初定SKII广告属于虚假宣传-搜狐财经'), '工商部门初定SKII广告属于虚假宣传');
    assert.equal(stripSiteSuffix('新年伊始，习近平的重要文章谈了啥？_中南海_澎湃新闻-The Paper'), '新年伊始，习近平的重要文章谈了啥？');
    assert.equal(stripSiteSuffix('四年前中500万现穷困潦倒 一夜暴富后如何经营__商贸_产业资讯_新浪网'), '四年前中500万现穷困潦倒 一夜暴富后如何经营');
    assert.equal(stripSiteSuffix('COVID-19 vaccine trial results'), 'COVID-19 vaccine trial results');
    assert.equal(stripSiteSuffix('华为发布折叠屏手机Mate-X'), '华为发布折叠屏手机Mate-X');
  });

  it('EX-T-03 the page heading wins over an og:title that adds a rubric', () => {
    const r = extractArticle(fixture('rfi-20220206.html'), 'https://www.rfi.fr/cn/x');
    assert.equal(r.title, '马克龙星期一在莫斯科与普京会面');
  });
});
