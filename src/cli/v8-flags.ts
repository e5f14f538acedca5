/**
 * The V8 flags bin/newsmirror.js sets before it loads the CLI, here so that a benchmark running a
 * command's code in-process (bench/import.ts) runs it as the command does.
 *
 * - `--heap-growing-percent=50`: V8 lets the old generation grow to about four times what survived
 *   the last full GC before collecting again. A sync keeps ~35 MB alive but promotes each source's
 *   feed, plan and files while they wait on the store and the disk, so the heap reached four times
 *   that; growing by half keeps a cold 15,000-article sync under 200 MB at the same CPU time (D25).
 * - `--interrupt-budget=270336` (four times Node 20's V8 default): a function is optimized only after
 *   it has run four times the bytecode the default asks for. The parse, clean and store code of a short-lived
 *   process (`worker --once`, `sync` from cron) was optimized before it had seen the feeds' rarer
 *   branches, then deoptimized and compiled again, up to eight times a function; half of the compiles
 *   go, and the CPU per article of a cold worker falls by a tenth. A long-running process optimizes the
 *   same code a little later (D33).
 */
export const CLI_V8_FLAGS: readonly string[] = ['--heap-growing-percent=50', '--interrupt-budget=270336'];
