import { readConfig, type Config } from '../config/index.js';
import type { Clock, Logger } from '../core/ports.js';
import { createStreamLogger } from '../adapters/log/index.js';

/** OutStream is the part of a writable stream the commands use. */
export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** CommandIO is what every command writes to: injected so tests can run commands in-process. */
export interface CommandIO {
  stdout: OutStream;
  stderr: OutStream;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** CommandArgs are the parsed flags and positionals common to all commands. */
export interface CommandArgs {
  config: string;
  sources: string[];
  positionals: string[];
  flags: Record<string, string | string[] | boolean | undefined>;
}

/** Command is one entry of the command table. */
export interface Command {
  summary: string;
  usage: string;
  run(args: CommandArgs, io: CommandIO): Promise<number>;
}

/** loadConfig reads the config named by --config (default ./newsmirror.yaml). */
export function loadConfig(args: CommandArgs): Promise<Config> {
  return readConfig(args.config);
}

/** stderrLogger logs to stderr; --quiet keeps warnings and errors only. */
export function stderrLogger(io: CommandIO, args: CommandArgs): Logger {
  return createStreamLogger((line) => io.stderr.write(line), { quiet: args.flags.quiet === true || !args.flags.verbose });
}

/**
 * clockFromEnv returns a fixed clock when NEWSMIRROR_CLOCK holds epoch ms. It exists so that
 * reproducibility tests (crash recovery, rebuild) can compare two archives byte for byte.
 */
export function clockFromEnv(env: Record<string, string | undefined>): Clock | undefined {
  const value = env.NEWSMIRROR_CLOCK;
  if (!value) return undefined;
  const fixed = Number(value);
  return Number.isFinite(fixed) ? { now: () => fixed } : undefined;
}

/**
 * shellPorts are what the command line hands the composition root: the logger on stderr and the
 * clock, fixed by NEWSMIRROR_CLOCK (see clockFromEnv) and the system's otherwise.
 */
export function shellPorts(io: CommandIO, args: CommandArgs): { logger: Logger; clock?: Clock } {
  return { logger: stderrLogger(io, args), clock: clockFromEnv(io.env) };
}
