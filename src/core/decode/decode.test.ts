import assert from 'node:assert/strict';
import { test } from 'node:test';
import { charsetFromContentType, decodeText, normalizeEncodingLabel } from './index.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
// 中文 in GBK and in Big5 (中文 is the same hanzi in both scripts).
const GBK_ZHONGWEN = [0xd6, 0xd0, 0xce, 0xc4];
const BIG5_ZHONGWEN = [0xa4, 0xa4, 0xa4, 0xe5];
const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));
const bytes = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? ascii(p) : p)));

test('D-01 UTF-8 BOM wins over a contradicting declaration and header', () => {
  const input = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('<?xml version="1.0" encoding="gbk"?><a>中文</a>')]);
  const out = decodeText(input, { contentType: 'text/xml; charset=big5' });
  assert.equal(out.encoding, 'utf-8');
  assert.equal(out.text, '<?xml version="1.0" encoding="gbk"?><a>中文</a>');
  assert.deepEqual(out.warnings, ['decode: the document declares gbk but starts with a UTF-8 byte-order mark; used UTF-8']);
  const agreeing = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('<?xml version="1.0" encoding="utf-8"?><a>中文</a>')]);
  assert.deepEqual(decodeText(agreeing).warnings, []);
});

test('D-02 UTF-16LE and UTF-16BE with BOM', () => {
  const text = '<a>中文</a>';
  const le = [0xff, 0xfe];
  const be = [0xfe, 0xff];
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    le.push(code & 0xff, code >> 8);
    be.push(code >> 8, code & 0xff);
  }
  assert.deepEqual(decodeText(new Uint8Array(le)), { text, encoding: 'utf-16le', warnings: [] });
  assert.deepEqual(decodeText(new Uint8Array(be)), { text, encoding: 'utf-16be', warnings: [] });
});

test('D-03 the per-source override wins over the HTTP charset and the declaration', () => {
  const input = bytes('<?xml version="1.0" encoding="utf-8"?><a>', GBK_ZHONGWEN, '</a>');
  const out = decodeText(input, { override: 'gbk', contentType: 'text/xml; charset=utf-8' });
  assert.equal(out.encoding, 'gb18030');
  assert.equal(out.text, '<?xml version="1.0" encoding="utf-8"?><a>中文</a>');
  assert.deepEqual(out.warnings, []);
});

test('D-04 the HTTP charset wins over the XML declaration', () => {
  const input = bytes('<?xml version="1.0" encoding="gbk"?><a>', BIG5_ZHONGWEN, '</a>');
  const out = decodeText(input, { contentType: 'application/rss+xml; charset="Big5"' });
  assert.equal(out.encoding, 'big5');
  assert.match(out.text, /中文/);
});

test('D-05 GB2312 declaration decodes as GB18030', () => {
  const input = bytes('<?xml version="1.0" encoding="gb2312"?><a>', GBK_ZHONGWEN, '</a>');
  const out = decodeText(input);
  assert.equal(out.encoding, 'gb18030');
  assert.equal(out.text, '<?xml version="1.0" encoding="gb2312"?><a>中文</a>');
  assert.deepEqual(out.warnings, []);
});

test('D-06 a GB2312 declaration over valid multibyte UTF-8 is not trusted, with a warning', () => {
  const out = decodeText(utf8('<?xml version="1.0" encoding="gb2312"?><a>中文</a>'));
  assert.equal(out.encoding, 'utf-8');
  assert.match(out.text, /中文/);
  assert.deepEqual(out.warnings, ['decode: the XML declaration says gb2312 but the bytes are valid UTF-8; decoded as UTF-8']);
});

test('D-07 pure ASCII keeps the declared encoding and gives no warning', () => {
  const out = decodeText(utf8('<?xml version="1.0" encoding="windows-1251"?><a>plain</a>'));
  assert.equal(out.encoding, 'windows-1251');
  assert.deepEqual(out.warnings, []);
});

test('D-08 an unknown label gives a warning and falls back to UTF-8', () => {
  const out = decodeText(utf8('<?xml version="1.0" encoding="x-klingon"?><a>中文</a>'));
  assert.equal(out.encoding, 'utf-8');
  assert.deepEqual(out.warnings, ['decode: unknown encoding "x-klingon" in the XML declaration']);
  const override = decodeText(utf8('<a/>'), { override: 'nope' });
  assert.deepEqual(override.warnings, ['decode: unknown encoding override "nope" ignored']);
});

test('D-09 invalid bytes are replaced and reported, never thrown', () => {
  const out = decodeText(bytes('<?xml version="1.0" encoding="utf-8"?><a>', Array.from(utf8('中文中文中文')), [0xff, 0xfe, 0x80], '</a>'));
  assert.equal(out.encoding, 'utf-8');
  assert.match(out.text, /<a>中文中文中文\uFFFD+<\/a>/);
  assert.deepEqual(out.warnings, ['decode: byte sequences invalid in utf-8 were replaced with U+FFFD']);
});

test('D-10 undeclared non-UTF-8 bytes: Latin-1 text is detected as windows-1252, GBK text as GB18030', () => {
  // Two words are too few for any detector; a sentence is what a real feed item carries.
  const sentence = 'Le café crème coûte désormais deux euros à Paris, où les prix ont augmenté cette année.';
  const latin = decodeText(bytes('<a>', Array.from(sentence, (c) => c.charCodeAt(0)), '</a>'));
  assert.equal(latin.encoding, 'windows-1252');
  assert.equal(latin.text, `<a>${sentence}</a>`);
  assert.equal(latin.warnings.length, 1);
  assert.match(latin.warnings[0] as string, /^decode: no usable encoding declared and the bytes are not UTF-8; detected windows-1252 \(chardet confidence 0\.\d\d\)$/);
  const gbk = decodeText(bytes('<a>', GBK_ZHONGWEN, GBK_ZHONGWEN, '</a>'));
  assert.equal(gbk.encoding, 'gb18030');
  assert.equal(gbk.text, '<a>中文中文</a>');
  assert.deepEqual(gbk.warnings, ['decode: no usable encoding declared and the bytes are not UTF-8; detected gb18030 (share of common hanzi 1.00)']);
});

test('D-11 windows-1251, ISO-8859-2 and KOI8-R labels', () => {
  assert.equal(decodeText(bytes('<?xml version="1.0" encoding="windows-1251"?><a>', [0xcf, 0xf0, 0xe8], '</a>')).text.endsWith('<a>При</a>'), true);
  assert.equal(decodeText(bytes('<?xml version="1.0" encoding="ISO-8859-2"?><a>', [0xb1], '</a>')).text.endsWith('<a>ą</a>'), true);
  assert.equal(decodeText(bytes('<?xml version="1.0" encoding="KOI8-R"?><a>', [0xf0, 0xd2, 0xc9], '</a>')).text.endsWith('<a>При</a>'), true);
});

test('D-12 HTML meta charset and http-equiv', () => {
  const meta = decodeText(bytes('<html><head><meta charset="gbk"></head><body>', GBK_ZHONGWEN, '</body></html>'), { kind: 'html' });
  assert.equal(meta.encoding, 'gb18030');
  const equiv = decodeText(
    bytes('<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"></head>', BIG5_ZHONGWEN),
    { kind: 'html' },
  );
  assert.equal(equiv.encoding, 'big5');
  assert.match(equiv.text, /中文$/);
});

test('D-13 UTF-16 declared without a BOM on ASCII markup is ignored', () => {
  const out = decodeText(utf8('<?xml version="1.0" encoding="UTF-16"?><a>x</a>'));
  assert.equal(out.encoding, 'utf-8');
  assert.deepEqual(out.warnings, ['decode: the XML declaration says UTF-16 but there is no byte-order mark; ignored']);
});

test('D-14 label helpers', () => {
  assert.equal(charsetFromContentType('text/xml; Charset="GB2312"'), 'GB2312');
  assert.equal(charsetFromContentType('text/xml'), undefined);
  assert.equal(normalizeEncodingLabel('GB2312'), 'gb18030');
  assert.equal(normalizeEncodingLabel('latin1'), 'windows-1252');
  assert.equal(normalizeEncodingLabel('bogus'), undefined);
});

test('D-15 UTF-32 with and without BOM (TextDecoder lacks it)', () => {
  const text = '<a>中文😀</a>';
  const codes = Array.from(text, (c) => c.codePointAt(0) as number);
  const le = codes.flatMap((c) => [c & 0xff, (c >> 8) & 0xff, (c >> 16) & 0xff, c >>> 24]);
  const be = codes.flatMap((c) => [c >>> 24, (c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff]);
  assert.deepEqual(decodeText(new Uint8Array([0xff, 0xfe, 0, 0, ...le])), { text, encoding: 'utf-32le', warnings: [] });
  assert.deepEqual(decodeText(new Uint8Array([0, 0, 0xfe, 0xff, ...be])), { text, encoding: 'utf-32be', warnings: [] });
  assert.deepEqual(decodeText(new Uint8Array(be)), { text, encoding: 'utf-32be', warnings: [] });
});

test('D-16 a UTF-8 declaration over Latin-1 bytes is not trusted; a few broken bytes in UTF-8 are replaced', () => {
  const latin = decodeText(bytes('<?xml version="1.0" encoding="UTF-8"?><a>caf', [0xe9], ' cr', [0xe8], 'me</a>'));
  assert.equal(latin.encoding, 'windows-1252');
  assert.match(latin.text, /café crème/);
  assert.deepEqual(latin.warnings, ['decode: the XML declaration says UTF-8 but the bytes are not UTF-8; detected windows-1252 (chardet confidence 0.50)']);
  const broken = decodeText(bytes('<?xml version="1.0" encoding="UTF-8"?><a>', Array.from(new TextEncoder().encode('中文中文')), [0xff], '</a>'));
  assert.equal(broken.encoding, 'utf-8');
  assert.match(broken.text, /中文中文\uFFFD/);
  assert.deepEqual(broken.warnings, ['decode: byte sequences invalid in utf-8 were replaced with U+FFFD']);
});

test('D-17 undeclared double-byte text: Big5 by its hanzi, Shift_JIS or EUC-KR by the stated language', () => {
  const big5 = decodeText(bytes('<rss><channel><language>zh-TW</language><title>', BIG5_ZHONGWEN, '</title>'));
  assert.equal(big5.encoding, 'big5');
  assert.match(big5.text, /<title>中文<\/title>/);
  // 日本 in Shift_JIS, 한국 in EUC-KR.
  const sjis = decodeText(bytes('<feed xml:lang="ja"><title>', [0x93, 0xfa, 0x96, 0x7b], '</title>'));
  assert.equal(sjis.encoding, 'shift_jis');
  assert.match(sjis.text, /日本/);
  const euckr = decodeText(bytes('<rss><channel><language>ko</language><title>', [0xc7, 0xd1, 0xb1, 0xb9], '</title>'));
  assert.equal(euckr.encoding, 'euc-kr');
  assert.match(euckr.text, /한국/);
});

test('D-18 DOS and Mac code pages TextDecoder lacks are decoded from tables', () => {
  const cp437 = decodeText(bytes('<?xml version="1.0" encoding="cp437"?><a>', [0x80, 0x81, 0xe1], '</a>'));
  assert.deepEqual(cp437, { text: '<?xml version="1.0" encoding="cp437"?><a>Çüß</a>', encoding: 'cp437', warnings: [] });
  assert.equal(decodeText(bytes('<?xml version="1.0" encoding="IBM850"?><a>', [0x9b], '</a>')).text.endsWith('<a>ø</a>'), true);
  assert.equal(decodeText(bytes('<?xml version="1.0" encoding="x-mac-greek"?><a>', [0xa1], '</a>')).encoding, 'mac-greek');
});

test('D-19 EBCDIC is recognised by its <?xm bytes and its declaration', () => {
  // '<?xml version="1.0" encoding="cp037"?><a>Hi</a>' encoded with Python's cp037 codec.
  const hex = '4c6fa7949340a58599a28996957e7ff14bf07f4085958396848995877e7f8397f0f3f77f6f6e4c816ec8894c61816e';
  const encoded = new Uint8Array(hex.match(/../g)?.map((pair) => parseInt(pair, 16)) ?? []);
  assert.deepEqual(decodeText(encoded), { text: '<?xml version="1.0" encoding="cp037"?><a>Hi</a>', encoding: 'cp037', warnings: [] });
});

test('D-20 an HTTP charset of UTF-8 over GBK bytes gives way to the GB2312 declaration', () => {
  const out = decodeText(bytes('<?xml version="1.0" encoding="gb2312"?><a>', GBK_ZHONGWEN, GBK_ZHONGWEN, '</a>'), {
    contentType: 'text/xml; charset=utf-8',
  });
  assert.equal(out.encoding, 'gb18030');
  assert.equal(out.text, '<?xml version="1.0" encoding="gb2312"?><a>中文中文</a>');
  assert.deepEqual(out.warnings, ['decode: the HTTP charset says utf-8 but the bytes are not UTF-8; ignored']);
});

test('D-21 undeclared UTF-8 with one broken byte stays UTF-8', () => {
  const out = decodeText(bytes('<a>', Array.from(utf8('中文中文')), [0xff], '</a>'));
  assert.equal(out.encoding, 'utf-8');
  assert.equal(out.text, '<a>中文中文\uFFFD</a>');
  assert.deepEqual(out.warnings, ['decode: byte sequences invalid in utf-8 were replaced with U+FFFD']);
});

test('D-22 an HTTP charset that contradicts the XML declaration wins, with a warning', () => {
  const out = decodeText(bytes('<?xml version="1.0" encoding="iso-8859-1"?><a>', [0xcf, 0xf0, 0xe8], '</a>'), {
    contentType: 'text/xml; charset=windows-1251',
  });
  assert.equal(out.encoding, 'windows-1251');
  assert.ok(out.text.endsWith('<a>При</a>'));
  assert.deepEqual(out.warnings, ['decode: the XML declaration says iso-8859-1 but the HTTP charset says windows-1251; used windows-1251']);
  assert.deepEqual(decodeText(utf8('<?xml version="1.0" encoding="UTF-8"?><a/>'), { contentType: 'text/xml; charset=utf8' }).warnings, []);
});

test('D-23 undeclared GBK and Big5 of the same sentence: the bytes decide, whatever the stated language', () => {
  // 中国 / 中國 and 政府 in GBK and in Big5.
  const gbk = [0xd6, 0xd0, 0xb9, 0xfa, 0xd5, 0xfe, 0xb8, 0xae];
  const big5 = [0xa4, 0xa4, 0xb0, 0xea, 0xac, 0x46, 0xa9, 0xb2];
  const asBig5 = decodeText(bytes('<rss><channel><language>zh-CN</language><title>', big5, '</title>'));
  assert.equal(asBig5.encoding, 'big5');
  assert.match(asBig5.text, /<title>中國政府<\/title>/);
  const asGbk = decodeText(bytes('<rss><channel><language>zh-TW</language><title>', gbk, '</title>'));
  assert.equal(asGbk.encoding, 'gb18030');
  assert.match(asGbk.text, /<title>中国政府<\/title>/);
  assert.match(asGbk.warnings[0] as string, /detected gb18030 \(share of common hanzi 1\.00\)$/);
});
