import { Hono } from 'hono';
import { APP_CSS, APP_CSS_VERSION, ICON_SVG } from '../assets.js';
import type { Env } from '../context.js';

/** assetRoutes serves the reader's stylesheet (immutable when asked for by its version) and icon below /assets. */
export function assetRoutes(): Hono<Env> {
  const app = new Hono<Env>();

  app.get('/app.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', c.req.query('v') === APP_CSS_VERSION ? 'public, max-age=31536000, immutable' : 'no-cache');
    return c.body(APP_CSS);
  });

  app.get('/icon.svg', (c) => {
    c.header('Content-Type', 'image/svg+xml');
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(ICON_SVG);
  });

  return app;
}
