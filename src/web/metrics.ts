/**
 * The Prometheus exposition of /metrics, the one module that knows prom-client. Every scrape builds
 * a fresh registry from a snapshot read from the store: the serving process and the syncing one are
 * different processes, so counters kept in memory here would count nothing; and a source removed
 * from the config disappears from the next scrape instead of lingering as a stale series.
 */
import { Gauge, Registry } from 'prom-client';
import type { RunReport } from '../core/model/index.js';
import type { HealthStatus, WebHealthRow } from './context.js';

/** HEALTH_STATES are the values of `newsmirror_source_state`'s `state` label, one series each. */
const HEALTH_STATES: readonly HealthStatus[] = ['ok', 'failing', 'stale', 'never', 'disabled'];

/** MetricsSnapshot is what one scrape reports, read from the store at that moment. */
export interface MetricsSnapshot {
  now: number;
  sources: WebHealthRow[];
  lastRun?: RunReport;
  /** Images still missing per source; absent when media mirroring is off. */
  missingImages?: ReadonlyMap<string, number>;
}

/** PROMETHEUS_CONTENT_TYPE is the text exposition format's media type. */
export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/**
 * renderMetrics renders a snapshot in the Prometheus text format: per source its state, articles,
 * age of the last success, consecutive fetch failures by error code and missing images; for the last
 * run its duration, finish time, per-source durations and errors by stage and code.
 *
 * @example
 * const body = await renderMetrics({ now: Date.now(), sources: await web.healthRows(), lastRun });
 */
export async function renderMetrics(snapshot: MetricsSnapshot): Promise<string> {
  const registry = new Registry();
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> =>
    new Gauge({ name, help, labelNames, registers: [registry] });

  const state = gauge('newsmirror_source_state', 'Health of each source: 1 for its current state (ok, failing, stale, never, disabled), 0 for the others.', ['source', 'state']);
  const articles = gauge('newsmirror_source_articles', 'Articles stored per source.', ['source']);
  const successAge = gauge('newsmirror_source_last_success_age_seconds', 'Seconds since the last successful fetch of each source (absent before the first).', ['source']);
  const failures = gauge(
    'newsmirror_source_fetch_errors',
    'Consecutive failed fetches of each source, labelled with the error code of the last one (0 with code "none" when it works).',
    ['source', 'code'],
  );
  for (const row of snapshot.sources) {
    const source = row.source.id;
    for (const value of HEALTH_STATES) state.set({ source, state: value }, row.status === value ? 1 : 0);
    articles.set({ source }, row.summary.articleCount);
    if (row.state?.lastSuccessAt !== undefined) successAge.set({ source }, Math.max(0, (snapshot.now - row.state.lastSuccessAt) / 1000));
    const failing = row.state?.consecutiveFailures ?? 0;
    failures.set({ source, code: failing > 0 ? (row.state?.lastErrorCode ?? 'unknown') : 'none' }, failing);
  }

  if (snapshot.missingImages) {
    const missing = gauge('newsmirror_images_missing', 'Images of stored articles not mirrored yet, per source.', ['source']);
    for (const row of snapshot.sources) missing.set({ source: row.source.id }, snapshot.missingImages.get(row.source.id) ?? 0);
  }

  const run = snapshot.lastRun;
  if (run) {
    gauge('newsmirror_last_run_duration_seconds', 'Wall time of the last sync run.', []).set((run.finishedAt - run.startedAt) / 1000);
    gauge('newsmirror_last_run_finished_timestamp_seconds', 'When the last sync run finished (Unix time).', []).set(run.finishedAt / 1000);
    const sourceDuration = gauge('newsmirror_last_run_source_duration_seconds', 'Time each source took in the last sync run.', ['source']);
    const errors = gauge('newsmirror_last_run_errors', 'Errors of the last sync run per source, stage and error code.', ['source', 'stage', 'code']);
    for (const report of run.sources) {
      sourceDuration.set({ source: report.sourceId }, report.durationMs / 1000);
      for (const error of report.errors) errors.inc({ source: report.sourceId, stage: error.stage, code: error.code });
    }
  }
  return registry.metrics();
}
