import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Article } from '../model/index.js';
import type { RecheckTarget } from '../ports.js';
import { planCheck, planEarlyRechecks } from './plan.js';
import type { RecheckPolicy } from './schedule.js';
import type { PageLook, Verdict } from './verdict.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 2, 1);
const policy: RecheckPolicy = { stepsMs: [HOUR, 6 * HOUR, 24 * HOUR], confirmMs: 6 * HOUR, retryMs: HOUR };
const article: Article = {
  id: 'a1',
  sourceId: 'src',
  key: 'https://x.example/1',
  url: 'https://x.example/1',
  canonicalUrl: 'https://x.example/1',
  title: '标题',
  bodyHtml: '<p>正文</p>',
  published: T0,
  dateMissing: false,
  firstSeen: T0,
  contentHash: 'feed-hash',
  version: 1,
  path: 'articles/src/2024/03/01/0800-a1.md',
  method: 'feed',
  authors: [],
  categories: [],
  lastSeen: T0,
};
const notFound: PageLook = { kind: 'failed', code: 'http-status', status: 404, message: 'HTTP 404', finalUrl: article.url };
const gone: Verdict = { outcome: 'gone', rule: 'http-404' };
const down: PageLook = { kind: 'failed', code: 'http-status', status: 503, message: 'HTTP 503', finalUrl: article.url };
const ok: PageLook = { kind: 'page', status: 200, finalUrl: article.url, html: '', etag: '"e"' };

/** run applies a sequence of (time, look, verdict) checks the way the pass does, carrying the state forward. */
function run(steps: [number, PageLook, Verdict][]) {
  let target: RecheckTarget = { articleId: article.id, sourceId: article.sourceId, firstSeen: T0 };
  return steps.map(([now, look, verdict]) => {
    const plan = planCheck({ target, article, look, verdict, now, policy });
    const removal = plan.record.removal?.withdrawnAt === undefined ? (plan.record.removal ?? target.removal) : undefined;
    target = { ...target, state: plan.record.state, ...(removal === undefined ? {} : { removal }) };
    if (removal === undefined) delete target.removal;
    return plan;
  });
}

describe('planCheck', () => {
  it('RP-01 a removal is confirmed exactly once, by the first gone check at least confirmMs after the first', () => {
    const plans = run([
      [T0 + HOUR, notFound, gone],
      [T0 + 3 * HOUR, notFound, gone],
      [T0 + 7 * HOUR, notFound, gone],
      [T0 + 24 * HOUR, notFound, gone],
    ]);
    assert.deepEqual(plans.map((plan) => plan.event), ['opened', undefined, 'confirmed', undefined]);
    assert.deepEqual(plans.map((plan) => plan.record.markFile), [false, false, true, false]);
    assert.equal(plans[0]?.record.state.nextCheckAt, T0 + 7 * HOUR);
    assert.equal(plans[1]?.record.state.nextCheckAt, T0 + 7 * HOUR);
    assert.deepEqual(plans[2]?.record.removal?.evidence.map((e) => e.at), [T0 + HOUR, T0 + 3 * HOUR, T0 + 7 * HOUR]);
    assert.equal(plans[2]?.record.removal?.confirmedAt, T0 + 7 * HOUR);
  });

  it('RP-02 unreachable checks never open, count towards or confirm a removal', () => {
    const plans = run([
      [T0 + HOUR, down, { outcome: 'unreachable', reason: 'http-503' }],
      [T0 + 7 * HOUR, down, { outcome: 'unreachable', reason: 'http-503' }],
    ]);
    assert.ok(plans.every((plan) => plan.record.removal === undefined && plan.event === undefined && plan.record.state.goneChecks === 0));
    const pending = run([
      [T0 + HOUR, notFound, gone],
      [T0 + 7 * HOUR, down, { outcome: 'unreachable', reason: 'http-503' }],
      [T0 + 8 * HOUR, notFound, gone],
    ]);
    assert.deepEqual(pending.map((plan) => plan.event), ['opened', undefined, 'confirmed']);
    assert.equal(pending[1]?.record.state.nextCheckAt, T0 + 8 * HOUR);
  });

  it('RP-03 an article found again withdraws its removal; the file is marked only when it was confirmed', () => {
    const back: Verdict = { outcome: 'unchanged', pageHash: 'p' };
    const early = run([
      [T0 + HOUR, notFound, gone],
      [T0 + 7 * HOUR, ok, back],
    ]);
    assert.deepEqual([early[1]?.event, early[1]?.record.markFile, early[1]?.record.removal?.withdrawnAt], ['withdrawn', false, T0 + 7 * HOUR]);
    const late = run([
      [T0 + HOUR, notFound, gone],
      [T0 + 7 * HOUR, notFound, gone],
      [T0 + 24 * HOUR, ok, back],
    ]);
    assert.deepEqual([late[2]?.event, late[2]?.record.markFile], ['withdrawn', true]);
    assert.equal(late[2]?.record.state.goneChecks, 0);
  });

  it('RP-04 an edit is the next version with the feed hash kept; the schedule moves on; validators are kept', () => {
    const verdict: Verdict = { outcome: 'edited', pageHash: 'p2', title: '新标题', bodyHtml: '<p>新正文</p>', method: 'generic', extractedHtml: '<p>新正文</p>' };
    const [plan] = run([[T0 + HOUR, ok, verdict]]);
    assert.equal(plan?.change?.kind, 'edit');
    assert.deepEqual(
      [plan?.change?.article.version, plan?.change?.article.contentHash, plan?.change?.article.title, plan?.change?.raw.version],
      [2, 'feed-hash', '新标题', 2],
    );
    assert.deepEqual([plan?.record.state.pageHash, plan?.record.state.etag, plan?.record.state.nextCheckAt], ['p2', '"e"', T0 + 6 * HOUR]);
  });

  it('RP-05 the schedule ends after its last step', () => {
    const [plan] = run([[T0 + 25 * HOUR, ok, { outcome: 'unchanged' }]]);
    assert.equal(plan?.record.state.nextCheckAt, undefined);
  });
});

describe('planEarlyRechecks', () => {
  it('RP-06 an item that leaves while older ones stay gets one early check; the oldest leaving in order gets none', () => {
    const sync1 = T0;
    const sync2 = T0 + HOUR;
    const rows = [
      { articleId: 'new', published: T0 + 50, lastSeen: sync2 },
      { articleId: 'middle', published: T0 + 40, lastSeen: sync2 },
      { articleId: 'taken-down', published: T0 + 30, lastSeen: sync1 },
      { articleId: 'old', published: T0 + 20, lastSeen: sync2 },
      { articleId: 'oldest', published: T0 + 10, lastSeen: sync1 },
    ];
    assert.deepEqual(planEarlyRechecks(rows, 'src', sync2), [{ articleId: 'taken-down', sourceId: 'src', at: sync2, earlyFor: sync1 }]);
    const asked = rows.map((row) => (row.articleId === 'taken-down' ? { ...row, earlyFor: sync1 } : row));
    assert.deepEqual(planEarlyRechecks(asked, 'src', sync2), []);
    const checkedBefore = rows.map((row) => (row.articleId === 'taken-down' ? { ...row, lastCheckAt: sync1 + 1 } : row));
    assert.equal(planEarlyRechecks(checkedBefore, 'src', sync2).length, 1, 'a check before the sync that missed it does not count');
    const checked = rows.map((row) => (row.articleId === 'taken-down' ? { ...row, lastCheckAt: sync2 + 1 } : row));
    assert.deepEqual(planEarlyRechecks(checked, 'src', sync2), []);
  });
});
