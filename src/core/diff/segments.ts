/**
 * The diff inside one paragraph: tokens aligned by Myers, then small coincidental equalities folded
 * into the change around them, so a rewritten sentence reads as one deletion and one insertion
 * instead of a comb of single characters that happen to match (的, 了, a comma).
 */
import { diffSequences } from './myers.js';

/** SegmentOp is what a piece of text did between two versions. */
export type SegmentOp = 'equal' | 'delete' | 'insert';

/** DiffSegment is a piece of text kept, deleted or inserted, in reading order (deleted before inserted). */
export interface DiffSegment {
  op: SegmentOp;
  text: string;
}

/** Interner gives each distinct token a number, so the diff compares integers. */
export class Interner {
  private readonly ids = new Map<string, number>();

  /** intern returns the numbers of the tokens, giving new ones the next free number. */
  intern(tokens: readonly string[]): Int32Array {
    const out = new Int32Array(tokens.length);
    for (let index = 0; index < tokens.length; index++) {
      const token = tokens[index] as string;
      let id = this.ids.get(token);
      if (id === undefined) {
        id = this.ids.size;
        this.ids.set(token, id);
      }
      out[index] = id;
    }
    return out;
  }
}

/**
 * Past this many tokens deleted plus inserted in one paragraph, it is shown as replaced whole: the search
 * keeps one row per step, so its memory grows with the square of this bound (about 4 MB here).
 */
const MAX_PARAGRAPH_COST = 1000;

/** Region is a stretch of a paragraph diff: text both versions share, or a change. */
type Region = { equal: string[] } | { deleted: string[]; inserted: string[] };

/**
 * diffTokens diffs two paragraphs given as tokens and returns the segments after semantic cleanup.
 * Identical input gives one equal segment; a paragraph past the cost bound is one delete and one insert.
 */
export function diffTokens(before: readonly string[], after: readonly string[], interner: Interner = new Interner()): DiffSegment[] {
  const runs = diffSequences(interner.intern(before), interner.intern(after), MAX_PARAGRAPH_COST) ?? [
    { op: 'delete' as const, count: before.length },
    { op: 'insert' as const, count: after.length },
  ];
  const regions: Region[] = [];
  let inBefore = 0;
  let inAfter = 0;
  for (const run of runs) {
    if (run.count === 0) continue;
    if (run.op === 'equal') {
      regions.push({ equal: before.slice(inBefore, inBefore + run.count) });
      inBefore += run.count;
      inAfter += run.count;
      continue;
    }
    const last = regions.at(-1);
    const change = last !== undefined && !('equal' in last) ? last : { deleted: [], inserted: [] };
    if (change !== last) regions.push(change);
    if (run.op === 'delete') {
      change.deleted.push(...before.slice(inBefore, inBefore + run.count));
      inBefore += run.count;
    } else {
      change.inserted.push(...after.slice(inAfter, inAfter + run.count));
      inAfter += run.count;
    }
  }
  return toSegments(foldCoincidences(regions));
}

/**
 * foldCoincidences folds an equality into the changes on both sides of it when it has no more tokens
 * than the larger side of each (the semantic cleanup of Neil Fraser's diff-match-patch): in a rewritten
 * sentence a shared 的 is chance, not something the editor kept. Repeats until nothing folds.
 */
function foldCoincidences(regions: Region[]): Region[] {
  let folded = true;
  let current = regions;
  while (folded) {
    folded = false;
    const out: Region[] = [];
    for (let index = 0; index < current.length; index++) {
      const region = current[index] as Region;
      const previous = out.at(-1);
      const next = current[index + 1];
      if ('equal' in region && previous !== undefined && !('equal' in previous) && next !== undefined && !('equal' in next)) {
        const length = region.equal.length;
        if (length <= sideLength(previous) && length <= sideLength(next)) {
          out[out.length - 1] = { deleted: [...previous.deleted, ...region.equal, ...next.deleted], inserted: [...previous.inserted, ...region.equal, ...next.inserted] };
          index++;
          folded = true;
          continue;
        }
      }
      out.push(region);
    }
    current = out;
  }
  return current;
}

function sideLength(change: { deleted: string[]; inserted: string[] }): number {
  return Math.max(change.deleted.length, change.inserted.length);
}

function toSegments(regions: readonly Region[]): DiffSegment[] {
  const segments: DiffSegment[] = [];
  for (const region of regions) {
    if ('equal' in region) {
      segments.push({ op: 'equal', text: region.equal.join('') });
      continue;
    }
    if (region.deleted.length > 0) segments.push({ op: 'delete', text: region.deleted.join('') });
    if (region.inserted.length > 0) segments.push({ op: 'insert', text: region.inserted.join('') });
  }
  return segments;
}
