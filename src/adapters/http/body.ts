import { Transform, Writable, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

/** BodyTooLargeError is raised when a body, raw or decompressed, would pass the byte cap. */
export class BodyTooLargeError extends Error {
  /** limit is the cap in bytes that was about to be passed. */
  readonly limit: number;

  constructor(limit: number) {
    super(`body larger than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
    this.limit = limit;
  }
}

/** UnsupportedEncodingError is raised for a Content-Encoding we neither asked for nor can decode. */
export class UnsupportedEncodingError extends Error {
  constructor(encoding: string) {
    super(`unsupported content-encoding ${JSON.stringify(encoding)}`);
    this.name = 'UnsupportedEncodingError';
  }
}

/** BodyDecodeError is raised when a compressed body cannot be decompressed. */
export class BodyDecodeError extends Error {
  constructor(encoding: string, cause: unknown) {
    super(`body is not valid ${encoding}`, { cause });
    this.name = 'BodyDecodeError';
  }
}

/** ReadBodyOptions says how much to read and what to do at the cap. */
export interface ReadBodyOptions {
  /** Content-Encoding response header, if any. */
  contentEncoding?: string;
  /** Byte cap on both the bytes received and the bytes after decompression. */
  maxBytes: number;
  /**
   * When true, reading stops quietly at the cap and the first `maxBytes` bytes are returned
   * (used to sniff error pages); when false, passing the cap raises BodyTooLargeError.
   */
  truncate?: boolean;
}

/** Output chunk of the decoders: larger than zlib's 16 KB default, a quarter of the calls per feed. */
const DECODE_CHUNK = 64 * 1024;

// Sync flush, as browsers and Node's fetch do, so a body cut short by the server still yields
// the bytes that arrived instead of an "unexpected end of file".
const GZIP_OPTIONS: zlib.ZlibOptions = {
  flush: zlib.constants.Z_SYNC_FLUSH,
  finishFlush: zlib.constants.Z_SYNC_FLUSH,
  chunkSize: DECODE_CHUNK,
};
const BROTLI_OPTIONS: zlib.BrotliOptions = {
  chunkSize: DECODE_CHUNK,
  flush: zlib.constants.BROTLI_OPERATION_FLUSH,
  finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
};

/**
 * readBody reads a response body through its content codings with a hard byte cap. The stream is
 * destroyed the moment the cap would be passed (which closes the connection), so neither the
 * compressed nor the decompressed bytes are ever buffered past the cap: a zip bomb costs at most
 * `maxBytes` plus one zlib chunk.
 */
export async function readBody(body: Readable, options: ReadBodyOptions): Promise<Uint8Array> {
  const codings = parseCodings(options.contentEncoding);
  const chunks: Buffer[] = [];
  let total = 0;
  let rawTotal = 0;

  const countRaw = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      rawTotal += chunk.length;
      if (rawTotal > options.maxBytes && !options.truncate) callback(new BodyTooLargeError(options.maxBytes));
      else callback(null, chunk);
    },
  });
  const decoders = codings.reverse().map(createDecoder);
  const collect = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const room = options.maxBytes - total;
      if (chunk.length <= room) {
        chunks.push(chunk);
        total += chunk.length;
        callback();
        return;
      }
      if (!options.truncate) {
        callback(new BodyTooLargeError(options.maxBytes));
        return;
      }
      chunks.push(chunk.subarray(0, room));
      total += room;
      // Failing the sink is how a pipeline is stopped: every stream in it, the socket included, is destroyed.
      callback(new EnoughRead());
    },
  });

  try {
    await pipeline([body, countRaw, ...decoders, collect]);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw error;
    if (error instanceof EnoughRead) return concat(chunks, total);
    const coding = codings[0];
    if (isZlibError(error) && coding !== undefined) {
      // An empty body with a Content-Encoding header (some servers send one on empty answers).
      if (rawTotal === 0) return new Uint8Array(0);
      throw new BodyDecodeError(coding, error);
    }
    throw error;
  }
  return concat(chunks, total);
}

/** EnoughRead stops a truncating read once the cap is reached; it never leaves readBody. */
class EnoughRead extends Error {}

/** concat copies into a fresh Uint8Array, never a view into Node's shared Buffer pool. */
function concat(chunks: Buffer[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function parseCodings(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
}

function createDecoder(coding: string): Transform {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip(GZIP_OPTIONS);
    case 'br':
      return zlib.createBrotliDecompress(BROTLI_OPTIONS);
    case 'deflate':
      return new InflateAuto();
    default:
      throw new UnsupportedEncodingError(coding);
  }
}

/**
 * InflateAuto decodes `Content-Encoding: deflate`, which by the RFC is zlib-wrapped but which
 * some servers send as raw deflate; the first byte tells them apart (0x?8 with a valid header
 * checksum means zlib), as browsers do.
 */
class InflateAuto extends Transform {
  #inner: zlib.Inflate | zlib.InflateRaw | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const inner = this.#inner ?? this.#start(chunk);
    if (inner.write(chunk)) callback();
    else inner.once('drain', () => callback());
  }

  override _flush(callback: TransformCallback): void {
    const inner = this.#inner;
    if (inner === undefined) {
      callback();
      return;
    }
    inner.once('end', () => callback());
    inner.end();
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    this.#inner?.destroy();
    callback(error);
  }

  #start(first: Buffer): zlib.Inflate | zlib.InflateRaw {
    const cmf = first[0] ?? 0;
    const flg = first[1] ?? 0;
    const zlibWrapped = (cmf & 0x0f) === 8 && ((cmf << 8) | flg) % 31 === 0;
    const inner = zlibWrapped ? zlib.createInflate(GZIP_OPTIONS) : zlib.createInflateRaw(GZIP_OPTIONS);
    inner.on('data', (data: Buffer) => {
      if (!this.push(data)) inner.pause();
    });
    inner.on('error', (error) => this.destroy(error));
    this.#inner = inner;
    return inner;
  }

  override _read(size: number): void {
    this.#inner?.resume();
    super._read(size);
  }
}

function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ERR__') || code.startsWith('ERR_BROTLI'));
}
