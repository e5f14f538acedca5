/** DEFAULT_RECHECK_SCHEDULE is how long after first sight an article's page is looked at again: 1 h, 6 h, 24 h, 3 d, 7 d, 30 d. */
export const DEFAULT_RECHECK_SCHEDULE: readonly string[] = ['1h', '6h', '24h', '3d', '7d', '30d'];

/** DEFAULT_CONFIRM_HOURS is the least time between the two gone checks that confirm a removal. */
export const DEFAULT_CONFIRM_HOURS = 6;

/** RecheckPolicy is the schedule and the confirmation rule for one source's articles. */
export interface RecheckPolicy {
  /** Offsets from first sight, ascending, in ms. */
  stepsMs: readonly number[];
  confirmMs: number;
  /** After an unreachable check during a pending removal, look again this much later (at most). */
  retryMs: number;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * parseDuration reads `90m`, `6h`, `3d` (a number and a unit) as ms; undefined when malformed.
 *
 * @example parseDuration('3d') // 259200000
 */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([mhd])$/.exec(text.trim());
  if (match === null) return undefined;
  const ms = Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  return ms > 0 ? ms : undefined;
}

/** nextStepAt is the first scheduled check after `now` (first sight + a step), or undefined once the schedule is done. */
export function nextStepAt(policy: RecheckPolicy, firstSeen: number, now: number): number | undefined {
  for (const step of policy.stepsMs) if (firstSeen + step > now) return firstSeen + step;
  return undefined;
}
