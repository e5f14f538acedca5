import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isJekyllPostPath, jekyllCategory } from './jekyll-post.js';

describe('Jekyll posts of the forks', () => {
  it('JP01 paths: Markdown under _posts/, subfolders included; nothing else', () => {
    assert.equal(isJekyllPostPath('_posts/2014-02-04-北风专栏：你的电子信息是如何被泄漏的.md'), true);
    assert.equal(isJekyllPostPath('_posts/rfi/2020-07-01-a.md'), true);
    assert.equal(isJekyllPostPath('_posts/2020-07-01-a.html'), false);
    assert.equal(isJekyllPostPath('docs/_posts/2020-07-01-a.md'), false);
    assert.equal(isJekyllPostPath('articles/法广/1.md'), false);
  });

  it('JP02 the first category, in every YAML form the forks use', () => {
    const post = (front: string): string => `---\r\nlayout: post\r\ntitle: "标题"\r\n${front}\r\n---\r\n\r\n<p>正文</p>\r\n`;
    assert.equal(jekyllCategory(post('tags: [ 泡泡 ]\r\ncategories: [ 泡泡 ]')), '泡泡');
    assert.equal(jekyllCategory(post('categories: 法广')), '法广');
    assert.equal(jekyllCategory(post('category: "德国之声"')), '德国之声');
    assert.equal(jekyllCategory(post('categories: [ "BBC", news ]')), 'BBC');
    assert.equal(jekyllCategory(post('categories: 美国之音 news')), '美国之音');
    assert.equal(jekyllCategory(post('categories:\r\n  - 中国数字时代\r\n  - other')), '中国数字时代');
    assert.equal(jekyllCategory(post('categories: []')), undefined);
    assert.equal(jekyllCategory(post('author: x')), undefined);
    assert.equal(jekyllCategory('[标题](https://www.rfi.fr/cn/a)\n------\n\nx\n'), undefined);
  });
});
