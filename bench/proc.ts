/** CPU times from Linux's /proc, shared by the benches that split a run's processor time. */
import { readFileSync } from 'node:fs';

/** ProcTimes is a process's (or one thread's) CPU milliseconds: its own user and system time, and its waited-for children's. */
export interface ProcTimes {
  user: number;
  system: number;
  children: number;
}

// Linux's USER_HZ: /proc reports CPU time in hundredths of a second.
const TICK_MS = 10;

/**
 * procTimes reads `/proc/<pid>/stat`, or one thread's `/proc/<pid>/task/<thread>/stat`. Throws when
 * the process or thread is gone.
 *
 * @example
 * const { user, system } = procTimes('self', process.pid); // the main thread alone
 */
export function procTimes(pid: number | 'self', thread?: number | string): ProcTimes {
  const stat = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: utime is the 12th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  return { user: (fields[11] ?? 0) * TICK_MS, system: (fields[12] ?? 0) * TICK_MS, children: ((fields[13] ?? 0) + (fields[14] ?? 0)) * TICK_MS };
}
