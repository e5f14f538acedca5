import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { collectImageUrls } from './collect.js';
import { mediaLink, mediaPath } from './path.js';
import { rewriteImages } from './rewrite.js';

const ARTICLE = 'articles/rfi/2023/10/20/1815-abc.md';
const HEX = 'ab'.repeat(32);
const LOCAL = `media/ab/${HEX}.jpg`;
const UP = '../../../../../';

describe('rewriteImages', () => {
  it('MR-01 points a mirrored img at the local file, keeps the original URL, drops srcset and sizes', () => {
    const html = '<p>前</p>\n<img alt="图" src="https://s.rfi.fr/a.jpg" srcset="https://s.rfi.fr/a.jpg 1x" sizes="50vw" width="10">\n<p>后</p>';
    const out = rewriteImages(html, new Map([['https://s.rfi.fr/a.jpg', LOCAL]]), ARTICLE);
    assert.equal(out, `<p>前</p>\n<img alt="图" src="${UP}${LOCAL}" data-original-src="https://s.rfi.fr/a.jpg" width="10">\n<p>后</p>`);
  });

  it('MR-02 leaves unmirrored images and every other byte untouched', () => {
    const html = '<div a=1 >&nbsp;<img src="https://x.example/1.jpg" ALT=\'q\'><br/>  <img src="/rel.jpg"></div>';
    assert.equal(rewriteImages(html, new Map([['https://y.example/2.jpg', LOCAL]]), ARTICLE), html);
    assert.equal(rewriteImages(html, new Map(), ARTICLE), html);
  });

  it('MR-03 prefers the mapped best srcset candidate, else falls back to a mapped src', () => {
    const html = '<img src="https://a.example/s.jpg" srcset="https://a.example/l.jpg 900w, https://a.example/s.jpg 300w">';
    const best = rewriteImages(html, new Map([['https://a.example/l.jpg', LOCAL], ['https://a.example/s.jpg', 'media/cd/other.jpg']]), ARTICLE);
    assert.equal(best, `<img src="${UP}${LOCAL}" data-original-src="https://a.example/l.jpg">`);
    const fallback = rewriteImages(html, new Map([['https://a.example/s.jpg', LOCAL]]), ARTICLE);
    assert.equal(fallback, `<img src="${UP}${LOCAL}" data-original-src="https://a.example/s.jpg">`);
  });

  it('MR-04 is idempotent and recognises an image by its data-original-src', () => {
    const html = '<img src="https://a.example/1.jpg?x=1&amp;y=2" alt="a &quot;b&quot;"/><img src="https://a.example/2.jpg">';
    const mapping = new Map([['https://a.example/1.jpg?x=1&y=2', LOCAL]]);
    const once = rewriteImages(html, mapping, ARTICLE);
    assert.equal(once, `<img src="${UP}${LOCAL}" data-original-src="https://a.example/1.jpg?x=1&amp;y=2" alt="a &quot;b&quot;" /><img src="https://a.example/2.jpg">`);
    assert.equal(rewriteImages(once, mapping, ARTICLE), once);
    // A later mapping that adds the second image changes only that one.
    const both = new Map([...mapping, ['https://a.example/2.jpg', 'media/cd/cd.png']]);
    assert.equal(rewriteImages(once, both, ARTICLE), once.replace('<img src="https://a.example/2.jpg">', `<img src="${UP}media/cd/cd.png" data-original-src="https://a.example/2.jpg">`));
  });

  it('MR-07 recognises a rewritten image by its data-original-src and follows a new media path', () => {
    const once = rewriteImages('<img src="https://a.example/1.jpg">', new Map([['https://a.example/1.jpg', LOCAL]]), ARTICLE);
    const moved = rewriteImages(once, new Map([['https://a.example/1.jpg', 'media/cd/cd.png']]), ARTICLE);
    assert.equal(moved, `<img src="${UP}media/cd/cd.png" data-original-src="https://a.example/1.jpg">`);
  });

  it('MR-05 rewrites a picture source to its local file and keeps the original srcset', () => {
    const html = '<picture><source type="image/webp" srcset="https://a.example/p.webp 1x, https://a.example/p2.webp 2x"><img src="https://a.example/p.jpg"></picture>';
    const mapping = new Map([['https://a.example/p2.webp', 'media/ef/ef.webp']]);
    const out = rewriteImages(html, mapping, ARTICLE);
    assert.equal(
      out,
      `<picture><source type="image/webp" srcset="${UP}media/ef/ef.webp" data-original-srcset="https://a.example/p.webp 1x, https://a.example/p2.webp 2x"><img src="https://a.example/p.jpg"></picture>`,
    );
    assert.equal(rewriteImages(out, mapping, ARTICLE), out);
  });

  it('MR-06 round trip: the rewritten body lists the same original URLs as before', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.integer({ min: 0, max: 5 }), mirrored: fc.boolean(), text: fc.string({ maxLength: 5 }) }), { maxLength: 8 }),
        (images) => {
          const html = images
            .map(({ id, text }) => `<p>${text.replace(/[<&]/g, '')}<img src="https://img.example/${id}.jpg" alt="${id}"></p>`)
            .join('\n');
          const mapping = new Map(
            images.filter((image) => image.mirrored).map(({ id }) => [`https://img.example/${id}.jpg`, mediaPath(String(id).repeat(64).slice(0, 64), 'jpg')]),
          );
          const once = rewriteImages(html, mapping, ARTICLE);
          assert.equal(rewriteImages(once, mapping, ARTICLE), once);
          assert.deepEqual(collectImageUrls(once), collectImageUrls(html));
          for (const url of mapping.keys()) assert.ok(!once.includes(` src="${url}"`), `${url} points to its local copy`);
        },
      ),
    );
  });
});

describe('mediaPath and mediaLink', () => {
  it('MP-01 content-addresses by sha256 under two hex digits', () => {
    assert.equal(mediaPath(HEX.toUpperCase(), 'JPG'), LOCAL);
    assert.throws(() => mediaPath('../etc', 'jpg'), TypeError);
    assert.throws(() => mediaPath(HEX, 'jpg/../x'), TypeError);
  });

  it('MP-02 links relative to the article folder, or keeps an absolute URL', () => {
    assert.equal(mediaLink('articles/rfi/2023/10/20/x.md', 'media/ab/c.jpg'), '../../../../../media/ab/c.jpg');
    assert.equal(mediaLink('x.md', 'media/ab/c.jpg'), 'media/ab/c.jpg');
    assert.equal(mediaLink('a/x.md', '../other/media/ab/c.jpg'), '../../other/media/ab/c.jpg');
    assert.equal(mediaLink('a/x.md', 'https://cdn.example/media/ab/c.jpg'), 'https://cdn.example/media/ab/c.jpg');
  });
});
