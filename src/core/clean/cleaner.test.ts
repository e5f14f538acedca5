import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cleanArticle, rulesFor, CLEAN_RULES, type CleanRule } from './index.js';
import { executableConstructs } from '../../../test/helpers/clean.js';

const RFI = { url: 'https://www.rfi.fr/cn/国际/20231020-x', sourceId: 'rfi' };
const BBC = { url: 'http://www.bbc.com/zhongwen/simp/uk-53470961', sourceId: 'bbc' };
const FEEDX_FOOTER =
  '<br><hr><div>获取更多RSS：<br><a href="https://feedx.net" style="color:orange" target="_blank">https://feedx.net</a> <br><a href="https://feedx.xyz" style="color:orange" target="_blank">https://feedx.xyz</a><br></div>';

function clean(html: string, options: { url: string; sourceId?: string } = RFI): string {
  return cleanArticle(html, options).html;
}

describe('cleanArticle: boilerplate', () => {
  it('CLN-01 removes the feedx footer with the <br><hr> before it', () => {
    const result = cleanArticle(`<p>正文</p>${FEEDX_FOOTER}`, RFI);
    assert.equal(result.html, '<p>正文</p>');
    assert.deepEqual(result.removed, ['feedx-footer']);
  });

  it('CLN-02 leaves an item without the footer alone (the footer is on only some items)', () => {
    const result = cleanArticle('<p>正文</p><hr><p>附注</p>', RFI);
    assert.equal(result.html, '<p>正文</p>\n<hr>\n<p>附注</p>');
    assert.deepEqual(result.removed, []);
  });

  it('CLN-03 removes feed-injected date lines only at the very start', () => {
    assert.equal(clean('<div>20/07/2020 - 17:35</div><p>a</p><div>20/07/2020 - 17:35</div>'), '<p>a</p>\n<div>20/07/2020 - 17:35</div>');
    assert.equal(clean('<div><i><br>2020-07-20T14:58:19.428Z</i></div><p>a</p>', { url: 'https://www.dw.com/zh/x' }), '<p>a</p>');
    assert.equal(clean('<div><i>Mon, 20 Jul 2020 19:22:03 GMT</i></div><p>a</p>', { url: 'https://www.voachinese.com/a/1.html' }), '<p>a</p>');
    assert.equal(clean('<div><i>2020年 7月 20日</i></div><p>a</p>', BBC), '<p>a</p>');
  });

  it('CLN-04 removes BBC ad slots and screen-reader labels but keeps captions and credits', () => {
    const html =
      '<div class="media-landscape has-caption"><span class="image-and-copyright-container"><img class="js-image-replace" alt="图" src="https://images.weserv.nl/?url=ichef.bbci.co.uk/news/640/a.jpg"><span class="off-screen">图片版权</span><span class="story-image-copyright">AFP</span></span><figcaption class="media-caption"><span class="off-screen">Image caption</span><span class="media-caption__text">说明文字</span></figcaption></div><div id="bbccom_mpu_3" class="bbccom_slot mpu-ad" aria-hidden="true"><div class="bbccom_advert"></div></div><p>正文</p>';
    assert.equal(
      clean(html, BBC),
      '<figure><img alt="图" src="https://ichef.bbci.co.uk/news/640/a.jpg">AFP<figcaption>说明文字</figcaption></figure>\n<p>正文</p>',
    );
  });

  it('CLN-05 removes the CDT footer with unrendered PHP and the rule before it', () => {
    const html =
      '<p>正文</p><hr /><p><small>&copy; 某人 for <a href="https://chinadigitaltimes.net/chinese">中国数字时代</a>, get_post_time(\'Y\'). |<a href="https://x/">Permalink</a></small></p><p><small>Feed enhanced by <a href="http://planetozh.com/">Better Feed</a> from <a href="http://planetozh.com/blog/">Ozh</a></small></p>';
    const result = cleanArticle(html, { url: 'https://chinadigitaltimes.net/chinese/2020/07/x/', sourceId: 'cdt' });
    assert.equal(result.html, '<p>正文</p>');
    assert.deepEqual(result.removed, ['feed-footer']);
  });

  it('CLN-06 removes tracking pixels (1x1 and ad-system hosts) and decorative 1px lines', () => {
    const html =
      '<p>a<img src="//ir-na.amazon-adsystem.com/e/ir?t=x" width="1" height="1"><img src="https://example.com/p.gif" width="1" height="1"><img src="https://www.google-analytics.com/collect?v=1"><img src="https://a.example/line.png" width="624" height="1"></p>';
    const result = cleanArticle(html, { url: 'https://example.com/a' });
    assert.equal(result.html, '<p>a</p>');
    assert.deepEqual(result.removed, ['tracking-pixel']);
  });

  it('CLN-07 removes empty wrappers, class soup, inline styles and custom elements', () => {
    assert.equal(
      clean('<div class="x"><div style="color:red"><span class="y">文</span><p>&nbsp;</p><strong></strong><share-button v-on:open="x"></share-button></div></div>'),
      '<div>文</div>',
    );
    assert.equal(clean('<p>a</p><video poster="https://a.example/p.jpg"></video><audio controls></audio>'), '<p>a</p>');
  });

  it('CLN-09 turns an embed the sanitizer cannot keep into a link, keeps allowlisted players', () => {
    const result = cleanArticle(
      '<p>a</p><iframe src="//www.voacantonese.com/embed/player/0/5509911.html?type=video" class="external-content"><a href="https:////www.voacantonese.com/media/video/5509911.html">Pangea</a></iframe><iframe src="https://www.youtube.com/embed/x"></iframe>',
      { url: 'https://www.voachinese.com/a/1.html' },
    );
    assert.equal(
      result.html,
      '<p>a</p>\n<a href="https://www.voacantonese.com/embed/player/0/5509911.html?type=video" rel="noopener noreferrer nofollow">https://www.voacantonese.com/embed/player/0/5509911.html?type=video</a>\n<iframe src="https://www.youtube.com/embed/x" sandbox="allow-scripts allow-same-origin allow-popups" referrerpolicy="strict-origin-when-cross-origin" loading="lazy"></iframe>',
    );
    assert.deepEqual(result.removed, ['embed-link']);
  });

  it('CLN-10 cleans the 2020-10 BBC redesign (excerpts in noise.md)', () => {
    const html = [
      '<main role="main"><div class="lazyload-wrapper"><div class="lazyload-placeholder"></div></div>',
      '<img alt="Presentational grey line" src="https://images.weserv.nl/?url=ichef.bbci.co.uk/news/640/cpsprodpb/1226D/production/_105894347_grey_line-nc.png" width="640" class="StyledImg-sc-7vx2mr-0 dQLeqZ"/>',
      '<p class="Paragraph-sc-1 x">正文第一段。</p>',
      '<section aria-label="广告 2" aria-hidden="true" role="region" data-e2e="advertisement" class="AdContainer-sc-8mk8fx-0 itFDSt"><div id="dotcom-mpu" class="dotcom-ad"></div></section>',
      '<time dateTime="2020-10-12" class="StyledTimestamp-um718p-0 iENDai">19 分钟前</time>',
      '<figure><img alt="图" src="https://images.weserv.nl/?url=ichef.bbci.co.uk/news/640/a.jpg"/><p role="text" class="Copyright-sc-11lgtw-0 hDvIfz"><span class="VisuallyHiddenText-sc-1yjwwa5-0 ldFJPH">图像来源，</span><span lang="en-GB">Getty Images</span></p></figure>',
      '<iframe src="https://bbc.com/ws/av-embeds/cps/zhongwen/simp/science-54509082/p08rdvrb/zh-hans" title="多媒体播放器" allow="autoplay; fullscreen" scrolling="no" allowfullscreen=""></iframe><noscript><strong class="StyledMessage-sc-1pnftlt-2 efsyEb">你的器材不支持播放多媒体材料</strong></noscript>',
      '<img alt="Around the BBC" src="https://images.weserv.nl/?url=ichef.bbci.co.uk/news/640/cpsprodpb/20DF/production/_114851480_x.jpg" width="1920"/>',
      '<p><a href="https://www.bbc.co.uk/programmes/p08tqd6q?xtor=CS8-1000-%5BIn_Article_Promo_Box%5D-x">Around the BBC</a></p></main>',
    ].join('');
    const result = cleanArticle(html, BBC);
    assert.equal(
      result.html,
      [
        '<p>正文第一段。</p>',
        '<figure><img alt="图" src="https://ichef.bbci.co.uk/news/640/a.jpg"><p><span lang="en-GB">Getty Images</span></p></figure>',
        '<a href="https://bbc.com/ws/av-embeds/cps/zhongwen/simp/science-54509082/p08rdvrb/zh-hans" rel="noopener noreferrer nofollow">多媒体播放器</a>',
      ].join('\n'),
    );
    for (const name of ['ad-slot', 'separator-image', 'relative-time', 'hidden-label', 'player-fallback', 'promo', 'embed-link']) {
      assert.ok(result.removed.includes(name), `${name}: ${result.removed.join(', ')}`);
    }
  });

  it('CLN-11 turns image + caption blocks into figures (WordPress, VOA)', () => {
    assert.equal(
      clean(
        '<div id="attachment_1" style="width: 510px" class="wp-caption aligncenter"><img class="wp-image-1" src="https://cdt.example/a.png" alt=""><p id="caption-attachment-1" class="wp-caption-text">安徽多地遭受洪灾。</p></div>',
        { url: 'https://chinadigitaltimes.net/chinese/x/' },
      ),
      '<figure><img src="https://cdt.example/a.png" alt=""><figcaption>安徽多地遭受洪灾。</figcaption></figure>',
    );
    assert.equal(
      clean('<div class="contentImage floatLeft"><img class="photo" src="https://gdb.voanews.com/a.jpg" alt="越南"/><span class="imageCaption">越南领导人</span></div>', {
        url: 'https://www.voachinese.com/a/1.html',
      }),
      '<figure><img src="https://gdb.voanews.com/a.jpg" alt="越南"><figcaption>越南领导人</figcaption></figure>',
    );
    assert.equal(clean('<div class="image-caption">没有图片的说明</div>'), '<div>没有图片的说明</div>');
  });

  it('CLN-12 pairs feedx image and video captions (<div><small>) into figures, not empty ones', () => {
    assert.equal(
      clean(
        '<img src="https://images.weserv.nl?url=static01.nyt.com/a.jpg" width="100%"><div><small style="color: #999;">说明</small></div><img src="https://images.weserv.nl/?url=api.dw.com/image/1_303.jpg" width="100%"><div><small style="color: #999;"></small></div><p>正文</p>',
        { url: 'https://cn.nytimes.com/a/' },
      ),
      '<figure><img src="https://static01.nyt.com/a.jpg"><figcaption>说明</figcaption></figure>\n<img src="https://api.dw.com/image/1_303.jpg">\n<p>正文</p>',
    );
  });

  it('CLN-08 keeps headings, lists, quotes, tables, figures, media and links', () => {
    const html =
      '<h2>小标题</h2><ul><li>一</li></ul><blockquote><p>引文</p></blockquote><table><tr><td>格</td></tr></table><figure><img src="/a.jpg" alt="图"><figcaption>说明</figcaption></figure><video src="/v.mp4"></video><audio src="/a.mp3"></audio><p><a href="/b.html">链接</a></p>';
    assert.equal(
      clean(html, { url: 'https://www.voachinese.com/a/1.html' }),
      [
        '<h2>小标题</h2>',
        '<ul><li>一</li></ul>',
        '<blockquote><p>引文</p></blockquote>',
        '<table><tr><td>格</td></tr></table>',
        '<figure><img src="https://www.voachinese.com/a.jpg" alt="图"><figcaption>说明</figcaption></figure>',
        '<video src="https://www.voachinese.com/v.mp4" controls=""></video>',
        '<audio src="https://www.voachinese.com/a.mp3" controls=""></audio>',
        '<p><a href="https://www.voachinese.com/b.html" rel="noopener noreferrer nofollow">链接</a></p>',
      ].join('\n'),
    );
  });
});

describe('cleanArticle: images and URLs', () => {
  const base = { url: 'https://news.example.com/a/b.html' };
  const cases: [id: string, input: string, expected: string][] = [
    ['IMG-01 data-src over a placeholder', '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/i/1.jpg">', '<img src="https://news.example.com/i/1.jpg">'],
    ['IMG-02 data-original', '<img data-original="https://cdn.example/2.jpg" src="/blank.gif">', '<img src="https://cdn.example/2.jpg">'],
    ['IMG-03 data-lazy-src', '<img data-lazy-src="3.jpg">', '<img src="https://news.example.com/a/3.jpg">'],
    [
      'IMG-04 data-srcset picks the widest candidate and keeps a sane srcset',
      '<img data-srcset="/s.jpg 300w, /l.jpg 1024w, /m.jpg 768w">',
      '<img src="https://news.example.com/l.jpg" srcset="https://news.example.com/s.jpg 300w, https://news.example.com/l.jpg 1024w, https://news.example.com/m.jpg 768w">',
    ],
    ['IMG-05 srcset with a bad candidate is dropped', '<img src="/a.jpg" srcset="/a.jpg 1x, javascript:x 2x">', '<img src="https://news.example.com/a.jpg">'],
    [
      'IMG-06 noscript fallback replaces a placeholder',
      '<img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" alt="x"><noscript><img src="/real.jpg" alt="x"></noscript>',
      '<img src="https://news.example.com/real.jpg" alt="x">',
    ],
    ['IMG-07 noscript duplicate of a resolved lazy image is dropped', '<img data-src="/r.jpg"><noscript><img src="/r.jpg"></noscript>', '<img src="https://news.example.com/r.jpg">'],
    ['IMG-08 weserv proxy without scheme', '<img src="https://images.weserv.nl/?url=ichef.bbci.co.uk/news/640/x.jpg">', '<img src="https://ichef.bbci.co.uk/news/640/x.jpg">'],
    ['IMG-09 weserv proxy without slash, encoded inner URL', '<img src="https://images.weserv.nl?url=https%3A%2F%2Fstatic01.nyt.com%2Fa.jpg">', '<img src="https://static01.nyt.com/a.jpg">'],
    ['IMG-10 weserv ssl: prefix', '<img src="//images.weserv.nl/?url=ssl:api.dw.com/image/1_303.jpg">', '<img src="https://api.dw.com/image/1_303.jpg">'],
    ['IMG-11 proxied video poster', '<video poster="https://images.weserv.nl?url=gdb.voanews.com/p.jpg" src="https://av.voanews.com/v.mp4"></video>', '<video poster="https://gdb.voanews.com/p.jpg" src="https://av.voanews.com/v.mp4" controls=""></video>'],
    ['IMG-12 picture source lends its srcset', '<picture><source srcset="/p.webp 2x"><img src="data:image/gif;base64,R0lGOD"></picture>', '<img src="https://news.example.com/p.webp" srcset="https://news.example.com/p.webp 2x">'],
    ['IMG-13 aria-label becomes alt', '<img src="//s3.reutersmedia.net/r/?i=1" aria-label="说明">', '<img src="https://s3.reutersmedia.net/r/?i=1" alt="说明">'],
    [
      'URL-01 tracking parameters dropped from links, others kept',
      '<a href="https://www.nytimes.com/a.html?utm_source=twitter&amp;utm_campaign=x&amp;fbclid=1&amp;id=7#s">a</a>',
      '<a href="https://www.nytimes.com/a.html?id=7#s" rel="noopener noreferrer nofollow">a</a>',
    ],
    ['URL-02 protocol-relative and root-relative made absolute', '<a href="//cn.example/x">a</a><a href="/y">b</a>', '<a href="https://cn.example/x" rel="noopener noreferrer nofollow">a</a><a href="https://news.example.com/y" rel="noopener noreferrer nofollow">b</a>'],
    ['URL-03 link without usable href is unwrapped', '<p><a href="javascript:void(0)">文字</a></p>', '<p>文字</p>'],
  ];
  for (const [id, input, expected] of cases) {
    it(id, () => assert.equal(clean(input, base), expected));
  }
});

describe('cleanArticle: rules as data', () => {
  it('RUL-01 selects site rules by source id or by host', () => {
    assert.deepEqual(
      rulesFor({ url: 'https://www.rfi.fr/cn/x' }).map((rule) => rule.site),
      ['generic', 'rfi'],
    );
    assert.deepEqual(
      rulesFor({ url: 'https://example.com/', sourceId: 'cdt' }).map((rule) => rule.site),
      ['generic', 'cdt'],
    );
    assert.deepEqual(
      rulesFor({ url: 'https://example.com/' }).map((rule) => rule.site),
      ['generic'],
    );
  });

  it('RUL-02 accepts replacement site rules and reports their names', () => {
    const custom: CleanRule = { site: 'test', sourceIds: ['t'], hosts: [], remove: [{ name: 'promo-box', selector: '.promo' }] };
    const result = cleanArticle('<p>a</p><div class="promo">买</div>', { url: 'https://x.example/', sourceId: 't', siteRules: [custom] });
    assert.equal(result.html, '<p>a</p>');
    assert.deepEqual(result.removed, ['promo-box']);
  });

  it('RUL-03 every site rule names its sources and hosts', () => {
    for (const rule of CLEAN_RULES) {
      assert.ok(rule.sourceIds.length > 0 && rule.hosts.length > 0, rule.site);
      for (const remove of rule.remove) assert.match(remove.name, /^[a-z-]+$/);
    }
  });
});

describe('cleanArticle: output form', () => {
  it('FORM-01 one top-level block per line, pre untouched', () => {
    assert.equal(clean('<p>a</p><pre>  x\n   y</pre>文本<b>粗</b><p>b</p>'), '<p>a</p>\n<pre>  x\n   y</pre>\n文本<b>粗</b>\n<p>b</p>');
  });

  it('FORM-03 zero-width spaces and BOMs go, joiners stay', () => {
    assert.equal(clean('<p>E\u200b\u200bK \ufeff说 👨\u200d👩</p>'), '<p>EK 说 👨\u200d👩</p>');
  });

  it('FORM-02 text is one line per block', () => {
    assert.equal(cleanArticle('<h2>题</h2><p>一<br>二</p><ul><li>三</li><li>四</li></ul>', RFI).text, '题\n一\n二\n三\n四');
  });
});

const PIECES = [
  '<p>',
  '</p>',
  '<div class="a">',
  '</div>',
  '<span style="x">',
  '</span>',
  '<br>',
  '<hr>',
  '<ul><li>',
  '</li></ul>',
  '<li>',
  '<a href="/x?utm_source=y">',
  '</a>',
  '<img data-src="/i.jpg">',
  '<img src="https://images.weserv.nl/?url=a.example/b.jpg">',
  '<noscript><img src="/i.jpg"></noscript>',
  '<table><tr><td>',
  '</td></tr></table>',
  '<td>',
  '<pre>',
  '</pre>',
  '<blockquote>',
  '</blockquote>',
  '<h2>',
  '</h2>',
  '<figure>',
  '<figcaption>',
  '</figcaption></figure>',
  '<script>x</script>',
  '<share-button></share-button>',
  '<section>',
  '</section>',
  '<font>',
  '<b>',
  '</b>',
  '&nbsp;',
  '&amp;',
  '\u3000',
  ' ',
  '\n',
  '  ',
  '正文',
  'word',
  '<div>20/07/2020 - 17:35</div>',
  FEEDX_FOOTER,
  '<p></p>',
  '<dl><dt>',
  '<dd>',
  '<iframe src="https://www.youtube.com/embed/x"></iframe>',
];

describe('cleanArticle: stability (property-based)', () => {
  it('cleaning clean output changes nothing', () => {
    const html = fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...PIECES) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) }), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(html, fc.constantFrom('https://www.rfi.fr/cn/x', 'http://www.bbc.com/zhongwen/simp/x'), (input, url) => {
        const once = cleanArticle(input, { url });
        const twice = cleanArticle(once.html, { url });
        assert.equal(twice.html, once.html, JSON.stringify(input));
        assert.deepEqual(executableConstructs(once.html), []);
      }),
      { numRuns: 3000 },
    );
  });
});
