import { Hono } from 'hono';
import { errorMessage } from '../../core/errors.js';
import type { Env, WebContext } from '../context.js';
import { PROMETHEUS_CONTENT_TYPE, renderMetrics } from '../metrics.js';

/**
 * livenessRoutes serves /healthz for container orchestrators: 200 while the process and the store
 * answer, 503 when a trivial store read fails. Unlike /health it says nothing about the news sites,
 * so a source that went quiet never gets a healthy server restarted.
 */
export function livenessRoutes(web: WebContext): Hono<Env> {
  const app = new Hono<Env>();
  app.get('/', async (c) => {
    c.header('Cache-Control', 'no-store');
    try {
      await web.deps.store.lastRunReport();
      return c.json({ ok: true });
    } catch (error) {
      web.deps.logger?.error('web: /healthz: the store does not answer', { error: errorMessage(error) });
      return c.json({ ok: false, error: errorMessage(error) }, 503);
    }
  });
  return app;
}

/** metricsRoutes serves /metrics in the Prometheus text format, read from the store on each scrape. */
export function metricsRoutes(web: WebContext): Hono<Env> {
  const app = new Hono<Env>();
  app.get('/', async (c) => {
    const [sources, lastRun, missingImages] = await Promise.all([web.healthRows(), web.deps.store.lastRunReport(), web.deps.mediaState?.missingBySource()]);
    const body = await renderMetrics({ now: web.clock.now(), sources, lastRun, missingImages });
    c.header('Cache-Control', 'no-store');
    return c.body(body, 200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE });
  });
  return app;
}
