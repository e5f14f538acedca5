import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalizeUrl } from './url.js';

const SEED_LINK =
  'https://www.rfi.fr/cn/%E5%9B%BD%E9%99%85/20231020-%E9%87%91%E6%AD%A3%E6%81%A9%E6%8E%A5%E8%A7%81%E4%BF%84%E5%A4%96%E9%95%BF-%E5%BB%BA%E7%AB%8B%E9%9D%A2%E5%90%91%E6%9C%AA%E6%9D%A5%E7%9A%84%E6%9C%9D%E4%BF%84%E5%85%B3%E7%B3%BB%E7%99%BE%E5%B9%B4%E5%A4%A7%E8%AE%A1';
const SEED_LINK_DECODED = 'https://www.rfi.fr/cn/国际/20231020-金正恩接见俄外长-建立面向未来的朝俄关系百年大计';

const corpusLinks = readFileSync(new URL('./testdata/corpus-links.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line !== '');

describe('canonicalizeUrl', () => {
  it('ID-01 seed link is already canonical', () => {
    assert.equal(canonicalizeUrl(SEED_LINK), SEED_LINK);
  });

  it('ID-02 seed link and its decoded spelling share one key', () => {
    assert.equal(canonicalizeUrl(SEED_LINK_DECODED), SEED_LINK);
  });

  it('ID-03 feedx double slash collapsed', () => {
    assert.equal(
      canonicalizeUrl('http://www.rfi.fr//cn/contenu/20200720-%E6%B3%95%E5%BE%B7'),
      'https://www.rfi.fr/cn/contenu/20200720-%E6%B3%95%E5%BE%B7',
    );
    assert.equal(canonicalizeUrl('https://example.com/a///b//c/'), 'https://example.com/a/b/c/');
  });

  it('ID-04 http and https are one identity', () => {
    assert.equal(canonicalizeUrl('http://www.bbc.com/zhongwen/simp/uk-53470961'), 'https://www.bbc.com/zhongwen/simp/uk-53470961');
    assert.equal(canonicalizeUrl('http://www.bbc.com:443/x'), 'https://www.bbc.com/x');
  });

  it('ID-05 scheme and host lower-cased, default ports, user info, trailing dot and fragment dropped', () => {
    assert.equal(canonicalizeUrl('HTTPS://User:pw@WWW.DW.COM.:443/zh/A#section-2'), 'https://www.dw.com/zh/A');
    assert.equal(canonicalizeUrl('http://example.com:80/p'), 'https://example.com/p');
    assert.equal(canonicalizeUrl('https://example.com:8443/p'), 'https://example.com:8443/p');
  });

  it('ID-06 lower-case percent hex is upper-cased (CDT links)', () => {
    assert.equal(
      canonicalizeUrl('https://chinadigitaltimes.net/chinese/2020/07/%e9%9d%9e%e6%96%b0-2/'),
      'https://chinadigitaltimes.net/chinese/2020/07/%E9%9D%9E%E6%96%B0-2/',
    );
  });

  it('ID-07 escapes of unreserved characters are decoded, reserved ones kept', () => {
    assert.equal(canonicalizeUrl('https://example.com/%41%62c%2D%7E%2F%3F?q=%41%26%3D'), 'https://example.com/Abc-~%2F%3F?q=A%26%3D');
  });

  it('ID-08 characters outside RFC 3986 are encoded so both spellings match', () => {
    assert.equal(canonicalizeUrl('https://example.com/a|b c'), canonicalizeUrl('https://example.com/a%7cb%20c'));
    assert.equal(canonicalizeUrl('https://example.com/a|b'), 'https://example.com/a%7Cb');
    assert.equal(canonicalizeUrl('https://example.com/100%'), 'https://example.com/100%25');
  });

  it('ID-09 tracking parameters removed, the rest sorted', () => {
    assert.equal(
      canonicalizeUrl(
        'https://www.bbc.com/zhongwen/simp/world-1?utm_source=twitter&b=2&at_medium=RSS&at_campaign=KARANGA&a=1&fbclid=x&UTM_Medium=y&xtor=RSS-1&spm=a.b',
      ),
      'https://www.bbc.com/zhongwen/simp/world-1?a=1&b=2',
    );
    for (const name of ['gclid', 'dclid', 'msclkid', 'mc_cid', 'mc_eid', 'from', 'isappinstalled', 'share_token', 'igshid', 'yclid', '_hsenc', '_hsmi', 'mkt_tok', 'ref_src']) {
      assert.equal(canonicalizeUrl(`https://example.com/p?${name}=1`), 'https://example.com/p', name);
    }
  });

  it('ID-10 repeated parameter names keep their order; meaningful parameters stay', () => {
    assert.equal(canonicalizeUrl('https://x.test/p?tag=b&id=1&tag=a'), 'https://x.test/p?id=1&tag=b&tag=a');
    assert.equal(canonicalizeUrl('https://cn.ft.com/story/001088621?full=y'), 'https://cn.ft.com/story/001088621?full=y');
  });

  it('ID-11 DW bare query after a literal question mark is kept byte for byte', () => {
    const link = 'https://www.dw.com/zh/%E6%91%A9%E5%B0%94%E4%BA%BA%E8%A1%97?%E6%A0%BC%E6%9E%97?%E4%B8%80/a-54173121';
    assert.equal(canonicalizeUrl(link), link);
    assert.equal(canonicalizeUrl('https://www.dw.com/zh/x?/a-54180796'), 'https://www.dw.com/zh/x?/a-54180796');
  });

  it('ID-12 empty query and empty pieces dropped; index.html and trailing slash kept', () => {
    assert.equal(canonicalizeUrl('https://example.com/a/?&&'), 'https://example.com/a/');
    assert.equal(canonicalizeUrl('https://example.com/a/index.html'), 'https://example.com/a/index.html');
    assert.equal(canonicalizeUrl('https://example.com'), 'https://example.com/');
  });

  it('ID-13 relative links resolve against the base', () => {
    assert.equal(canonicalizeUrl('/a/5510210.html', 'https://www.voachinese.com/api/feed'), 'https://www.voachinese.com/a/5510210.html');
    assert.equal(canonicalizeUrl('//cn.reuters.com/article/x', 'https://feedx.net/rss/reuters.xml'), 'https://cn.reuters.com/article/x');
  });

  it('ID-14 unusable links have no canonical form', () => {
    for (const link of ['', '   ', 'not a url', '/relative/without/base', 'mailto:a@b.c', 'javascript:alert(1)', 'ftp://example.com/x', 'urn:uuid:1']) {
      assert.equal(canonicalizeUrl(link), undefined, link);
    }
  });

  it('ID-15 canonical form is a fixed point', () => {
    for (const link of corpusLinks) {
      const canonical = canonicalizeUrl(link);
      assert.ok(canonical !== undefined, link);
      assert.equal(canonicalizeUrl(canonical), canonical, link);
    }
  });

  it('ID-16 distinct corpus links never share a canonical URL', () => {
    const canonical = new Set(corpusLinks.map((link) => canonicalizeUrl(link)));
    assert.equal(new Set(corpusLinks).size, corpusLinks.length);
    assert.equal(canonical.size, corpusLinks.length);
  });

  it('ID-17 any web URL canonicalises to a fixed point with no tracking parameters or fragment', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.constantFrom('', '&utm_source=x', '&fbclid=1'), (url, tracking) => {
        const withTracking = url.includes('?') ? url.replace('?', `?a=1${tracking}&`) : url;
        const canonical = canonicalizeUrl(withTracking);
        assert.ok(canonical !== undefined, withTracking);
        assert.equal(canonicalizeUrl(canonical), canonical);
        assert.ok(!canonical.includes('#') && !/[?&](utm_source|fbclid)=/.test(canonical), canonical);
        assert.ok(canonical.startsWith('https://'));
      }),
    );
  });
});
