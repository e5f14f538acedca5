import { main } from './main.js';

// A closed output (`newsmirror sync | head -1`, a log collector gone) must never stop the work: an
// EPIPE is emitted on the stream, and without a listener it would end the process mid-run. What
// cannot be shown is dropped; the store, the files and the exit code do not depend on it.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

process.exitCode = await main(process.argv.slice(2));
