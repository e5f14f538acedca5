/**
 * A node:test reporter run beside `spec` by `npm test`: at the end of the run it prints one line with
 * the number of tests skipped for want of the shared corpus and how to run them, so a missing corpus
 * is never silent, and one line when the PostgreSQL tests were skipped for want of a server. Plain
 * JavaScript: node loads reporters before tsx's hooks are in place.
 */

// Must match CORPUS_SKIP_PREFIX in corpus.ts, which starts every such skip reason.
const PREFIX = 'needs the shared corpus';
// Must match POSTGRES_SKIP in postgres.ts; PostgreSQL suites are skipped whole, so suites count here.
const POSTGRES_PREFIX = 'postgres tests skipped';

/**
 * corpusReporter counts the tests skipped with the corpus reason and reports them once, and the
 * PostgreSQL skip reason once if any suite had it.
 * @param {AsyncIterable<{ type: string, data: { skip?: string | boolean, details?: { type?: string } } }>} source
 * @returns {AsyncGenerator<string>}
 */
export default async function* corpusReporter(source) {
  let skipped = 0;
  let reason = '';
  let postgres = '';
  for await (const event of source) {
    if (event.type !== 'test:pass') continue;
    const skip = event.data.skip;
    if (typeof skip === 'string' && skip.startsWith(POSTGRES_PREFIX)) postgres = skip;
    if (event.data.details?.type === 'suite') continue;
    if (typeof skip === 'string' && skip.startsWith(PREFIX)) {
      skipped++;
      reason = skip;
    }
  }
  yield skipped === 0 ? '\ncorpus tests skipped: 0\n' : `\ncorpus tests skipped: ${skipped} (${reason})\n`;
  if (postgres !== '') yield `${postgres}\n`;
}
