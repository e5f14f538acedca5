import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isPlaceholderImage, lazyImageSrc, lazyImageSrcset } from './index.js';

describe('lazy images', () => {
  it('LI-01 the first non-empty lazy attribute wins, in the list order', () => {
    assert.equal(lazyImageSrc({ 'data-original': ' b.jpg ', 'data-src': '', 'data-lazy-src': 'c.jpg' }), 'b.jpg');
    assert.equal(lazyImageSrc({ src: 'a.jpg' }), undefined);
    assert.equal(lazyImageSrcset({ 'data-lazy-srcset': 'a.jpg 1x', 'data-srcset': 'b.jpg 2x' }), 'b.jpg 2x');
  });

  it('LI-02 placeholders are empty, tiny data URLs, SVG data URLs and blank-like files', () => {
    for (const src of ['', '#', 'about:blank', 'data:image/gif;base64,R0lGOD', 'data:image/svg+xml,<svg/>', '/img/blank.gif', 'https://a.example/lazyload.png?v=1', 'grey-placeholder.png']) {
      assert.equal(isPlaceholderImage(src), true, src);
    }
    for (const src of ['https://a.example/photo.jpg', `data:image/png;base64,${'A'.repeat(300)}`, '/blanket.jpg']) {
      assert.equal(isPlaceholderImage(src), false, src);
    }
  });
});
