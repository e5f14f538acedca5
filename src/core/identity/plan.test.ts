import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Entry } from '../model/index.js';
import { sha256Hex } from './hash.js';
import { articleId, contentHash, identityOfEntry, planIdentity } from './plan.js';
import { canonicalizeUrl } from './url.js';

function entry(fields: Partial<Entry>): Entry {
  return { authors: [], categories: [], enclosures: [], ...fields };
}

const corpusLinks = readFileSync(new URL('./testdata/corpus-links.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line !== '');

describe('articleId', () => {
  it('ID-20 is 16 characters of lower-case base32, stable, and depends on source and key', () => {
    const id = articleId('rfi', 'https://www.rfi.fr/cn/a');
    assert.match(id, /^[a-z2-7]{16}$/);
    assert.equal(articleId('rfi', 'https://www.rfi.fr/cn/a'), id);
    assert.notEqual(articleId('voa', 'https://www.rfi.fr/cn/a'), id);
    assert.notEqual(articleId('rfi', 'https://www.rfi.fr/cn/b'), id);
  });

  it('ID-21 is the base32 of the first 80 bits of sha256(source, newline, key)', () => {
    const hex = sha256Hex('rfi\nhttps://www.rfi.fr/cn/a').slice(0, 20);
    const bits = BigInt(`0x${hex}`).toString(2).padStart(80, '0');
    const expected = Array.from({ length: 16 }, (_, i) => 'abcdefghijklmnopqrstuvwxyz234567'[Number.parseInt(bits.slice(i * 5, i * 5 + 5), 2)]).join('');
    assert.equal(articleId('rfi', 'https://www.rfi.fr/cn/a'), expected);
  });

  it('ID-22 two corpus entries with distinct links never collide', () => {
    const ids = new Set(corpusLinks.map((link) => articleId('corpus', canonicalizeUrl(link) as string)));
    assert.equal(ids.size, corpusLinks.length);
  });
});

describe('contentHash', () => {
  it('ID-30 ignores cosmetic whitespace but not text', () => {
    const a = contentHash(entry({ title: '标题  一', content: '<p>正文</p>\n<p>二</p>' }));
    assert.equal(contentHash(entry({ title: ' 标题 一\n', content: '<p>正文</p><p>二</p>  ' })), a);
    assert.equal(contentHash(entry({ title: '标题 一', content: '<p>正文</p>\r\n  <p>二</p>' })), a);
    assert.notEqual(contentHash(entry({ title: '标题 二', content: '<p>正文</p><p>二</p>' })), a);
    assert.notEqual(contentHash(entry({ title: '标题 一', content: '<p>正文。</p><p>二</p>' })), a);
    assert.match(a, /^[0-9a-f]{64}$/);
  });

  it('ID-31 uses content, else summary; title and body cannot trade text', () => {
    assert.equal(contentHash(entry({ title: 't', summary: '<p>s</p>' })), contentHash(entry({ title: 't', content: '<p>s</p>' })));
    assert.notEqual(contentHash(entry({ title: 't', summary: 'short', content: 'full' })), contentHash(entry({ title: 't', summary: 'short' })));
    assert.notEqual(contentHash(entry({ title: 'a b', content: 'c' })), contentHash(entry({ title: 'a', content: 'b c' })));
  });
});

describe('planIdentity', () => {
  it('ID-40 url policy keys by canonical URL and folds the same link twice (RFA) into the first', () => {
    const link = 'https://www.rfa.org/mandarin/yataibaodao/zhengzhi/jt-06302020120256.html';
    const plan = planIdentity('rfa', [
      entry({ link, title: 'first', id: link }),
      entry({ link: 'https://www.rfa.org/mandarin/other.html', title: 'other', id: 'https://www.rfa.org/mandarin/other.html' }),
      entry({ link: `${link}?utm_source=rss`, title: 'second', id: link }),
    ], 'auto');
    assert.equal(plan.policy, 'url');
    assert.deepEqual(plan.entries.map((e) => [e.key, e.keyKind, e.index]), [
      [link, 'url', 0],
      ['https://www.rfa.org/mandarin/other.html', 'url', 1],
    ]);
    assert.deepEqual(plan.duplicates, [{ index: 2, key: link, keptIndex: 0 }]);
    assert.equal(plan.entries[0]?.entry.title, 'first');
    assert.equal(plan.entries[0]?.id, articleId('rfa', link));
  });

  it('ID-41 same URL with distinct trustworthy GUIDs gives distinct keys', () => {
    const home = 'https://example.com/';
    const plan = planIdentity('home', [
      entry({ link: home, id: 'post-1', title: 'a' }),
      entry({ link: home, id: 'post-2', title: 'b' }),
    ], 'auto');
    assert.equal(plan.policy, 'guid');
    assert.deepEqual(plan.entries.map((e) => e.key), ['guid:post-1', 'guid:post-2']);
    assert.deepEqual(plan.duplicates, []);
  });

  it('ID-42 same URL with repeated or empty GUIDs gives one key', () => {
    const home = 'https://example.com/';
    for (const ids of [['same', 'same'], ['', ' '], [undefined, 'x']]) {
      const plan = planIdentity('home', [entry({ link: home, id: ids[0], title: 'a' }), entry({ link: home, id: ids[1], title: 'b' })], 'auto');
      assert.equal(plan.policy, 'url', String(ids));
      assert.equal(plan.entries.length, 1, String(ids));
      assert.equal(plan.duplicates.length, 1, String(ids));
    }
  });

  it('ID-43 auto keeps URL keys when GUIDs are trustworthy but not needed', () => {
    const plan = planIdentity('cdt', [
      entry({ link: 'https://chinadigitaltimes.net/chinese/2020/07/a/', id: 'https://chinadigitaltimes.net/chinese/?p=1' }),
      entry({ link: 'https://chinadigitaltimes.net/chinese/2020/07/b/', id: 'https://chinadigitaltimes.net/chinese/?p=2' }),
    ], 'auto');
    assert.equal(plan.policy, 'url');
    assert.deepEqual(plan.entries.map((e) => e.key), ['https://chinadigitaltimes.net/chinese/2020/07/a/', 'https://chinadigitaltimes.net/chinese/2020/07/b/']);
  });

  it('ID-44 auto sticks to a previous guid decision while GUIDs stay trustworthy, and falls back when they do not', () => {
    const entries = [entry({ link: 'https://x.test/a', id: 'g1' }), entry({ link: 'https://x.test/b', id: 'g2' })];
    assert.equal(planIdentity('s', entries, 'auto', 'guid').policy, 'guid');
    assert.deepEqual(planIdentity('s', entries, 'auto', 'guid').entries.map((e) => e.key), ['guid:g1', 'guid:g2']);
    const repeated = [entry({ link: 'https://x.test/a', id: 'g1' }), entry({ link: 'https://x.test/b', id: 'g1' })];
    const fallback = planIdentity('s', repeated, 'auto', 'guid');
    assert.equal(fallback.policy, 'url');
    assert.deepEqual(fallback.entries.map((e) => e.key), ['https://x.test/a', 'https://x.test/b']);
    const empty = [entry({ link: 'https://x.test/a', id: 'g1' }), entry({ link: 'https://x.test/b' })];
    assert.equal(planIdentity('s', empty, 'auto', 'guid').policy, 'url');
  });

  it('ID-45 a GUID that is a URL keys like a link, so a policy change re-keys nothing (feedx)', () => {
    const link = 'http://www.rfi.fr//cn/contenu/20200720-x';
    const entries = [entry({ link, id: link })];
    const byUrl = planIdentity('rfi', entries, 'url');
    const byGuid = planIdentity('rfi', entries, 'guid');
    assert.equal(byUrl.entries[0]?.key, 'https://www.rfi.fr/cn/contenu/20200720-x');
    assert.equal(byGuid.entries[0]?.key, byUrl.entries[0]?.key);
    assert.equal(byGuid.entries[0]?.keyKind, 'guid');
  });

  it('ID-46 explicit policies: guid falls back to the link, url falls back to the GUID, then the content hash', () => {
    const plan = planIdentity('s', [
      entry({ link: 'https://x.test/a', title: 'no guid' }),
      entry({ id: 'tag:x.test,2020:1', title: 'no link' }),
      entry({ title: 'nothing', content: '<p>body</p>' }),
      entry({ link: 'mailto:a@x.test', id: ' ', title: 'unusable' }),
    ], 'guid');
    assert.equal(plan.policy, 'guid');
    assert.deepEqual(plan.entries.map((e) => [e.keyKind, e.key]), [
      ['url', 'https://x.test/a'],
      ['guid', 'guid:tag:x.test,2020:1'],
      ['hash', `hash:${contentHash(entry({ title: 'nothing', content: '<p>body</p>' }))}`],
      ['hash', `hash:${contentHash(entry({ title: 'unusable' }))}`],
    ]);
    assert.equal(planIdentity('s', [entry({ id: 'only-guid' })], 'url').entries[0]?.key, 'guid:only-guid');
    assert.equal(plan.entries[1]?.url, undefined);
    assert.equal(plan.entries[2]?.canonicalUrl, undefined);
    assert.equal(planIdentity('s', [entry({ link: 'https://x.test/a', id: 'g' })], 'url').entries[0]?.key, 'https://x.test/a');
  });

  it('ID-47 relative links resolve against the base URL; url keeps the link as given, absolute', () => {
    const plan = planIdentity('voa', [entry({ link: '/a/5510210.html?utm_medium=rss' })], 'url', undefined, { baseUrl: 'https://www.voachinese.com/api/feed' });
    assert.equal(plan.entries[0]?.key, 'https://www.voachinese.com/a/5510210.html');
    assert.equal(plan.entries[0]?.url, 'https://www.voachinese.com/a/5510210.html?utm_medium=rss');
    assert.equal(planIdentity('voa', [entry({ link: '/a/1.html' })], 'url').entries[0]?.keyKind, 'hash');
  });

  it('ID-48 every entry is either kept or reported as a duplicate, keys are unique, ids match keys', () => {
    const arbitraryEntry = fc.record({
      link: fc.option(fc.constantFrom('https://a.test/1', 'http://a.test//1', 'https://a.test/2', '/rel', 'bad'), { nil: undefined }),
      id: fc.option(fc.constantFrom('g1', 'g2', 'g3', '', 'https://a.test/1'), { nil: undefined }),
      title: fc.option(fc.constantFrom('t1', 't2'), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(arbitraryEntry, { maxLength: 12 }), fc.constantFrom('auto', 'url', 'guid'), fc.constantFrom(undefined, 'url', 'guid'), (raw, policy, previous) => {
        const entries = raw.map((fields) => entry(fields));
        const plan = planIdentity('p', entries, policy as 'auto' | 'url' | 'guid', previous as 'url' | 'guid' | undefined);
        const indexes = [...plan.entries.map((e) => e.index), ...plan.duplicates.map((d) => d.index)].sort((a, b) => a - b);
        assert.deepEqual(indexes, entries.map((_, i) => i));
        assert.equal(new Set(plan.entries.map((e) => e.key)).size, plan.entries.length);
        for (const e of plan.entries) assert.equal(e.id, articleId('p', e.key));
        for (const d of plan.duplicates) assert.ok(d.keptIndex < d.index);
        assert.deepEqual(planIdentity('p', entries, policy as 'auto', previous as 'url' | undefined), plan);
      }),
    );
  });

  it('ID-49 a permalink GUID stands in for a missing link', () => {
    const plan = planIdentity('voa', [entry({ id: 'http://www.voachinese.com//a/5510210.html', title: 'no link' })], 'url');
    assert.equal(plan.entries[0]?.key, 'https://www.voachinese.com/a/5510210.html');
    assert.equal(plan.entries[0]?.keyKind, 'guid');
    assert.equal(plan.entries[0]?.url, 'http://www.voachinese.com//a/5510210.html');
    assert.equal(plan.entries[0]?.canonicalUrl, 'https://www.voachinese.com/a/5510210.html');
  });

  it('ID-50 an entry with only an enclosure (VOA Special English podcast) is keyed by the enclosure URL', () => {
    const audio = 'https://files.21voa.com/audio/202407/insect-hurts-tunisia-s-prickly-pear-industry.mp3';
    const first = entry({ title: 'Insect Hurts Tunisia', content: '<p>v1</p>', enclosures: [{ url: 'mailto:x@y.z' }, { url: audio, type: 'audio/mpeg' }] });
    const edited = { ...first, content: '<p>v2</p>' };
    const [a, b] = [first, edited].map((item) => planIdentity('voa-se', [item], 'auto').entries[0]);
    assert.equal(a?.key, audio);
    assert.equal(a?.keyKind, 'enclosure');
    assert.equal(b?.key, a?.key);
    assert.notEqual(b?.contentHash, a?.contentHash);
    assert.equal(a?.url, undefined);
    assert.equal(planIdentity('voa-se', [{ ...first, link: 'https://x.test/a' }], 'guid').entries[0]?.keyKind, 'url');
  });

  it('ID-51 identities computed elsewhere give the same plan, are taken in place of computing them, and are ignored with a base URL', () => {
    const entries = [
      entry({ link: 'http://www.rfi.fr//cn/a?utm_source=rss', title: '一', content: '<p>正文</p>' }),
      entry({ link: 'not a url', title: '二', content: '<p>二</p>' }),
      entry({ link: 'https://www.rfi.fr/cn/a', title: '三', content: '<p>三</p>' }),
      entry({ title: '四' }),
    ];
    const computed = entries.map((item) => identityOfEntry(item));
    assert.equal(computed[1]?.canonicalUrl, undefined);
    assert.deepEqual(planIdentity('rfi', entries, 'auto', undefined, { computed }), planIdentity('rfi', entries, 'auto'));
    const marked = computed.map((identity, index) => (index === 0 ? { ...identity, contentHash: 'f'.repeat(64), canonicalUrl: 'https://www.rfi.fr/cn/b', url: 'https://www.rfi.fr/cn/b' } : undefined));
    const taken = planIdentity('rfi', entries, 'auto', undefined, { computed: marked });
    assert.deepEqual(taken.entries.map((item) => [item.key, item.contentHash === 'f'.repeat(64)]), [
      ['https://www.rfi.fr/cn/b', true],
      [`hash:${contentHash(entries[1] as Entry)}`, false],
      ['https://www.rfi.fr/cn/a', false],
      [`hash:${contentHash(entries[3] as Entry)}`, false],
    ]);
    assert.equal(planIdentity('rfi', entries, 'auto', undefined, { computed: marked, baseUrl: 'https://www.rfi.fr/' }).entries[0]?.key, 'https://www.rfi.fr/cn/a');
  });
});
