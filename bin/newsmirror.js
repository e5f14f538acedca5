#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';

// V8 lets the old generation grow to about four times what survived the last full GC before collecting
// again. A sync keeps ~35 MB alive but promotes each source's feed, plan and files while they wait on
// the store and the disk, so the heap reached four times that; growing by half keeps a cold 15,000-article
// sync under 200 MB at the same CPU time (decision D25 in docs/decisions.md).
setFlagsFromString('--heap-growing-percent=50');
await import('../dist/cli/bin.js');
