import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { MEDIA_URL_PATH } from '../body.js';
import { notModified, type Env, type WebContext } from '../context.js';

const MEDIA_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
};

/** mediaRoutes serves the mirrored images below /media from the media folder, by their content-addressed names. */
export function mediaRoutes(web: WebContext): Hono<Env> {
  const app = new Hono<Env>();
  const { mediaDir } = web.deps;

  app.get('/:dir/:file', async (c) => {
    const match = MEDIA_URL_PATH.exec(c.req.path);
    if (match === null || mediaDir === undefined) throw new HTTPException(404, { message: 'no such media file' });
    const [, dir, file] = match as unknown as [string, string, string];
    const etag = `"${file}"`;
    // Content-addressed: the name is the hash of the bytes, so the file never changes.
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    c.header('ETag', etag);
    if (notModified(c.req.header('if-none-match'), undefined, etag, 0)) return c.body(null, 304);
    let bytes: Buffer;
    try {
      bytes = await readFile(join(mediaDir, 'media', dir, file));
    } catch {
      c.header('Cache-Control', 'no-store');
      throw new HTTPException(404, { message: 'no such media file' });
    }
    c.header('Content-Type', MEDIA_TYPES[file.slice(file.lastIndexOf('.') + 1)] ?? 'application/octet-stream');
    return c.body(new Uint8Array(bytes));
  });

  return app;
}
