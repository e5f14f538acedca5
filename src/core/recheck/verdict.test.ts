import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REMOVAL_RULES } from './rules.js';
import { dice, judgeLook, redirectRule, type PageLook } from './verdict.js';

const URL_ = 'https://news.example/china/2024/03/01/article-123.html';
const PARAGRAPHS = [
  '中国国务院周五宣布新的经济刺激计划，涉及基础设施投资和消费补贴，总额约为一万亿元人民币。',
  '分析人士指出，这一计划的规模超过市场预期，但能否扭转经济放缓的趋势仍有待观察。',
  '官方媒体报道称，相关资金将在未来两年内分批拨付，重点支持中西部地区的交通和水利项目。',
  '一些经济学家警告，地方政府债务问题可能限制刺激措施的效果，并呼吁进行更深层次的结构性改革。',
];
const BODY = PARAGRAPHS.map((text) => `<p>${text}</p>`).join('\n');
const article = { sourceId: 'example', url: URL_, title: '国务院宣布新的经济刺激计划', bodyHtml: BODY, method: 'generic' };

function page(title: string, body: string, finalUrl = URL_): PageLook {
  return { kind: 'page', status: 200, finalUrl, html: `<html><head><title>${title} - 示例新闻</title></head><body><nav><a href="/">首页</a></nav><article><h1>${title}</h1>${body}</article><footer>© 示例新闻</footer></body></html>` };
}

describe('judgeLook', () => {
  it('RV-01 404, 410 and 451 are gone; 5xx, 403 and network errors are unreachable', () => {
    for (const status of [404, 410, 451]) {
      assert.deepEqual(judgeLook({ article, rules: REMOVAL_RULES, look: { kind: 'failed', code: 'http-status', status, message: '', finalUrl: URL_ } }), { outcome: 'gone', rule: `http-${status}` });
    }
    for (const status of [500, 502, 503, 403]) {
      assert.equal(judgeLook({ article, rules: REMOVAL_RULES, look: { kind: 'failed', code: 'http-status', status, message: '', finalUrl: URL_ } }).outcome, 'unreachable');
    }
    assert.deepEqual(judgeLook({ article, rules: REMOVAL_RULES, look: { kind: 'failed', code: 'connect', message: 'refused', finalUrl: URL_ } }), { outcome: 'unreachable', reason: 'connect' });
  });

  it('RV-02 the same article, whitespace aside, is unchanged; a 304 keeps the last page hash', () => {
    const verdict = judgeLook({ article, rules: REMOVAL_RULES, look: page(article.title, PARAGRAPHS.map((text) => `<p> ${text}\n</p>`).join('')) });
    assert.equal(verdict.outcome, 'unchanged');
    assert.deepEqual(judgeLook({ article, pageHash: 'h', rules: REMOVAL_RULES, look: { kind: 'not-modified', finalUrl: URL_ } }), { outcome: 'unchanged', pageHash: 'h' });
  });

  it('RV-03 a rewritten paragraph is an edit with the new body; a changed title is an edit with the new title', () => {
    const rewritten = [...PARAGRAPHS];
    rewritten[1] = '有分析人士质疑该计划的实际规模，认为其中相当一部分是此前已经宣布的项目，新增资金十分有限。';
    const edited = judgeLook({ article, rules: REMOVAL_RULES, look: page(article.title, rewritten.map((text) => `<p>${text}</p>`).join('')) });
    assert.equal(edited.outcome, 'edited');
    assert.ok(edited.outcome === 'edited' && edited.bodyHtml.includes('新增资金十分有限') && edited.title === article.title);
    const retitled = judgeLook({ article, rules: REMOVAL_RULES, look: page('国务院推出刺激方案', BODY) });
    assert.ok(retitled.outcome === 'edited' && retitled.title.startsWith('国务院推出刺激方案'));
  });

  it('RV-04 the page as last seen is unchanged even where it differs from the stored version', () => {
    const first = judgeLook({ article, rules: REMOVAL_RULES, look: page('国务院推出刺激方案', BODY) });
    assert.ok(first.outcome === 'edited');
    assert.deepEqual(judgeLook({ article, pageHash: first.pageHash, rules: REMOVAL_RULES, look: page('国务院推出刺激方案', BODY) }), { outcome: 'unchanged', pageHash: first.pageHash });
  });

  it('RV-05 a page that shrank below the suspect ratio is held back as suspect', () => {
    const verdict = judgeLook({ article, rules: REMOVAL_RULES, look: page(article.title, `<p>${PARAGRAPHS[0]}</p>`) });
    assert.equal(verdict.outcome, 'suspect');
  });

  it('RV-06 each removal notice on a page without the article is gone, with the notice named', () => {
    for (const notice of ['内容已删除', '该内容已被发布者删除', '此内容因违规无法查看', 'This page is no longer available']) {
      const verdict = judgeLook({ article, rules: REMOVAL_RULES, look: page('示例新闻', `<p>${notice}</p>`) });
      assert.equal(verdict.outcome, 'gone', notice);
      assert.ok(verdict.outcome === 'gone' && verdict.rule.startsWith('notice:') && verdict.rule.toLowerCase().includes(notice.toLowerCase()), notice);
    }
  });

  it('RV-07 an article quoting a removal notice is not gone', () => {
    const quoting = { ...article, bodyHtml: `${BODY}\n<p>该文在微信上显示“该内容已被发布者删除”。</p>` };
    const verdict = judgeLook({ article: quoting, rules: REMOVAL_RULES, look: page(article.title, quoting.bodyHtml) });
    assert.equal(verdict.outcome, 'unchanged');
  });

  it('RV-08 a soft 404 (no article, no title) is gone; a redirect to the home or a section page is gone', () => {
    assert.deepEqual(judgeLook({ article, rules: REMOVAL_RULES, look: page('示例新闻', '<p>欢迎访问</p>') }), { outcome: 'gone', rule: 'soft-404' });
    assert.deepEqual(judgeLook({ article, rules: REMOVAL_RULES, look: page('示例新闻', BODY, 'https://news.example/') }), { outcome: 'gone', rule: 'redirect-home' });
    assert.deepEqual(judgeLook({ article, rules: REMOVAL_RULES, look: page('示例新闻', BODY, 'https://news.example/china/') }), { outcome: 'gone', rule: 'redirect-section' });
  });

  it('RV-09 redirectRule: own URL, https upgrade and another article are not removals', () => {
    assert.equal(redirectRule(URL_, URL_), undefined);
    assert.equal(redirectRule(URL_, URL_.replace('https:', 'http:')), undefined);
    assert.equal(redirectRule(URL_, 'https://news.example/china/2024/03/01/article-123-updated.html'), undefined);
    assert.equal(redirectRule(URL_, 'https://news.example/index.html'), 'redirect-home');
    assert.equal(redirectRule('https://a.example/p?id=5', 'https://a.example/'), 'redirect-home');
  });

  it('RV-10 dice is 1 for equal texts and 0 for disjoint ones', () => {
    assert.equal(dice('中国经济', '中国经济'), 1);
    assert.equal(dice('中国经济', '美国大选'), 0);
    assert.ok(dice('中国经济放缓', '中国经济加速') > 0.3);
  });
});
