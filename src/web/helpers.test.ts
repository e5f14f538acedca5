import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNewsmirrorError } from '../core/errors.js';
import { mediaUrlPath, pageBody } from './body.js';
import { html, trustedHtml } from './html.js';
import { dayKey, decodeCursor, encodeCursor, parseDateBound, parseLimit, parseQuery } from './params.js';
import { safeSnippet } from './snippet.js';
import { convertHtmlText } from './variant.js';

const isUsage = (error: unknown): boolean => isNewsmirrorError(error) && error.code === 'usage';

describe('web helpers', () => {
  it('WH-01 html escapes every value unless it is SafeHtml; false, null and undefined render nothing', () => {
    const value = `<script>"x" & 'y'</script>`;
    assert.equal(html`<p title="${value}">${value}</p>`.value, '<p title="&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;">&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;</p>');
    assert.equal(html`${trustedHtml('<b>ok</b>')}${[html`<i>${'<'}</i>`, '&']}${false}${null}${undefined}${0}`.value, '<b>ok</b><i>&lt;</i>&amp;0');
  });

  it('WH-02 convertHtmlText converts text nodes only: attributes, comments, textarea stay', () => {
    const page = '<a href="/国家?q=国家" title=\'国家 > 发展\'>国家发展</a><!-- 国家 --><textarea>国家</textarea><p>头发 &amp; 国家</p>';
    assert.equal(convertHtmlText(page), '<a href="/国家?q=国家" title=\'国家 > 发展\'>國家發展</a><!-- 国家 --><textarea>国家</textarea><p>頭髮 &amp; 國家</p>');
    assert.equal(convertHtmlText('国家 <unclosed "国家'), '國家 <unclosed "国家');
  });

  it('WH-03 limits, cursors, dates and queries are checked, never clamped or guessed', () => {
    assert.equal(parseLimit(undefined, 50, 200), 50);
    assert.equal(parseLimit('200', 50, 200), 200);
    for (const bad of ['0', '201', '-1', '1.5', '1e2', 'x', ' 5']) assert.throws(() => parseLimit(bad, 50, 200), isUsage, bad);
    const cursor = { published: 1_595_267_727_000, id: 'abcdefghijklmnop' };
    assert.deepEqual(decodeCursor(encodeCursor(cursor)), cursor);
    assert.deepEqual(decodeCursor(encodeCursor({ published: -5, id: 'a2' })), { published: -5, id: 'a2' });
    for (const bad of ['!!', Buffer.from('1.ABC').toString('base64url'), Buffer.from(`${'9'.repeat(17)}.a`).toString('base64url'), 'x'.repeat(65)]) {
      assert.throws(() => decodeCursor(bad), isUsage, bad);
    }
    // Days are whole days in the zone: Shanghai is UTC+8; New York changes offset on 2020-03-08.
    assert.equal(parseDateBound('2020-07-20', 'from', 'Asia/Shanghai'), Date.UTC(2020, 6, 19, 16));
    assert.equal(parseDateBound('2020-07-20', 'to', 'Asia/Shanghai'), Date.UTC(2020, 6, 20, 16));
    assert.equal(parseDateBound('2020-03-08', 'to', 'America/New_York'), Date.UTC(2020, 2, 9, 4));
    assert.equal(parseDateBound('2020-12-31', 'to', 'UTC'), Date.UTC(2021, 0, 1));
    assert.equal(parseDateBound('2020-07-20T10:00:00+08:00', 'from', 'UTC'), Date.UTC(2020, 6, 20, 2));
    for (const bad of ['2020-02-30', '2020-13-01', '20200720', '2020-07-20T10:00', 'today', '1969-12-31']) assert.throws(() => parseDateBound(bad, 'from', 'UTC'), isUsage, bad);
    assert.equal(dayKey(Date.UTC(2020, 6, 20, 17), 'Asia/Shanghai'), '2020-07-21');
    assert.equal(parseQuery('  香港 国安法 '), '香港 国安法');
    assert.equal(parseQuery('长'.repeat(200)), '长'.repeat(200));
    for (const bad of [undefined, '', '   ', '长'.repeat(201)]) assert.throws(() => parseQuery(bad), isUsage, String(bad));
  });

  it('WH-04 media references map to /media only for the exact content-addressed pattern', () => {
    const sha = `ab${'c'.repeat(62)}`;
    assert.equal(mediaUrlPath(`../../../../../media/ab/${sha}.jpg`), `/media/ab/${sha}.jpg`);
    assert.equal(mediaUrlPath(`../../../../../../news-media/media/ab/${sha}.png`), `/media/ab/${sha}.png`);
    for (const bad of [`https://x.test/media/ab/${sha}.jpg`, `../media/cd/${sha}.jpg`, `../media/ab/${sha}`, `../media/ab/${sha.slice(1)}.jpg`, `../media/ab/${sha}.jpg?x`]) {
      assert.equal(mediaUrlPath(bad), undefined, bad);
    }
    assert.equal(
      pageBody(`<p><img src="../../media/ab/${sha}.webp" srcset="https://x.test/a.jpg 2x" alt="a"><video src="https://x.test/v.mp4"></video></p>`),
      `<p><img src="/media/ab/${sha}.webp" alt="a"><a href="https://x.test/v.mp4" class="remote-media" rel="noopener noreferrer nofollow">[媒体文件]</a></p>`,
    );
  });

  it('WH-05 snippets keep text and <mark> only', () => {
    assert.equal(safeSnippet('a <mark>香港</mark> &amp; <b onclick="x">b</b><script>alert(1)</script><img src=x onerror=y>'), 'a <mark>香港</mark> &amp; b');
  });
});
