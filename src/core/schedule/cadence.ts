/**
 * MIN_CADENCE_SAMPLES is how many distinct publish times a source must have before its rhythm is
 * trusted: two gaps, so one odd gap (a burst, a night) cannot decide alone.
 */
export const MIN_CADENCE_SAMPLES = 3;

/**
 * medianPublishGap returns the median gap in ms between consecutive distinct publish times, or
 * `undefined` when fewer than MIN_CADENCE_SAMPLES usable times are known. Times in the future are
 * ignored: feeds post-date items (time zone mistakes) and one such item would make a fake gap.
 */
export function medianPublishGap(times: readonly number[] | undefined, now: number): number | undefined {
  if (times === undefined) return undefined;
  const sorted = [...new Set(times.filter((t) => Number.isFinite(t) && t <= now))].sort((a, b) => a - b);
  if (sorted.length < MIN_CADENCE_SAMPLES) return undefined;
  const gaps: number[] = [];
  for (let i = 1; i < sorted.length; i += 1) gaps.push((sorted[i] ?? 0) - (sorted[i - 1] ?? 0));
  gaps.sort((a, b) => a - b);
  const middle = Math.floor(gaps.length / 2);
  const median = gaps.length % 2 === 1 ? gaps[middle] : ((gaps[middle - 1] ?? 0) + (gaps[middle] ?? 0)) / 2;
  return median !== undefined && median > 0 ? median : undefined;
}

/** newestTime returns the latest finite time not after `now` among the given ones. */
export function newestTime(now: number, ...groups: (readonly (number | undefined)[] | undefined)[]): number | undefined {
  let newest: number | undefined;
  for (const group of groups) {
    for (const time of group ?? []) {
      if (time === undefined || !Number.isFinite(time) || time > now) continue;
      if (newest === undefined || time > newest) newest = time;
    }
  }
  return newest;
}
