/**
 * Myers' O(ND) difference algorithm ("An O(ND) Difference Algorithm and Its Variations", 1986) over
 * sequences of interned tokens. Common prefix and suffix are trimmed first: most edits of a news
 * article touch a few places, so the search runs on the small middle.
 */

/** EditOp is what a run of an edit script does: keep, remove from the old side, or add from the new side. */
export type EditOp = 'equal' | 'delete' | 'insert';

/** EditRun is `count` consecutive tokens with the same op, in order through both sequences. */
export interface EditRun {
  op: EditOp;
  count: number;
}

/**
 * diffSequences returns a shortest edit script turning `before` into `after`, as runs in order (deletes
 * before inserts where they meet), or `undefined` when more than `maxCost` tokens would have to be
 * deleted or inserted: the caller then treats the two as unrelated, which is what they are by then.
 */
export function diffSequences(before: ArrayLike<number>, after: ArrayLike<number>, maxCost: number): EditRun[] | undefined {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  const middle = shortestScript(before, after, start, endBefore, start, endAfter, maxCost);
  if (middle === undefined) return undefined;
  const runs: EditRun[] = [];
  push(runs, 'equal', start);
  for (const run of middle) push(runs, run.op, run.count);
  push(runs, 'equal', before.length - endBefore);
  return runs;
}

function push(runs: EditRun[], op: EditOp, count: number): void {
  if (count === 0) return;
  const last = runs.at(-1);
  if (last?.op === op) last.count += count;
  else runs.push({ op, count });
}

function shortestScript(a: ArrayLike<number>, b: ArrayLike<number>, a0: number, a1: number, b0: number, b1: number, maxCost: number): EditRun[] | undefined {
  const n = a1 - a0;
  const m = b1 - b0;
  if (n === 0 || m === 0) {
    const runs: EditRun[] = [];
    push(runs, 'delete', n);
    push(runs, 'insert', m);
    return n + m > maxCost ? undefined : runs;
  }
  const max = Math.min(n + m, maxCost);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] is v over diagonals -d..d before step d, what the walk back needs.
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number)) ? (v[offset + k + 1] as number) : (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[a0 + x] === b[b0 + y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return undefined;

  const reversed: EditRun[] = [];
  const back = (op: EditOp, count: number): void => {
    if (count === 0) return;
    const last = reversed.at(-1);
    if (last?.op === op) last.count += count;
    else reversed.push({ op, count });
  };
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const previous = trace[d] as Int32Array;
    const at = (k: number): number => previous[k + d] as number;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const previousK = down ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    const snakeStart = down ? previousX : previousX + 1;
    back('equal', x - snakeStart);
    back(down ? 'insert' : 'delete', 1);
    x = previousX;
    y = previousY;
  }
  back('equal', x);
  // Between two equal runs, one delete run then one insert run: readers expect the old text first.
  const runs: EditRun[] = [];
  let deleted = 0;
  let inserted = 0;
  for (let index = reversed.length - 1; index >= 0; index--) {
    const run = reversed[index] as EditRun;
    if (run.op === 'delete') deleted += run.count;
    else if (run.op === 'insert') inserted += run.count;
    else {
      push(runs, 'delete', deleted);
      push(runs, 'insert', inserted);
      deleted = 0;
      inserted = 0;
      push(runs, 'equal', run.count);
    }
  }
  push(runs, 'delete', deleted);
  push(runs, 'insert', inserted);
  return runs;
}
