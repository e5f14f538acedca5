import { Hono } from 'hono';
import { iso, type Env, type WebContext } from '../context.js';

/**
 * healthRoutes serves /health: every source's health (the verdict README and `status` show), and
 * 503 when an enabled source fails or went stale, or when none was ever fetched at all.
 */
export function healthRoutes(web: WebContext): Hono<Env> {
  const app = new Hono<Env>();
  app.get('/', async (c) => {
    const now = web.clock.now();
    const sources = (await web.healthRows()).map(({ source, state, summary, status }) => ({
      id: source.id,
      name: source.name,
      status,
      lastSuccess: iso(state?.lastSuccessAt),
      lastAttempt: iso(state?.lastAttemptAt),
      lastErrorCode: state?.consecutiveFailures ? (state.lastErrorCode ?? null) : null,
      consecutiveFailures: state?.consecutiveFailures ?? 0,
      articles: summary.articleCount,
      newestPublished: iso(summary.newestPublished),
      newestAgeSeconds: summary.newestPublished === undefined ? null : Math.max(0, Math.round((now - summary.newestPublished) / 1000)),
    }));
    const enabled = sources.filter((row) => row.status !== 'disabled');
    const healthy = enabled.every((row) => row.status === 'ok' || row.status === 'never') && (enabled.length === 0 || enabled.some((row) => row.status === 'ok'));
    c.header('Cache-Control', 'no-store');
    return c.json({ status: healthy ? 'ok' : 'degraded', checkedAt: iso(now), sources }, healthy ? 200 : 503);
  });
  return app;
}
