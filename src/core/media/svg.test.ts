import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { sanitizeSvg } from './svg.js';

const NS = 'xmlns="http://www.w3.org/2000/svg"';

describe('sanitizeSvg', () => {
  it('MV-01 keeps drawing, text and paint servers as they were', () => {
    const svg =
      `<svg ${NS} viewBox="0 0 10 10"><defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs>` +
      '<g transform="translate(1 1)"><rect width="4" height="4" fill="url(#g)"/><text x="1" y="8" font-size="3">北京 &amp; 上海</text></g></svg>';
    assert.equal(sanitizeSvg(svg), svg.replace('北京', '&#x5317;&#x4eac;').replace('上海', '&#x4e0a;&#x6d77;'));
  });

  it('MV-02 removes script, foreignObject, images, animation and event handlers', () => {
    const out = sanitizeSvg(
      `<svg ${NS} onload="alert(1)"><script>alert(1)</script><script xlink:href="https://evil.example/x.js"/>` +
        '<foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><iframe src="javascript:alert(1)"/></body></foreignObject>' +
        '<image href="https://tracker.example/pixel.png"/><a href="#x"><set attributeName="href" to="javascript:alert(1)"/>' +
        '<animate attributeName="href" values="javascript:alert(1)"/><circle r="1" onclick="alert(1)" ONMOUSEOVER="alert(1)"/></a></svg>',
    );
    assert.equal(out, `<svg ${NS}><a href="#x"><circle r="1"/></a></svg>`);
  });

  it('MV-03 allows only #fragment references', () => {
    const out = sanitizeSvg(
      `<svg ${NS} xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="#icon"/><use href="https://evil.example/s.svg#icon"/>` +
        '<use xlink:href="data:image/svg+xml;base64,PHN2Zz4="/><a xlink:href="javascript:alert(1)"><rect width="1"/></a></svg>',
    );
    assert.equal(out, `<svg ${NS} xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="#icon"/><use/><use/><a><rect width="1"/></a></svg>`);
  });

  it('MV-04 drops CSS that loads or runs something, keeps plain CSS', () => {
    const out = sanitizeSvg(
      `<svg ${NS}><style>.a { fill: red }</style><style>@import url(https://evil.example/x.css);</style>` +
        '<rect style="fill: url(https://evil.example/p.png)" width="1"/><rect style="width: expression(alert(1))"/>' +
        '<rect style="fill:u\\72l(https://evil.example/x)"/><rect style="fill: url( \'#ok\' ); stroke: blue" fill="url(http://evil.example/#x)"/></svg>',
    );
    assert.equal(out, `<svg ${NS}><style>.a { fill: red }</style><rect width="1"/><rect/><rect/><rect style="fill: url( &apos;#ok&apos; ); stroke: blue"/></svg>`);
  });

  it('MV-05 refuses what cannot be made safe: no svg root, entity declarations', () => {
    assert.equal(sanitizeSvg('<html><svg/></html>'), undefined);
    assert.equal(sanitizeSvg('just text'), undefined);
    assert.equal(
      sanitizeSvg(`<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><svg ${NS}><text>&b;</text></svg>`),
      undefined,
    );
  });

  it('MV-06 adds the SVG namespace an <img> needs to render the file', () => {
    assert.equal(sanitizeSvg('<?xml version="1.0"?>\n<!-- c --><svg width="2"><rect/></svg>'), `<svg ${NS} width="2"><rect/></svg>`);
  });

  it('MV-07 property: whatever the input, the output has no script, handler, foreign content or external reference', () => {
    const fragments = [
      `<svg ${NS}>`, '</svg>', '<g>', '</g>', '<script>alert(1)</script>', '<SCRIPT>', '<foreignObject>', '</foreignObject>',
      '<rect onload="x()" width="1"/>', '<a href="javascript:alert(1)">', '</a>', '<use xlink:href="http://evil/x"/>',
      '<style>*{background:url(http://evil/)}</style>', '<rect style="behavior:url(x.htc)"/>', '<![CDATA[<script>]]>',
      '<!-- <script> -->', '<text>&lt;script&gt;</text>', '<image href="//evil/x.png"/>', '"', "'", '<', '>', 'on', '=',
      '<feImage href="http://evil/"/>', '<set to="javascript:1" attributeName="href"/>', '<iframe src="x"/>',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 12 }), (parts) => {
        const out = sanitizeSvg(`<svg ${NS}>${parts.join('')}</svg>`);
        if (out === undefined) return;
        assert.doesNotMatch(out, /<script|<foreignObject|<image|<feImage|<set|<animate|<iframe/i);
        assert.doesNotMatch(out, /\son[a-z]+=/i);
        assert.doesNotMatch(out, /javascript:|behavior|url\((?!#)/i);
        assert.doesNotMatch(out, /href="(?!#)/);
        assert.ok(out.startsWith('<svg'));
      }),
      { numRuns: 500 },
    );
  });
});
