import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { sniffImageType } from './sniff.js';

const bytes = (...values: (number | string)[]): Uint8Array =>
  Uint8Array.from(values.flatMap((value) => (typeof value === 'string' ? [...Buffer.from(value, 'latin1')] : [value])));
const text = (value: string): Uint8Array => new TextEncoder().encode(value);

describe('sniffImageType', () => {
  it('MS-01 recognises the raster formats by their magic numbers', () => {
    assert.deepEqual(sniffImageType(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10)), { type: 'jpeg', ext: 'jpg' });
    assert.deepEqual(sniffImageType(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0)), { type: 'png', ext: 'png' });
    assert.deepEqual(sniffImageType(bytes('GIF89a', 1, 0)), { type: 'gif', ext: 'gif' });
    assert.deepEqual(sniffImageType(bytes('GIF87a', 1, 0)), { type: 'gif', ext: 'gif' });
    assert.deepEqual(sniffImageType(bytes('RIFF', 26, 0, 0, 0, 'WEBPVP8L')), { type: 'webp', ext: 'webp' });
    assert.deepEqual(sniffImageType(bytes(0, 0, 0, 0x1c, 'ftypavif', 0, 0, 0, 0, 'avifmif1miaf')), { type: 'avif', ext: 'avif' });
    assert.deepEqual(sniffImageType(bytes(0, 0, 0, 0x1c, 'ftypmif1', 0, 0, 0, 0, 'mif1avifmiaf')), { type: 'avif', ext: 'avif' }, 'AVIF as a compatible brand');
  });

  it('MS-02 refuses look-alikes: RIFF that is not WebP, HEIC, truncated magic', () => {
    assert.equal(sniffImageType(bytes('RIFF', 26, 0, 0, 0, 'WAVEfmt ')), undefined);
    assert.equal(sniffImageType(bytes(0, 0, 0, 0x18, 'ftypheic', 0, 0, 0, 0, 'mif1heic')), undefined);
    assert.equal(sniffImageType(bytes(0xff, 0xd8)), undefined);
    assert.equal(sniffImageType(new Uint8Array(0)), undefined);
  });

  it('MS-03 refuses HTML, JSON and text, whatever the server called them', () => {
    assert.equal(sniffImageType(text('<!DOCTYPE html><html><head><title>403</title>')), undefined);
    assert.equal(sniffImageType(text('<html><body><svg></svg></body></html>')), undefined);
    assert.equal(sniffImageType(text('{"error":"not found"}')), undefined);
    assert.equal(sniffImageType(text('<svgfoo>')), undefined);
  });

  it('MS-04 recognises SVG after a BOM, whitespace, XML declaration, comments and doctype', () => {
    assert.deepEqual(sniffImageType(text('<svg xmlns="http://www.w3.org/2000/svg"/>')), { type: 'svg', ext: 'svg' });
    const preamble =
      '\uFEFF \n<?xml version="1.0" encoding="UTF-8"?>\n<!-- Generator: Adobe Illustrator -->\n' +
      '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [ <!ENTITY ns "x"> ]>\n<svg>';
    assert.deepEqual(sniffImageType(text(preamble)), { type: 'svg', ext: 'svg' });
  });
});
