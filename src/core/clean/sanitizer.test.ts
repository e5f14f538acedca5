import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cleanArticle, sanitizeHtml } from './index.js';
import { executableConstructs } from '../../../test/helpers/clean.js';

const VECTORS = readFileSync(new URL('./testdata/xss-vectors.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line !== '' && !line.startsWith('# '))
  .map((line) =>
    line
      .replace(/\\t/g, '\t')
      .replace(/\\n/g, '\n')
      .replace(/\\r/g, '\r')
      .replace(/\\0/g, '\0')
      .replace(/\\x0b/g, '\x0b')
      .replace(/\\x0c/g, '\x0c'),
  );

describe('sanitizeHtml: XSS vectors (OWASP cheat sheet, DOMPurify and sanitize-html style payloads)', () => {
  it('has the collection (150+ vectors)', () => {
    assert.ok(VECTORS.length >= 150, `only ${VECTORS.length} vectors`);
  });
  for (const [index, vector] of VECTORS.entries()) {
    it(`XSS-${String(index + 1).padStart(3, '0')} ${vector.slice(0, 60)}`, () => {
      for (const baseUrl of [undefined, 'https://www.rfi.fr/cn/a']) {
        const out = sanitizeHtml(vector, baseUrl === undefined ? {} : { baseUrl });
        assert.deepEqual(executableConstructs(out), [], out);
        assert.doesNotMatch(out, /<(?:script|style|svg|math|object|embed|form)/i, out);
      }
      const cleaned = cleanArticle(vector, { url: 'https://www.bbc.com/zhongwen/simp/x', sourceId: 'bbc' }).html;
      assert.deepEqual(executableConstructs(cleaned), [], cleaned);
    });
  }
});

describe('sanitizeHtml: behaviour', () => {
  const cases: [id: string, input: string, expected: string, baseUrl?: string][] = [
    ['SAN-01 script dropped with content', '<p>a<script>alert(1)</script>b</p>', '<p>ab</p>'],
    ['SAN-02 event handlers and style dropped', '<p onclick="x()" style="color:red" class="c" id="i">t</p>', '<p>t</p>'],
    ['SAN-03 javascript href removed, text kept', '<a href="jav&#x09;ascript:alert(1)">x</a>', '<a>x</a>'],
    [
      'SAN-04 links get rel and absolute URL',
      '<a href="/a/1.html?utm_source=tw&amp;id=3" target="_blank">x</a>',
      '<a href="https://www.voachinese.com/a/1.html?id=3" rel="noopener noreferrer nofollow">x</a>',
      'https://www.voachinese.com/b/2.html',
    ],
    ['SAN-05 relative URL kept relative without base', '<img src="/i.png" alt="a">', '<img src="/i.png" alt="a">'],
    ['SAN-06 raster data image allowed in img', '<img src="data:image/png;base64,iVBORw0KGgo=">', '<img src="data:image/png;base64,iVBORw0KGgo=">'],
    ['SAN-07 svg data image refused', '<img src="data:image/svg+xml;base64,PHN2Zz4=">', ''],
    [
      'SAN-08 youtube iframe kept, sandboxed, https',
      '<iframe src="//www.youtube.com/embed/abc" width="560" height="315" allow="autoplay" frameborder="0" allowfullscreen></iframe>',
      '<iframe src="https://www.youtube.com/embed/abc" width="560" height="315" allowfullscreen="" sandbox="allow-scripts allow-same-origin allow-popups" referrerpolicy="strict-origin-when-cross-origin" loading="lazy"></iframe>',
      'http://www.rfa.org/mandarin/x.html',
    ],
    ['SAN-09 other iframes dropped', '<p>a</p><iframe src="https://www.facebook.com/plugins/video.php"></iframe>', '<p>a</p>'],
    ['SAN-10 forms dropped', '<form action="/x"><input name="q"><button>Go</button></form><p>t</p>', '<p>t</p>'],
    ['SAN-11 well-formed output, escaped attributes', '<p title=\'a"b<c\'>x &amp; y < z', '<p title="a&quot;b&lt;c&gt;">x &amp; y &lt; z</p>'.replace('&lt;c&gt;', '&lt;c')],
    ['SAN-12 one block per line', '<div><p>a</p><p>b</p></div><ul><li>c</li></ul>', '<div><p>a</p><p>b</p></div>\n<ul><li>c</li></ul>'],
    ['SAN-13 pre content untouched', '<pre>  a\n    b  </pre>', '<pre>  a\n    b  </pre>'],
    ['SAN-14 video gets controls, no autoplay', '<video src="https://a.example/v.mp4" autoplay onplay="x()"></video>', '<video src="https://a.example/v.mp4" controls=""></video>'],
    ['SAN-15 mathml and svg removed', '<p>x<svg><circle/></svg><math><mi>y</mi></math></p>', '<p>x</p>'],
    ['SAN-16 srcset checked candidate by candidate', '<img src="https://a.example/1.jpg" srcset="https://a.example/1.jpg 1x, javascript:alert(1) 2x">', '<img src="https://a.example/1.jpg">'],
    ['SAN-17 table kept', '<table><tr><td colspan="2" style="x">a</td></tr></table>', '<table><tr><td colspan="2">a</td></tr></table>'],
    ['SAN-18 nested p cannot reparse differently', '<p>a<span><div>b</div></span></p>', '<p>a<span><div>b</div></span></p>'],
    // Regression: String.prototype.trim() strips U+2000/U+FEFF, which a URL parser keeps; trimming that
    // way turned a harmless relative URL into `javascript:`.
    ['SAN-20 en quad prefix stays relative', '<a href="&#x2000;javascript:alert(1)">x</a>', '<a href="\u2000javascript:alert(1)" rel="noopener noreferrer nofollow">x</a>'],
    ['SAN-21 BOM prefix stays relative', '<a href="&#xFEFF;javascript:alert(1)">x</a>', '<a href="\ufeffjavascript:alert(1)" rel="noopener noreferrer nofollow">x</a>'],
    ['SAN-22 control-char obfuscation refused', '<a href="&#1;jav&#x0A;ascript:alert(1)">x</a><a href=" JaVa\tScRiPt:alert(1)">y</a>', '<a>x</a><a>y</a>'],
  ];
  for (const [id, input, expected, baseUrl] of cases) {
    it(id, () => {
      assert.equal(sanitizeHtml(input, baseUrl === undefined ? {} : { baseUrl }), expected);
    });
  }

  it('SAN-23 survives a nesting bomb without overflowing the stack, keeping the text', () => {
    const out = sanitizeHtml(`${'<div><span>'.repeat(10_000)}深处${'</span></div>'.repeat(10_000)}`);
    assert.match(out, /深处/);
    assert.equal(sanitizeHtml(out), out);
  });

  it('SAN-19 output is stable under a second sanitize', () => {
    for (const vector of VECTORS) {
      const once = sanitizeHtml(vector);
      assert.equal(sanitizeHtml(once), once, vector);
    }
  });
});

const VOID = new Set(['br', 'hr', 'img', 'wbr', 'source', 'track', 'col']);

// Every tag is a plain `<name attr="value">` or `</name>`, every non-void element is closed in order,
// and no stray `<` or `>` appears outside the markup.
function assertWellFormed(html: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([a-z][a-z0-9]*)((?: [a-z-]+="[^"<>]*")*)>|[<>]/g;
  for (const match of html.matchAll(tag)) {
    assert.ok(match[2] !== undefined, `stray ${match[0]} in ${html}`);
    const name = match[2];
    if (match[1] === '/') assert.equal(stack.pop(), name, html);
    else if (!VOID.has(name)) stack.push(name);
  }
  assert.deepEqual(stack, [], html);
}

const TOKENS = [
  '<',
  '>',
  '</',
  '/>',
  '"',
  "'",
  '`',
  '=',
  ' ',
  '\n',
  '\t',
  '\0',
  '&#x09;',
  '&#106;',
  '&colon;',
  '&lt;',
  '&quot;',
  'script',
  'img',
  'a',
  'p',
  'div',
  'svg',
  'math',
  'style',
  'iframe',
  'object',
  'embed',
  'form',
  'button',
  'input',
  'textarea',
  'title',
  'xmp',
  'noscript',
  'template',
  'table',
  'td',
  'select',
  'base',
  'meta',
  'link',
  ' src=',
  ' href=',
  ' srcset=',
  ' poster=',
  ' action=',
  ' formaction=',
  ' xlink:href=',
  ' style=',
  ' onerror=',
  ' onload=',
  ' ONCLICK=',
  ' data-src=',
  'javascript:',
  'JaVaScRiPt:',
  'jav\tascript:',
  'vbscript:',
  'data:text/html,',
  'data:image/svg+xml,',
  'data:image/png;base64,AAAA',
  'alert(1)',
  'https://www.youtube.com/embed/x',
  'https://evil.example/',
  'https://images.weserv.nl/?url=',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '<?',
  '<!DOCTYPE html>',
  'expression(',
  'url(',
  '获取更多RSS',
];

const htmlish = fc.array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...TOKENS) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) }), {
  maxLength: 60,
}).map((parts) => parts.join(''));

const mutatedVector = fc
  .tuple(
    fc.constantFrom(...VECTORS),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom(...TOKENS), fc.boolean()), { maxLength: 6 }),
  )
  .map(([vector, edits]) => {
    let text = vector;
    for (const [position, token, remove] of edits) {
      const at = position % (text.length + 1);
      text = remove ? text.slice(0, at) + text.slice(at + token.length) : text.slice(0, at) + token + text.slice(at);
    }
    return text;
  });

describe('sanitizeHtml: invariant (property-based)', () => {
  it('never outputs an executable construct for random HTML-ish input', () => {
    fc.assert(
      fc.property(htmlish, fc.constantFrom(undefined, 'https://www.dw.com/zh/a'), (input, baseUrl) => {
        const out = sanitizeHtml(input, baseUrl === undefined ? {} : { baseUrl });
        assert.deepEqual(executableConstructs(out), [], `${JSON.stringify(input)} -> ${out}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('always outputs well-formed HTML that sanitizes to itself', () => {
    fc.assert(
      fc.property(fc.oneof(htmlish, mutatedVector), (input) => {
        const out = sanitizeHtml(input, { baseUrl: 'https://www.rfa.org/mandarin/' });
        assertWellFormed(out);
        assert.equal(sanitizeHtml(out, { baseUrl: 'https://www.rfa.org/mandarin/' }), out, JSON.stringify(input));
      }),
      { numRuns: 3000 },
    );
  });

  it('never outputs an executable construct for mutations of the XSS vectors', () => {
    fc.assert(
      fc.property(mutatedVector, (input) => {
        const out = sanitizeHtml(input, { baseUrl: 'https://cn.nytimes.com/a/' });
        assert.deepEqual(executableConstructs(out), [], `${JSON.stringify(input)} -> ${out}`);
        const cleaned = cleanArticle(input, { url: 'https://cn.nytimes.com/a/' }).html;
        assert.deepEqual(executableConstructs(cleaned), [], `${JSON.stringify(input)} -> ${cleaned}`);
      }),
      { numRuns: 3000 },
    );
  });
});
