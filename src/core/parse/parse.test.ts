import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { isNewsmirrorError } from '../errors.js';
import { parseFeed, type FeedDoc, type ParseOptions } from './index.js';

const parse = (xml: string, options?: ParseOptions): FeedDoc => parseFeed(new TextEncoder().encode(xml), options);
const rss = (items: string, channel = '', attrs = '') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom"${attrs}><channel><title>T</title><link>https://example.org/</link>${channel}${items}</channel></rss>`;
const atom = (body: string, attrs = '') => `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"${attrs}><title>A</title><id>urn:a</id>${body}</feed>`;

function assertNotAFeed(fn: () => unknown): void {
  assert.throws(fn, (error: unknown) => isNewsmirrorError(error) && error.code === 'not-a-feed' && error.stage === 'parse');
}

test('P-F01 RSS 2.0 feed and item fields', () => {
  const doc = parse(
    rss(
      `<item><title>Hello &amp; welcome</title><link>https://example.org/1</link><guid isPermaLink="false">id-1</guid>
       <description>&lt;p&gt;Sum &lt;b&gt;bold&lt;/b&gt;&lt;/p&gt;</description><content:encoded><![CDATA[<p>Full <i>text</i></p>]]></content:encoded>
       <pubDate>Fri, 20 Oct 2023 11:51:00 +0800</pubDate><author>jo@example.org (Jo Doe)</author><dc:creator>Li Lei</dc:creator>
       <category>World</category><category>World</category><dc:subject>China</dc:subject>
       <enclosure url="/a.mp3" type="audio/mpeg" length="1234"/></item>`,
      `<description>Feed &amp; more</description><language>zh-cn</language><copyright>© RFI</copyright><ttl>30</ttl>
       <managingEditor>ed@example.org</managingEditor><lastBuildDate>Sat, 21 Oct 2023 08:00:00 GMT</lastBuildDate><category>News</category>`,
    ),
    { url: 'https://example.org/feed.xml' },
  );
  assert.deepEqual(doc.warnings, []);
  assert.equal(doc.format, 'rss');
  assert.equal(doc.version, '2.0');
  assert.equal(doc.encoding, 'utf-8');
  assert.equal(doc.title, 'T');
  assert.equal(doc.description, 'Feed & more');
  assert.equal(doc.language, 'zh-cn');
  assert.equal(doc.rights, '© RFI');
  assert.equal(doc.ttl, 30);
  assert.deepEqual(doc.authors, [{ email: 'ed@example.org' }]);
  assert.deepEqual(doc.categories, ['News']);
  assert.equal(doc.updated, Date.UTC(2023, 9, 21, 8));
  assert.deepEqual(doc.entries, [
    {
      id: 'id-1',
      title: 'Hello & welcome',
      link: 'https://example.org/1',
      summary: '<p>Sum <b>bold</b></p>',
      content: '<p>Full <i>text</i></p>',
      published: Date.UTC(2023, 9, 20, 3, 51),
      authors: [{ email: 'jo@example.org', name: 'Jo Doe' }, { name: 'Li Lei' }],
      categories: ['World', 'China'],
      enclosures: [{ url: 'https://example.org/a.mp3', type: 'audio/mpeg', length: 1234 }],
    },
  ]);
});

test('P-F02 RSS guid doubles as link only when it is a permalink URL', () => {
  const doc = parse(
    rss(`<item><guid>https://example.org/p/1</guid></item><item><guid isPermaLink="false">https://example.org/p/2</guid></item><item><guid>tag:x,1</guid></item>`),
  );
  assert.deepEqual(
    doc.entries.map((e) => [e.id, e.link]),
    [
      ['https://example.org/p/1', 'https://example.org/p/1'],
      ['https://example.org/p/2', undefined],
      ['tag:x,1', undefined],
    ],
  );
});

test('P-F03 media:content, media:thumbnail, media:group and atom:link rel=enclosure become enclosures', () => {
  const doc = parse(
    rss(`<item><title>m</title><media:group><media:content url="https://cdn.example.org/v.mp4" type="video/mp4" fileSize="99"><media:thumbnail url="https://cdn.example.org/t.jpg"/></media:content></media:group>
      <media:thumbnail url="https://cdn.example.org/t2.jpg"/><atom:link rel="enclosure" href="https://cdn.example.org/a.ogg" type="audio/ogg" length="5"/></item>`),
  );
  assert.deepEqual(doc.entries[0]?.enclosures, [
    { url: 'https://cdn.example.org/v.mp4', type: 'video/mp4', length: 99 },
    { url: 'https://cdn.example.org/t.jpg' },
    { url: 'https://cdn.example.org/t2.jpg' },
    { url: 'https://cdn.example.org/a.ogg', type: 'audio/ogg', length: 5 },
  ]);
  assert.deepEqual(doc.warnings, []);
});

test('P-F04 RSS 0.91 with its DOCTYPE may use HTML entities without a warning', () => {
  const doc = parse(
    `<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><title>Caf&eacute;&nbsp;News</title><item><title>x</title><link>https://e.org/x</link></item></channel></rss>`,
  );
  assert.equal(doc.version, '0.91');
  assert.equal(doc.title, 'Café News');
  assert.deepEqual(doc.warnings, []);
});

test('P-F05 RSS 1.0 (RDF): rdf:about is the id, dc:date the published (and updated) time', () => {
  const doc = parse(`<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
    <channel rdf:about="https://example.org/rss"><title>R</title><link>https://example.org/</link><description>d</description><dc:language>de</dc:language></channel>
    <item rdf:about="https://example.org/i1"><title>I1</title><link>https://example.org/i1</link><dc:date>2023-10-20T11:51:00+02:00</dc:date><dc:creator>Anna</dc:creator></item></rdf:RDF>`);
  assert.equal(doc.format, 'rdf');
  assert.equal(doc.version, '1.0');
  assert.equal(doc.id, 'https://example.org/rss');
  assert.equal(doc.language, 'de');
  assert.deepEqual(doc.entries, [
    {
      id: 'https://example.org/i1',
      title: 'I1',
      link: 'https://example.org/i1',
      published: Date.UTC(2023, 9, 20, 9, 51),
      updated: Date.UTC(2023, 9, 20, 9, 51),
      authors: [{ name: 'Anna' }],
      categories: [],
      enclosures: [],
    },
  ]);
  assert.deepEqual(doc.warnings, []);
});

test('P-F06 Atom 1.0 text constructs, links, people, categories', () => {
  const doc = parse(
    atom(`<subtitle type="html">&lt;b&gt;Sub&lt;/b&gt;</subtitle><author><name>Sam</name><email>s@e.org</email><uri>/sam</uri></author><link href="https://example.org/"/>
    <entry><id>urn:e1</id><title type="html">&lt;em&gt;Big&lt;/em&gt; &amp;amp; bold</title>
      <link rel="alternate" type="application/pdf" href="https://example.org/e1.pdf"/><link href="https://example.org/e1"/><link rel="enclosure" href="https://example.org/e1.mp3" type="audio/mpeg" length="10"/>
      <summary>1 &lt; 2</summary>
      <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hi <a href="x">there</a><br/></p></div></content>
      <published>2023-10-20T11:51:00Z</published><updated>2023-10-21T11:51:00Z</updated>
      <category term="t1" label="Label 1"/><category term="t2"/><rights>CC</rights></entry>`, ' xml:lang="en"'),
    { url: 'https://example.org/atom.xml' },
  );
  assert.equal(doc.format, 'atom');
  assert.equal(doc.version, '1.0');
  assert.equal(doc.description, 'Sub');
  assert.equal(doc.language, 'en');
  assert.deepEqual(doc.authors, [{ name: 'Sam', email: 's@e.org', url: 'https://example.org/sam' }]);
  assert.deepEqual(doc.entries[0], {
    id: 'urn:e1',
    title: 'Big & bold',
    link: 'https://example.org/e1',
    summary: '1 &lt; 2',
    content: '<p>Hi <a href="https://example.org/x">there</a><br></p>',
    published: Date.UTC(2023, 9, 20, 11, 51),
    updated: Date.UTC(2023, 9, 21, 11, 51),
    authors: [],
    categories: ['t1', 't2'],
    enclosures: [{ url: 'https://example.org/e1.mp3', type: 'audio/mpeg', length: 10 }],
    rights: 'CC',
    language: 'en',
  });
  assert.deepEqual(doc.warnings, []);
});

test('P-F07 Atom 0.3: escaped and base64 modes, issued/modified, tagline', () => {
  const doc = parse(`<?xml version="1.0"?><feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old</title><tagline>Tag</tagline><modified>2004-01-01T00:00:00Z</modified>
    <entry><title>E</title><link rel="alternate" type="text/html" href="https://example.org/e"/><id>tag:e</id><issued>2003-12-13T08:29:29-04:00</issued><modified>2003-12-13T18:30:02Z</modified>
    <summary type="text/html" mode="escaped">&lt;p&gt;S&lt;/p&gt;</summary><content type="text/html" mode="base64">${btoa('<p>B64</p>')}</content></entry></feed>`);
  assert.equal(doc.version, '0.3');
  assert.equal(doc.description, 'Tag');
  assert.equal(doc.updated, Date.UTC(2004, 0, 1));
  const entry = doc.entries[0];
  assert.equal(entry?.summary, '<p>S</p>');
  assert.equal(entry?.content, '<p>B64</p>');
  assert.equal(entry?.published, Date.UTC(2003, 11, 13, 12, 29, 29));
  assert.equal(entry?.updated, Date.UTC(2003, 11, 13, 18, 30, 2));
  assert.equal(entry?.link, 'https://example.org/e');
});

test('P-F08 JSON Feed 1.1: content_html, content_text, summary, authors, tags, attachments', () => {
  const doc = parse(
    JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'J',
      home_page_url: 'https://example.org/',
      feed_url: 'https://example.org/feed.json',
      language: 'zh-Hans',
      authors: [{ name: 'Ann', url: 'mailto:ann@example.org' }],
      items: [
        { id: 1, url: '/a', title: ' A ', content_html: '<p>A</p>', summary: 'x < y', date_published: '2023-10-20T11:51:00+08:00', tags: ['t'] },
        { id: 'b', content_text: 'line 1\nline 2\n\npara <2>', attachments: [{ url: 'https://example.org/b.mp3', mime_type: 'audio/mpeg', size_in_bytes: 7 }] },
      ],
    }),
    { url: 'https://example.org/feed.json' },
  );
  assert.equal(doc.format, 'json');
  assert.equal(doc.version, '1.1');
  assert.deepEqual(doc.authors, [{ name: 'Ann', email: 'ann@example.org' }]);
  assert.deepEqual(doc.entries, [
    {
      id: '1',
      title: 'A',
      link: 'https://example.org/a',
      content: '<p>A</p>',
      summary: 'x &lt; y',
      published: Date.UTC(2023, 9, 20, 3, 51),
      authors: [],
      categories: ['t'],
      enclosures: [],
    },
    {
      id: 'b',
      content: '<p>line 1<br>line 2</p><p>para &lt;2&gt;</p>',
      authors: [],
      categories: [],
      enclosures: [{ url: 'https://example.org/b.mp3', type: 'audio/mpeg', length: 7 }],
    },
  ]);
  assert.deepEqual(doc.warnings, []);
});

test('P-N01 documents that are not feeds throw not-a-feed', () => {
  assertNotAFeed(() => parse('<!DOCTYPE html><html><head><title>x</title></head><body>Hi</body></html>'));
  assertNotAFeed(() => parse(''));
  assertNotAFeed(() => parse('just some text'));
  assertNotAFeed(() => parse('{"hello": "world"}'));
  assertNotAFeed(() => parse('{"version": "https://jsonfeed.org/version/1", '));
});

test('P-U01 nested xml:base, Content-Location and the document URL resolve relative links', () => {
  const xml = rss(
    `<item xml:base="sub/"><title>a</title><link>page.html</link><enclosure url="../img.jpg" type="image/jpeg"/></item><item><title>b</title><link>/root.html</link></item>`,
    '',
    ' xml:base="https://base.example.org/dir/"',
  );
  const doc = parse(xml, { url: 'https://ignored.example.org/feed' });
  assert.equal(doc.link, 'https://example.org/');
  assert.equal(doc.entries[0]?.link, 'https://base.example.org/dir/sub/page.html');
  assert.equal(doc.entries[0]?.enclosures[0]?.url, 'https://base.example.org/dir/img.jpg');
  assert.equal(doc.entries[1]?.link, 'https://base.example.org/root.html');

  const plain = `<rss version="2.0"><channel><title>t</title><item><title>c</title><link>x/y.html</link></item></channel></rss>`;
  assert.equal(parse(plain, { url: 'https://doc.example.org/a/feed' }).entries[0]?.link, 'https://doc.example.org/a/x/y.html');
  assert.equal(
    parse(plain, { url: 'https://doc.example.org/a/feed', headers: { 'Content-Location': '/moved/feed.xml' } }).entries[0]?.link,
    'https://doc.example.org/moved/x/y.html',
  );
});

test('P-C01 escaped HTML in RSS description comes out as HTML; unescaped markup is recovered as HTML', () => {
  const doc = parse(rss(`<item><title>t</title><description>&lt;p&gt;A&amp;amp;B&lt;/p&gt;</description></item><item><title>u</title><description><p>Raw <b>html</b><br>after</p></description></item>`));
  assert.equal(doc.entries[0]?.summary, '<p>A&amp;B</p>');
  assert.equal(doc.entries[1]?.summary, '<p>Raw <b>html</b><br>after</p>');
  assert.deepEqual(doc.warnings, ['line 2: mismatched close tag </p>: closed <br> implicitly']);
});

test('P-C02 titles are text: CDATA with HTML and entities is decoded', () => {
  const doc = parse(rss(`<item><title><![CDATA[Rent &#x0024;4300 1930ft<sup>2</sup>]]></title></item><item><title>  multi\n  line  </title></item>`));
  assert.deepEqual(doc.entries.map((e) => e.title), ['Rent $4300 1930ft2', 'multi line']);
});

test('P-W01 mismatched close tag is recovered with a warning', () => {
  const doc = parse(rss(`<item><title>a</title><link>https://e.org/a</item><item><title>b</title></item>`));
  assert.equal(doc.entries.length, 2);
  assert.equal(doc.entries[0]?.link, 'https://e.org/a');
  assert.deepEqual(doc.warnings, ['line 2: mismatched close tag </item>: closed <link> implicitly']);
});

test('P-W02 a truncated document keeps the items read so far', () => {
  const full = rss(`<item><title>a</title></item><item><title>b</title><description>cut here`);
  const doc = parse(full.slice(0, full.indexOf('</channel>')));
  assert.deepEqual(doc.entries.map((e) => e.title), ['a', 'b']);
  assert.deepEqual(doc.warnings, [
    'line 2: unclosed <description> at end of document',
    'line 2: unclosed <item> at end of document',
    'line 2: unclosed <channel> at end of document',
    'line 2: unclosed <rss> at end of document',
  ]);
});

test('P-W03 HTML named entities in XML are decoded and reported; unknown ones are kept', () => {
  const doc = parse(rss(`<item><title>a&nbsp;b&hellip;</title><description>x &bogus; y</description></item>`));
  assert.equal(doc.entries[0]?.title, 'a b…');
  assert.equal(doc.entries[0]?.summary, 'x &bogus; y');
  assert.deepEqual(doc.warnings, [
    'line 2: undefined entity &nbsp; decoded as its HTML meaning',
    'line 2: undefined entity &hellip; decoded as its HTML meaning',
    'line 2: undefined entity &bogus; kept as text',
  ]);
});

test('P-W04 bare ampersands and references without semicolon', () => {
  const doc = parse(rss(`<item><title>AT&T & co</title><link>https://e.org/?a=1&b=2</link><description>&#20013;&#25991 x</description></item>`));
  assert.equal(doc.entries[0]?.title, 'AT&T & co');
  assert.equal(doc.entries[0]?.link, 'https://e.org/?a=1&b=2');
  assert.equal(doc.entries[0]?.summary, '中文 x');
  assert.deepEqual(doc.warnings, [
    'line 2: entity reference &T without \';\'; kept as text',
    "line 2: bare '&' not starting an entity reference; kept as text",
    "line 2: entity reference &b without ';'; kept as text",
    "line 2: character reference &#25991 without ';'",
  ]);
});

test('P-W05 illegal control characters are removed and reported', () => {
  const doc = parse(rss(`<item><title>a\u0008b\u001Fc</title><description>&#x1;d</description></item>`));
  assert.equal(doc.entries[0]?.title, 'abc');
  assert.equal(doc.entries[0]?.summary, 'd');
  assert.deepEqual(doc.warnings, [
    'line 2: illegal control character U+0008 removed',
    'line 2: character reference &#x1; to a character XML forbids; removed',
  ]);
});

test('P-W06 nested CDATA (MathJax inside Hexo content) is kept whole', () => {
  const doc = parse(
    atom(`<entry><id>e</id><title>m</title><content type="html"><![CDATA[<p>a</p><script type="math/tex">% <![CDATA[x%]]></script><p>b</p>]]></content></entry>`),
  );
  assert.equal(doc.entries[0]?.content, '<p>a</p><script type="math/tex">% <![CDATA[x%]]></script><p>b</p>');
  assert.deepEqual(doc.warnings, ['line 1: nested CDATA section; the inner one is kept as text']);
});

test('P-W07 wrong encoding declaration: declared GB2312, bytes are UTF-8', () => {
  const doc = parse(`<?xml version="1.0" encoding="gb2312"?><rss version="2.0"><channel><title>中文</title></channel></rss>`);
  assert.equal(doc.title, '中文');
  assert.equal(doc.encoding, 'utf-8');
  assert.deepEqual(doc.warnings, ['decode: the XML declaration says gb2312 but the bytes are valid UTF-8; decoded as UTF-8']);
});

test('P-W08 stray close tags, unquoted attributes and bare < are recovered', () => {
  const doc = parse(rss(`<item><title>a < b</title></span><enclosure url=https://e.org/x.jpg type="image/jpeg"/></item>`));
  assert.equal(doc.entries[0]?.title, 'a < b');
  assert.deepEqual(doc.entries[0]?.enclosures, [{ url: 'https://e.org/x.jpg', type: 'image/jpeg' }]);
  assert.deepEqual(doc.warnings, [
    "line 2: '<' not starting a tag; kept as text",
    'line 2: stray close tag </span> ignored',
    'line 2: unquoted value of attribute url in <enclosure>',
  ]);
});

test('P-W09 repeated problems are counted, not listed one by one', () => {
  const items = Array.from({ length: 50 }, (_, i) => `<item><title>n&nbsp;${i}</title></item>`).join('\n');
  const doc = parse(rss(items));
  assert.equal(doc.entries.length, 50);
  assert.deepEqual(doc.warnings, ['line 2: undefined entity &nbsp; decoded as its HTML meaning (50 times)']);
});

test('P-W10 undeclared namespace prefix and content after the root element', () => {
  const doc = parse(`<rss version="2.0"><channel><title>t</title><item><media:thumbnail url="https://e.org/t.jpg"/></item></channel></rss>trailing<extra/>`);
  assert.deepEqual(doc.entries[0]?.enclosures, [{ url: 'https://e.org/t.jpg' }]);
  assert.deepEqual(doc.warnings, [
    'line 1: undeclared namespace prefix "media" in <media:thumbnail>',
    'line 1: text outside the root element ignored',
    'line 1: element <extra> after the root element ignored',
  ]);
});

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>t</title><item><title>a&lol9;b</title></item></channel></rss>`;

test('P-X01 billion laughs: DTD entities are never expanded', () => {
  const doc = parse(BILLION_LAUGHS);
  assert.equal(doc.entries[0]?.title, 'ab');
  assert.deepEqual(doc.warnings, ['line 14: entity &lol9; declared in the DTD was not expanded (DTD entities never are)']);
});

test('P-X02 XXE: an external entity naming a local file is never read', () => {
  const doc = parse(`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>t&xxe;</title><item><title>i</title><description>&xxe;</description></item></channel></rss>`);
  assert.equal(doc.title, 't');
  assert.equal(doc.entries[0]?.summary, undefined);
  assert.deepEqual(doc.warnings, ['line 1: entity &xxe; declared in the DTD was not expanded (DTD entities never are) (2 times)']);
});

test('P-X03 XXE: an external entity or DTD naming a URL is never fetched', async () => {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    res.end('<!ENTITY leak "LEAKED">');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const doc = parse(
      `<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:${port}/dtd" [<!ENTITY % remote SYSTEM "http://127.0.0.1:${port}/p"> %remote; <!ENTITY xxe SYSTEM "http://127.0.0.1:${port}/e">]><rss version="2.0"><channel><title>t&xxe;&leak;</title></channel></rss>`,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(hits, 0);
    assert.equal(doc.title, 't&leak;');
    assert.ok(doc.warnings.some((w) => w.includes('&xxe;')));
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('P-M01 a ~50 MB feed parses within bounded memory', () => {
  const item = (i: number) =>
    `<item><title>第${i}条 新闻标题</title><link>https://example.org/${i}</link><guid>https://example.org/${i}</guid><pubDate>Fri, 20 Oct 2023 11:51:00 +0800</pubDate><content:encoded><![CDATA[<p>${'中文正文内容，用于测试内存。'.repeat(60)}</p>]]></content:encoded></item>\n`;
  const encoder = new TextEncoder();
  const head = encoder.encode(`<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>big</title>\n`);
  const tail = encoder.encode('</channel></rss>\n');
  const sample = encoder.encode(item(100000));
  const count = Math.ceil((50 * 1024 * 1024) / sample.length);
  const bytes = new Uint8Array(head.length + tail.length + count * (sample.length + 8));
  let offset = 0;
  bytes.set(head, offset);
  offset += head.length;
  for (let i = 0; i < count; i++) {
    const chunk = encoder.encode(item(100000 + i));
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  bytes.set(tail, offset);
  offset += tail.length;
  const input = bytes.subarray(0, offset);

  const before = process.resourceUsage().maxRSS * 1024;
  const doc = parseFeed(input);
  const after = process.resourceUsage().maxRSS * 1024;
  assert.equal(doc.entries.length, count);
  assert.deepEqual(doc.warnings, []);
  assert.ok(after - before < 8 * input.length, `peak memory grew by ${after - before} bytes for ${input.length} bytes of input`);
});

test('P-U02 relative URLs inside HTML content resolve against the xml:base in effect there', () => {
  const doc = parse(
    atom(
      `<entry xml:base="/blog/2023/"><id>e</id><title>t</title>
        <content type="html" xml:base="post/">&lt;p&gt;&lt;a href="page.html"&gt;a&lt;/a&gt; &lt;img alt="x" src='img/1.png'&gt; &lt;a href="#top"&gt;top&lt;/a&gt; &lt;a href="mailto:a@b.c"&gt;m&lt;/a&gt; &amp;lt;a href="code.html"&amp;gt;&lt;/p&gt;</content></entry>`,
      ' xml:base="https://example.org/"',
    ),
  );
  assert.equal(
    doc.entries[0]?.content,
    '<p><a href="https://example.org/blog/2023/post/page.html">a</a> <img alt="x" src="https://example.org/blog/2023/post/img/1.png"> <a href="#top">top</a> <a href="mailto:a@b.c">m</a> &lt;a href="code.html"&gt;</p>',
  );
});

test('P-X04 absurdly deep nesting is cut off, not a stack overflow', () => {
  const depth = 100_000;
  const doc = parse(rss(`<item><title>deep</title><description>${'<div>'.repeat(depth)}x${'</div>'.repeat(depth)}</description></item><item><title>next</title></item>`));
  assert.deepEqual(doc.entries.map((e) => e.title), ['deep', 'next']);
  assert.equal(doc.warnings.length, 1);
  assert.match(doc.warnings[0] as string, /^line 2: elements nested deeper than 256 levels ignored \(\d+ times\)$/);
});

test('P-X05 many unbalanced nested CDATA sections stay linear and recover', () => {
  // No "]]></description>" anywhere: the search for the outer end fails once and is not repeated.
  const body = Array.from({ length: 2000 }, (_, i) => `<item><title>t${i}</title><description><![CDATA[a <![CDATA[ b ]]> c </description></item>`).join('');
  const doc = parse(rss(body));
  assert.equal(doc.entries.length, 2000);
  assert.equal(doc.entries[0]?.summary, 'a <![CDATA[ b  c');
  assert.deepEqual(doc.warnings, ['line 2: nested CDATA section; the inner one is kept as text (2000 times)']);
});

test('P-X06 "<![CDATA[" as text inside a CDATA section is well-formed', () => {
  const doc = parse(rss(`<item><title>t</title><description><![CDATA[show <![CDATA[ literally]]></description></item>`));
  assert.equal(doc.entries[0]?.summary, 'show <![CDATA[ literally');
  assert.deepEqual(doc.warnings, []);
});

test('P-F09 feedburner:origLink is the real article URL behind a feedproxy link', () => {
  const doc = parse(
    rss(
      `<item><title>t</title><link>http://feedproxy.google.com/~r/x/~3/abc/</link><feedburner:origLink>https://example.org/real</feedburner:origLink></item>`,
      '',
      ' xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"',
    ),
  );
  assert.equal(doc.entries[0]?.link, 'https://example.org/real');
  assert.deepEqual(doc.warnings, []);
});

test('P-W11 an inline DTD declaring HTML entities makes them legal; surrogate references are not', () => {
  const doc = parse(
    `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY nbsp "&#160;"><!ENTITY custom "x">]><rss version="2.0"><channel><title>a&nbsp;b&custom;c</title><item><title>&#xD800;ok ]]> here</title></item></channel></rss>`,
  );
  assert.equal(doc.title, 'a bc'); // titles collapse whitespace, U+00A0 included
  assert.equal(doc.entries[0]?.title, 'ok ]]> here');
  assert.deepEqual(doc.warnings, [
    'line 1: entity &custom; declared in the DTD was not expanded (DTD entities never are)',
    "line 1: ']]>' in text outside a CDATA section",
    'line 1: character reference &#xD800; to a character XML forbids; removed',
  ]);
});

test('P-F10 Microsoft CDF channels read as RSS: HREF, LASTMOD and ABSTRACT', () => {
  const doc = parse(
    `<CHANNEL HREF="http://example.com/" LASTMOD="2004-01-01T00:00:00"><TITLE>Title</TITLE><ABSTRACT>desc</ABSTRACT><ITEM HREF="/1" LASTMOD="2004-01-02T00:00:00"><TITLE>i</TITLE><ABSTRACT>a</ABSTRACT></ITEM></CHANNEL>`,
    { url: 'http://example.com/cdf' },
  );
  assert.equal(doc.format, 'rss');
  assert.equal(doc.link, 'http://example.com/');
  assert.equal(doc.description, 'desc');
  assert.equal(doc.updated, Date.UTC(2004, 0, 1));
  assert.deepEqual(doc.entries, [
    { title: 'i', link: 'http://example.com/1', summary: 'a', updated: Date.UTC(2004, 0, 2), authors: [], categories: [], enclosures: [] },
  ]);
  assert.deepEqual(doc.warnings, []);
});

test('P-E01 parseFeed passes the per-source encoding override and the HTTP charset to decoding', () => {
  // 中文 in GBK, in a document that claims UTF-8.
  const head = new TextEncoder().encode('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>');
  const tail = new TextEncoder().encode('</title></channel></rss>');
  const bytes = new Uint8Array([...head, 0xd6, 0xd0, 0xce, 0xc4, ...tail]);
  const overridden = parseFeed(bytes, { encoding: 'gbk' });
  assert.equal(overridden.title, '中文');
  assert.equal(overridden.encoding, 'gb18030');
  assert.deepEqual(overridden.warnings, []);
  const byHeader = parseFeed(bytes, { headers: { 'Content-Type': 'application/rss+xml; charset=GBK' } });
  assert.equal(byHeader.title, '中文');
  assert.deepEqual(byHeader.warnings, ['decode: the XML declaration says utf-8 but the HTTP charset says GBK; used gb18030']);
});

test('P-F11 element names match case-insensitively; Content-Language fills a missing language', () => {
  const doc = parse(`<rss version="2.0"><channel><Title>T</Title><item><Title>i</Title><PubDate>Sat, 21 Oct 2023 08:00:00 GMT</PubDate><Description>d</Description></item></channel></rss>`, {
    headers: { 'Content-Language': 'zh-Hant, en' },
  });
  assert.equal(doc.title, 'T');
  assert.equal(doc.language, 'zh-Hant');
  assert.deepEqual(doc.entries[0], { title: 'i', published: Date.UTC(2023, 9, 21, 8), summary: 'd', authors: [], categories: [], enclosures: [] });
});

test('P-W12 PHP warnings printed before the feed are skipped, not fatal', () => {
  const doc = parse(
    `<br />\n<b>Warning</b>:  Cannot modify header information in <b>/var/www/feed.php</b> on line <b>12</b><br />\n<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><item><title>i</title></item></channel></rss>`,
  );
  assert.equal(doc.title, 't');
  assert.equal(doc.entries.length, 1);
  assert.deepEqual(doc.warnings, [
    'line 1: top-level element <br> is not a feed; ignored (2 times)',
    'line 2: top-level element <b> is not a feed; ignored (3 times)',
    'line 2: text outside the root element ignored',
    'line 3: XML declaration not at the start of the document',
  ]);
});

test('P-F12 a JSON Feed with trailing commas is recovered with a warning', () => {
  const doc = parse(`{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": [{"id": "1", "title": "a",}, ],}`);
  assert.deepEqual(doc.entries.map((e) => e.title), ['a']);
  assert.deepEqual(doc.warnings, ['JSON: trailing commas removed']);
});

test('P-U03 URL attributes in capitals and unquoted values are resolved too; absolute and data: URLs are kept', () => {
  const doc = parse(
    rss(`<item><title>t</title><description>&lt;IMG SRC="a.png"&gt;&lt;a href=b.html&gt;b&lt;/a&gt;&lt;img src="data:image/png;base64,AA"&gt;&lt;a href="https://x.org/"&gt;x&lt;/a&gt;</description></item>`),
    { url: 'https://example.org/dir/feed.xml' },
  );
  assert.equal(
    doc.entries[0]?.summary,
    '<IMG SRC="https://example.org/dir/a.png"><a href="https://example.org/dir/b.html">b</a><img src="data:image/png;base64,AA"><a href="https://x.org/">x</a>',
  );
});

test('P-R01 a feed cut mid-item or with an error page after the root is recovered, and says so', () => {
  const whole = rss('<item><title>A</title><link>https://e.org/a</link><description>first body</description></item><item><title>B</title><link>https://e.org/b</link><description>second body, a long text</description></item>');
  assert.equal(parse(whole).recovered, false);
  const cut = parse(whole.slice(0, whole.indexOf('a long text')));
  assert.equal(cut.recovered, true);
  assert.deepEqual(cut.entries.map((entry) => entry.summary), ['first body', 'second body,']);
  const appended = parse(`${whole}<html><body><h1>502 Bad Gateway</h1></body></html>`);
  assert.equal(appended.recovered, true);
  assert.equal(appended.entries.length, 2);
  const cutThenPage = parse(`${whole.slice(0, whole.indexOf('a long text'))}<html><body>502 Bad Gateway</body></html>`);
  assert.equal(cutThenPage.recovered, true);
});

test('P-R02 character-level repairs (entities, a bare &, control characters) do not make a document recovered', () => {
  const doc = parse(rss('<item><title>A &nbsp; & B\u0008</title><link>https://e.org/a</link></item>'));
  assert.notDeepEqual(doc.warnings, []);
  assert.equal(doc.recovered, false);
});

test('P-F13 Atom base64 text constructs: titles, summaries and content are decoded (UTF-8, Chinese)', () => {
  const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
  const doc = parse(
    atom(
      `<entry><title type="text/plain" mode="base64">${b64('标题 <一>')}</title><id>tag:x,2024:1</id>
        <summary type="text/html" mode="base64">${b64('<p>摘要</p>')}</summary>
        <content type="text/html" mode="base64">\n${b64('<p>正文</p>').replace(/(.{8})/g, '$1\n')}</content></entry>`,
    ),
  );
  const entry = doc.entries[0];
  assert.equal(entry?.title, '标题 <一>');
  assert.equal(entry?.summary, '<p>摘要</p>');
  assert.equal(entry?.content, '<p>正文</p>');
});

test('P-U04 Atom entry and feed ids relative to xml:base or the document URL are resolved; tags and bare names are kept', () => {
  const xml = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://base.example.org/blog/"><title>A</title><id>./</id>
    <entry><title>a</title><id>posts/1</id></entry>
    <entry xml:base="/other/"><title>b</title><id>../p/2</id></entry>
    <entry><title>c</title><id>tag:example.org,2024:3</id></entry>
    <entry><title>d</title><id>1234</id></entry></feed>`;
  const doc = parse(xml, { url: 'https://ignored.example.org/feed' });
  assert.equal(doc.id, 'https://base.example.org/blog/');
  assert.deepEqual(
    doc.entries.map((e) => e.id),
    ['https://base.example.org/blog/posts/1', 'https://base.example.org/p/2', 'tag:example.org,2024:3', '1234'],
  );
  const plain = `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>/feed</id><entry><title>a</title><id>/e/1</id></entry></feed>`;
  const byDoc = parse(plain, { url: 'https://doc.example.org/x/atom.xml' });
  assert.equal(byDoc.id, 'https://doc.example.org/feed');
  assert.equal(byDoc.entries[0]?.id, 'https://doc.example.org/e/1');
  assert.equal(parse(plain).entries[0]?.id, '/e/1');
});

test('P-F14 RSS author as "email (Name)" or "Name <email>" gives both name and email', () => {
  const doc = parse(
    rss(
      `<item><title>a</title><author>jo@example.org (Jo Doe)</author></item>
       <item><title>b</title><author>李雷 &lt;li.lei@example.cn&gt;</author></item>
       <item><title>c</title><author>mailto:ed@example.org</author></item>
       <item><title>d</title><author>Only A Name</author></item>`,
    ),
  );
  assert.deepEqual(
    doc.entries.map((e) => e.authors),
    [[{ email: 'jo@example.org', name: 'Jo Doe' }], [{ email: 'li.lei@example.cn', name: '李雷' }], [{ email: 'ed@example.org' }], [{ name: 'Only A Name' }]],
  );
});
