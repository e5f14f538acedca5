import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProgress, formatRunSummary } from './progress.js';
import type { SourceReport } from '../core/model/index.js';

const report = (sourceId: string, fields: Partial<SourceReport> = {}): SourceReport => ({
  sourceId, status: 'ok', fetchedItems: 3, newArticles: 2, editedArticles: 1, unchangedArticles: 0, failedItems: 0, errors: [], warnings: [], durationMs: 5, ...fields,
});

describe('progress', () => {
  it('PR-01 on a terminal, one line per source is redrawn in place', () => {
    let out = '';
    const progress = createProgress({ write: (text: string) => (out += text), isTTY: true, columns: 100 }, ['rfi', 'bbc']);
    progress.onProgress({ type: 'start', sourceId: 'rfi' });
    progress.onProgress({ type: 'done', report: report('rfi') });
    assert.ok(out.includes('\u001b[2A'), 'the cursor goes back up over the two lines');
    assert.match(out, /rfi +ok +fetched 3 \/ new 2 \/ edited 1 \/ unchanged 0 \/ failed 0/);
    assert.match(out, /bbc +waiting/);
  });

  it('PR-02 off a terminal, plain lines for finished sources only', () => {
    let out = '';
    const progress = createProgress({ write: (text: string) => (out += text), isTTY: false }, ['rfi']);
    progress.onProgress({ type: 'start', sourceId: 'rfi' });
    assert.equal(out, '');
    progress.onProgress({ type: 'done', report: report('rfi', { status: 'failed', errors: [{ code: 'timeout', stage: 'fetch', message: 'fetch: rfi: timed out' }] }) });
    assert.match(out, /^rfi +FAILED timeout .*: fetch: rfi: timed out\n$/);
  });

  it('PR-03 the summary counts every source and lists its errors with stage and code', () => {
    const text = formatRunSummary({ id: 'r1', startedAt: 0, finishedAt: 1500, sources: [report('rfi'), report('bbc', { status: 'not-modified', newArticles: 0, editedArticles: 0 })] });
    assert.match(text, /^sync r1: 2 source\(s\) in 1\.5 s — new 2, edited 1, unchanged 0, failed items 0, failed sources 0, not modified 1$/m);
  });

  it('PR-04 on a full disk the summary says which stored articles have no file yet, how the run ended, and the hint once', () => {
    const full = { code: 'no-space', stage: 'archive', message: 'archive: cannot write articles/rfi/x.md: no space left on the device' };
    const text = formatRunSummary(
      { id: 'r2', startedAt: 0, finishedAt: 0, sources: [report('rfi', { status: 'failed', errors: [full] }), report('bbc', { status: 'failed', errors: [{ ...full, code: 'no-space' }] })] },
      { pendingFiles: new Map([['rfi', 2], ['bbc', 0]]), finishError: { code: 'no-space', message: 'archive: cannot write README.md: no space left on the device' } },
    );
    assert.match(text, /^ {2}files not written 2: stored, and written by the next run \(rfi 2\)$/m);
    assert.match(text, /^ {2}run: the sources were synced, but finishing the run failed: archive: cannot write README\.md: no space left on the device$/m);
    assert.equal(text.match(/^hint \(no-space\): free some space/gm)?.length, 1);
  });
});
