import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractArticle, parseFeed } from './index.js';

describe('package entry', () => {
  it('API-01 parseFeed and extractArticle are exported with the documented shapes', () => {
    const doc = parseFeed(new TextEncoder().encode('<rss version="2.0"><channel><title>t</title><item><title>金正恩</title><link>https://x.example/a</link></item></channel></rss>'), { url: 'https://x.example/feed' });
    assert.equal(doc.format, 'rss');
    assert.equal(doc.entries[0]?.title, '金正恩');
    assert.deepEqual(doc.warnings, []);
    const page = `<html><head><title>标题</title></head><body><nav>导航</nav><article>${'<p>朝鲜国务委员长金正恩周四向来访的俄罗斯外长拉夫罗夫表示，认真落实朝俄首脑会谈达成的协议。</p>'.repeat(6)}</article></body></html>`;
    const result = extractArticle(page, 'https://x.example/a');
    assert.equal(typeof result.html, 'string');
    assert.match(result.text, /拉夫罗夫/);
    assert.doesNotMatch(result.text, /导航/);
    assert.ok(result.method.length > 0);
  });
});
