import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNewsmirrorError } from '../errors.js';
import { parseOpml, renderOpml } from './opml.js';

describe('render/opml', () => {
  it('OP-01 render then parse gives the sources back, ids and special characters included', () => {
    const sources = [
      { id: 'rfi', name: '法广 "RFI" & <中文>', url: 'https://feedx.net/rss/rfi.xml?a=1&b=2' },
      { id: 'bbc', name: 'BBC 中文', url: 'https://feedx.net/rss/bbc.xml', htmlUrl: 'https://www.bbc.com/zhongwen/simp' },
    ];
    const text = renderOpml({ title: 'newsmirror sources', created: Date.UTC(2020, 6, 20), sources });
    assert.match(text, /<dateCreated>Mon, 20 Jul 2020 00:00:00 GMT<\/dateCreated>/);
    assert.deepEqual(parseOpml(text), sources);
  });

  it('OP-02 parse finds nested outlines in order, any attribute case, skips repeats and folders', () => {
    const text = `<?xml version="1.0" encoding="UTF-8"?>
<OPML version="1.0"><head/><body>
  <outline text="新闻"><outline text="A" XMLURL="https://a.test/feed"/><outline title="B title" text="B" xmlUrl=" https://b.test/rss "/></outline>
  <outline text="A again" xmlUrl="https://a.test/feed"/>
  <outline text="&#x6CD5;&amp;" xmlUrl="https://c.test/?x=1&amp;y=2"/>
  <outline xmlUrl="https://d.test/"/>
</body></OPML>`;
    assert.deepEqual(parseOpml(text), [
      { name: 'A', url: 'https://a.test/feed' },
      { name: 'B title', url: 'https://b.test/rss' },
      { name: '法&', url: 'https://c.test/?x=1&y=2' },
      { name: 'https://d.test/', url: 'https://d.test/' },
    ]);
  });

  it('OP-03 a document that is not OPML is a usage error', () => {
    for (const text of ['', 'not xml at all', '<rss version="2.0"><channel/></rss>']) {
      assert.throws(() => parseOpml(text), (error: unknown) => isNewsmirrorError(error) && error.code === 'usage', JSON.stringify(text));
    }
    assert.deepEqual(parseOpml('<opml version="2.0"><body/></opml>'), []);
  });
});
