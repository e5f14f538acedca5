import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { bestSrcsetCandidate, collectImageRefs, collectImageUrls, normalizeImageUrl } from './collect.js';

describe('collectImageUrls', () => {
  it('MC-01 lists img src, absolute http(s) only, in document order, deduplicated', () => {
    const html =
      '<p><img src="https://a.example/1.jpg"></p><img src="/relative.png"><img src="data:image/png;base64,AAAA">' +
      '<img src="http://b.example/2.png"><img src="https://a.example/1.jpg#again"><img src="javascript:alert(1)"><img>';
    assert.deepEqual(collectImageUrls(html), ['https://a.example/1.jpg', 'http://b.example/2.png']);
  });

  it('MC-02 takes the best srcset candidate (largest w, else highest x) before src', () => {
    assert.deepEqual(
      collectImageUrls('<img src="https://a.example/s.jpg" srcset="https://a.example/m.jpg 640w, https://a.example/l.jpg 1280w, https://a.example/xs.jpg 320w">'),
      ['https://a.example/l.jpg', 'https://a.example/s.jpg'],
    );
    assert.deepEqual(collectImageUrls('<img srcset="https://a.example/1x.jpg, https://a.example/3x.jpg 3x, https://a.example/2x.jpg 2x">'), [
      'https://a.example/3x.jpg',
    ]);
  });

  it('MC-03 reads picture sources but not video or audio sources', () => {
    const html =
      '<picture><source type="image/webp" srcset="https://a.example/p.webp 1x, https://a.example/p2.webp 2x"><img src="https://a.example/p.jpg"></picture>' +
      '<video poster="x"><source src="https://a.example/v.mp4" srcset="https://a.example/nope.jpg"></video>';
    assert.deepEqual(collectImageUrls(html), ['https://a.example/p2.webp', 'https://a.example/p.jpg']);
  });

  it('MC-04 adds image enclosures (by type or file extension) and the lead image', () => {
    const urls = collectImageUrls('<img src="https://a.example/1.jpg">', {
      enclosures: [
        { url: 'https://e.example/photo', type: 'image/jpeg' },
        { url: 'https://e.example/x.PNG' },
        { url: 'https://e.example/y.jpg', type: 'application/octet-stream' },
        { url: 'https://e.example/show.mp3', type: 'audio/mpeg' },
        { url: 'https://e.example/cover.jpg', type: 'audio/mpeg' },
        { url: 'https://e.example/page.html' },
        { url: 'https://a.example/1.jpg', type: 'image/jpeg' },
      ],
      leadImage: 'https://l.example/lead.webp',
    });
    assert.deepEqual(urls, [
      'https://a.example/1.jpg',
      'https://e.example/photo',
      'https://e.example/x.PNG',
      'https://e.example/y.jpg',
      'https://l.example/lead.webp',
    ]);
  });

  it('MC-05 lists a mirrored image by its data-original-src, not its local path', () => {
    const html = '<img src="../../media/ab/ab.jpg" data-original-src="https://a.example/1.jpg" srcset="https://a.example/big.jpg 2x">';
    assert.deepEqual(collectImageUrls(html), ['https://a.example/1.jpg']);
  });

  it('MC-06 decodes entities in attribute values and normalizes URLs', () => {
    assert.deepEqual(collectImageUrls('<img src="https://a.example/i.jpg?w=1&amp;h=2">'), ['https://a.example/i.jpg?w=1&h=2']);
    assert.deepEqual(collectImageUrls('<img src=" https://A.example/图片.jpg ">'), ['https://a.example/%E5%9B%BE%E7%89%87.jpg']);
  });

  it('MC-07 groups candidates per image, so a srcset failure can fall back to src', () => {
    const refs = collectImageRefs(
      '<img src="https://a.example/1.jpg" srcset="https://a.example/2.jpg 2x"><img src="https://a.example/1.jpg"><img src="https://a.example/1.jpg">',
    );
    assert.deepEqual(refs, [
      { kind: 'img', candidates: ['https://a.example/2.jpg', 'https://a.example/1.jpg'] },
      { kind: 'img', candidates: ['https://a.example/1.jpg'] },
    ]);
  });
});

describe('bestSrcsetCandidate', () => {
  it('MC-08 parses URLs with commas and ignores unknown descriptors', () => {
    assert.equal(bestSrcsetCandidate('https://a.example/i.jpg?crop=1,2 100w, https://a.example/j.jpg 50w'), 'https://a.example/i.jpg?crop=1,2');
    assert.equal(bestSrcsetCandidate(''), undefined);
    assert.equal(bestSrcsetCandidate('https://a.example/only.jpg'), 'https://a.example/only.jpg');
  });
});

describe('normalizeImageUrl', () => {
  it('MC-09 keeps only absolute http(s) URLs, without fragment', () => {
    assert.equal(normalizeImageUrl('https://a.example/x.jpg#f'), 'https://a.example/x.jpg');
    assert.equal(normalizeImageUrl('ftp://a.example/x.jpg'), undefined);
    assert.equal(normalizeImageUrl('//a.example/x.jpg'), undefined);
    assert.equal(normalizeImageUrl('not a url'), undefined);
  });
});
