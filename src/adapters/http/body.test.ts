import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';

import { BodyDecodeError, BodyTooLargeError, UnsupportedEncodingError, readBody } from './body.js';

/** chunked streams a buffer in 16 KB pieces, like a socket would. */
function chunked(data: Buffer): Readable {
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += 16 * 1024) pieces.push(data.subarray(offset, offset + 16 * 1024));
  return Readable.from(pieces);
}

describe('readBody', () => {
  // Random bytes do not compress, so the decoders see many chunks and must honour backpressure.
  const payload = randomBytes(3 * 1024 * 1024);

  const encoders: [label: string, coding: string, encode: (data: Buffer) => Buffer][] = [
    ['gzip', 'gzip', (data) => zlib.gzipSync(data)],
    ['zlib deflate', 'deflate', (data) => zlib.deflateSync(data)],
    ['raw deflate', 'deflate', (data) => zlib.deflateRawSync(data)],
    ['brotli', 'br', (data) => zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } })],
  ];
  for (const [label, coding, encode] of encoders) {
    it(`BODY-01 ${label} decodes a multi-megabyte body intact`, async () => {
      const bytes = await readBody(chunked(encode(payload)), { contentEncoding: coding, maxBytes: 10 * 1024 * 1024 });
      assert.equal(Buffer.compare(Buffer.from(bytes), payload), 0);
    });
  }

  it('BODY-02 applies stacked codings in reverse order', async () => {
    const sent = zlib.brotliCompressSync(zlib.gzipSync(Buffer.from('新闻')));
    const bytes = await readBody(chunked(sent), { contentEncoding: 'gzip, br', maxBytes: 1024 });
    assert.equal(new TextDecoder().decode(bytes), '新闻');
  });

  it('BODY-03 a raw deflate bomb is stopped at the cap', async () => {
    const bomb = zlib.deflateRawSync(Buffer.alloc(32 * 1024 * 1024));
    await assert.rejects(readBody(chunked(bomb), { contentEncoding: 'deflate', maxBytes: 1024 * 1024 }), BodyTooLargeError);
  });

  it('BODY-04 an uncompressed body one byte over the cap fails, one at the cap passes', async () => {
    const data = Buffer.alloc(1000, 0x61);
    await assert.rejects(readBody(chunked(data), { maxBytes: 999 }), BodyTooLargeError);
    assert.equal((await readBody(chunked(data), { maxBytes: 1000 })).length, 1000);
  });

  it('BODY-05 truncate mode returns exactly the first maxBytes bytes', async () => {
    const bytes = await readBody(chunked(zlib.gzipSync(payload)), { contentEncoding: 'gzip', maxBytes: 5000, truncate: true });
    assert.equal(Buffer.compare(Buffer.from(bytes), payload.subarray(0, 5000)), 0);
  });

  it('BODY-06 an empty body labelled gzip is empty, a corrupt one is a decode error', async () => {
    assert.equal((await readBody(Readable.from([]), { contentEncoding: 'gzip', maxBytes: 100 })).length, 0);
    await assert.rejects(
      readBody(Readable.from([Buffer.from('this is not gzip at all')]), { contentEncoding: 'gzip', maxBytes: 100 }),
      BodyDecodeError,
    );
  });

  it('BODY-07 refuses codings it never asked for', async () => {
    await assert.rejects(readBody(Readable.from([Buffer.from('x')]), { contentEncoding: 'zstd', maxBytes: 100 }), UnsupportedEncodingError);
  });
});
