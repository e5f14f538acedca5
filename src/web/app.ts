/**
 * The web reader: server-rendered pages, the JSON API, republished feeds, health, liveness, metrics and mirrored media,
 * all read from the Store and the SearchIndex handed in (no I/O of its own besides media files).
 * Each job is a Hono sub-app under routes/, mounted here with `app.route()`; this file holds what
 * they share: the security headers, the script variant, and the one mapping of errors to statuses.
 *
 * Hono because its core is the Web Request/Response API (in-process tests with `app.request()`, no
 * sockets), it has no runtime dependencies, and its router and one `onError` fit the habit of
 * mapping errors to statuses in one place.
 */
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isNewsmirrorError } from '../core/errors.js';
import { FRAME_HOSTS } from '../core/clean/index.js';
import { createWebContext, type Env, type WebAppDeps } from './context.js';
import { apiRoutes } from './routes/api.js';
import { assetRoutes } from './routes/assets.js';
import { changeFeedRoutes } from './routes/changes.js';
import { feedRoutes } from './routes/feeds.js';
import { healthRoutes } from './routes/health.js';
import { mediaRoutes } from './routes/media.js';
import { livenessRoutes, metricsRoutes } from './routes/monitoring.js';
import { pageRoutes } from './routes/pages.js';
import { removedRoutes } from './routes/removed.js';
import { searchRoutes } from './routes/search.js';
import { versionApiRoutes, versionPageRoutes } from './routes/versions.js';
import { VARIANT_COOKIE, parseVariant } from './variant.js';
import { errorPage } from './views.js';

/**
 * CONTENT_SECURITY_POLICY allows only this server's stylesheet, images and forms, and players of
 * the video hosts the sanitizer keeps. No script at all: the reader works without JavaScript.
 * `img-src 'self'` holds because pages show images that were not mirrored as links (see body.ts).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "img-src 'self'",
  "media-src 'self'",
  "style-src 'self'",
  "form-action 'self'",
  `frame-src ${FRAME_HOSTS.flatMap((host) => [`https://${host}`, `https://*.${host}`]).join(' ')}`,
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths whose errors are JSON `{ error: { code, message } }` rather than an HTML page. */
const JSON_PATHS = /^\/(?:api|feeds|health|healthz|metrics|media|assets)(?:\/|$)/;

/**
 * createWebApp builds the reader. Every route answers bad input with a 4xx (JSON
 * `{ error: { code, message } }` under /api, /feeds, /health and /media; an HTML page elsewhere).
 *
 * @example
 * const app = createWebApp({ store, search, sources: config.sources, timeZone: config.timezone });
 * const server = await startWebServer(app, { host: '127.0.0.1', port: 8080 });
 */
export function createWebApp(deps: WebAppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const web = createWebContext(deps);

  app.use('*', async (c, next) => {
    const chosen = parseVariant(c.req.query('variant'));
    c.set('variant', chosen ?? parseVariant(getCookie(c, VARIANT_COOKIE)) ?? 'hans');
    await next();
    if (chosen !== undefined) setCookie(c, VARIANT_COOKIE, chosen, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'Lax', httpOnly: true });
    c.res.headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    // Which article a reader opens is sensitive where our readers live: never tell the next site.
    c.res.headers.set('Referrer-Policy', 'no-referrer');
    c.res.headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  });

  app.onError((error, c) => {
    let status: ContentfulStatusCode = 500;
    let code = 'internal';
    let message = 'internal error';
    if (error instanceof HTTPException) {
      status = error.status as ContentfulStatusCode;
      code = status === 404 ? 'not-found' : 'bad-request';
      message = error.message || (status === 404 ? 'not found' : 'bad request');
    } else if (isNewsmirrorError(error) && (error.code === 'usage' || error.code === 'config-invalid')) {
      status = 400;
      code = error.code;
      message = error.message;
    } else {
      deps.logger?.error('web: request failed', { url: c.req.path, code: isNewsmirrorError(error) ? error.code : 'internal', error: String(error) });
    }
    if (JSON_PATHS.test(c.req.path)) return c.json({ error: { code, message } }, status);
    return web.sendPage(c, status === 404 ? '找不到' : '出错', errorPage(status, message), { status });
  });

  app.notFound((c) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      c.header('Allow', 'GET, HEAD');
      return c.json({ error: { code: 'method-not-allowed', message: `${c.req.method} is not allowed: the reader only reads` } }, 405);
    }
    if (JSON_PATHS.test(c.req.path)) return c.json({ error: { code: 'not-found', message: `no route ${c.req.path}` } }, 404);
    return web.sendPage(c, '找不到', errorPage(404, '这个地址没有页面。'), { status: 404 });
  });

  app.route('/health', healthRoutes(web));
  app.route('/healthz', livenessRoutes(web));
  app.route('/metrics', metricsRoutes(web));
  app.route('/', pageRoutes(web));
  app.route('/', removedRoutes(web));
  app.route('/', versionPageRoutes(web));
  app.route('/', searchRoutes(web));
  app.route('/api', apiRoutes(web));
  app.route('/api', versionApiRoutes(web));
  app.route('/feeds', changeFeedRoutes(web));
  app.route('/feeds', feedRoutes(web));
  app.route('/media', mediaRoutes(web));
  app.route('/assets', assetRoutes());

  return app;
}
