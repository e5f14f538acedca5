/**
 * A node:test reporter run beside `spec` by `npm test`: at the end of the run it prints one line with
 * the number of tests skipped for want of the shared corpus and how to run them, so a missing corpus
 * is never silent. Plain JavaScript: node loads reporters before tsx's hooks are in place.
 */

// Must match CORPUS_SKIP_PREFIX in corpus.ts, which starts every such skip reason.
const PREFIX = 'needs the shared corpus';

/**
 * corpusReporter counts the tests skipped with the corpus reason and reports them once.
 * @param {AsyncIterable<{ type: string, data: { skip?: string | boolean, details?: { type?: string } } }>} source
 * @returns {AsyncGenerator<string>}
 */
export default async function* corpusReporter(source) {
  let skipped = 0;
  let reason = '';
  for await (const event of source) {
    if (event.type !== 'test:pass' || event.data.details?.type === 'suite') continue;
    if (typeof event.data.skip === 'string' && event.data.skip.startsWith(PREFIX)) {
      skipped++;
      reason = event.data.skip;
    }
  }
  yield skipped === 0 ? '\ncorpus tests skipped: 0\n' : `\ncorpus tests skipped: ${skipped} (${reason})\n`;
}
