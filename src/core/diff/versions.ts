/**
 * diffVersions: what changed between two versions of an article, paragraph by paragraph, then inside
 * each changed paragraph by character (Han) or word (other scripts). The result is data that an inline
 * view (segments in order) and a side-by-side view (the old side and the new side of each row) both read.
 */
import { parseBlocks, tokenize, type DiffBlock } from './blocks.js';
import { diffSequences } from './myers.js';
import { Interner, diffTokens, type DiffSegment } from './segments.js';

/**
 * BlockDiff is one row of the diff: a paragraph both versions hold unchanged, one only the old or only
 * the new version holds, or a paragraph that changed (`segments` in reading order).
 */
export type BlockDiff =
  | { op: 'equal'; tag: string; text: string }
  | { op: 'delete'; tag: string; text: string }
  | { op: 'insert'; tag: string; text: string }
  | { op: 'change'; tag: string; segments: DiffSegment[] };

/** DiffStats counts a diff for a summary line: characters and paragraphs deleted and inserted. */
export interface DiffStats {
  deletedChars: number;
  insertedChars: number;
  changedBlocks: number;
  deletedBlocks: number;
  insertedBlocks: number;
}

/** VersionDiff is the difference between two versions: the title's segments, the body's rows, counts. */
export interface VersionDiff {
  title: DiffSegment[];
  titleChanged: boolean;
  blocks: BlockDiff[];
  stats: DiffStats;
  /** True when the visible text is the same (the versions differ in markup or whitespace only). */
  same: boolean;
}

/** VersionText is what the diff reads of a version: its title and its (sanitized) body HTML. */
export interface VersionText {
  title: string;
  bodyHtml: string;
}

// Paragraph alignment: past this many paragraphs added plus removed the bodies share nothing worth aligning.
const MAX_BLOCK_COST = 1000;
// A removed and an added paragraph in the same place are one edited paragraph when at least this
// share of their character pairs is common (Dice coefficient over character bigrams).
const PAIR_SIMILARITY = 0.4;
// Pairing compares every removed with every added paragraph of a changed stretch; larger stretches
// are rewrites, shown as removed and added paragraphs.
const MAX_PAIRINGS = 10_000;

/**
 * diffVersions compares two versions of an article. Paragraphs are aligned first (equal text, ignoring
 * whitespace), then each removed paragraph is paired with a similar added one in the same stretch, and
 * a pair is diffed by token. Pure and deterministic.
 *
 * @example
 * const diff = diffVersions({ title: '旧标题', bodyHtml: '<p>北京下雨了。</p>' }, { title: '新标题', bodyHtml: '<p>上海下雨了。</p>' });
 * diff.blocks // → [{ op: 'change', tag: 'p', segments: [{ op: 'delete', text: '北京' }, { op: 'insert', text: '上海' }, { op: 'equal', text: '下雨了。' }] }]
 */
export function diffVersions(before: VersionText, after: VersionText): VersionDiff {
  const interner = new Interner();
  const oldTitle = before.title.replace(/\s+/g, ' ').trim();
  const newTitle = after.title.replace(/\s+/g, ' ').trim();
  const title = oldTitle === newTitle ? [{ op: 'equal' as const, text: newTitle }] : diffTokens(tokenize(oldTitle), tokenize(newTitle), interner);
  const blocks = alignBlocks(parseBlocks(before.bodyHtml), parseBlocks(after.bodyHtml), interner);
  const stats = countChanges(blocks);
  const titleChanged = oldTitle !== newTitle;
  return { title, titleChanged, blocks, stats, same: !titleChanged && stats.changedBlocks + stats.deletedBlocks + stats.insertedBlocks === 0 };
}

function alignBlocks(before: DiffBlock[], after: DiffBlock[], interner: Interner): BlockDiff[] {
  const paragraphs = new Interner();
  const runs = diffSequences(
    paragraphs.intern(before.map((block) => block.text)),
    paragraphs.intern(after.map((block) => block.text)),
    MAX_BLOCK_COST,
  ) ?? [
    { op: 'delete' as const, count: before.length },
    { op: 'insert' as const, count: after.length },
  ];
  const out: BlockDiff[] = [];
  let inBefore = 0;
  let inAfter = 0;
  let removed: DiffBlock[] = [];
  let added: DiffBlock[] = [];
  const settle = (): void => {
    out.push(...pairStretch(removed, added, interner));
    removed = [];
    added = [];
  };
  for (const run of runs) {
    if (run.op === 'equal') {
      settle();
      for (let index = 0; index < run.count; index++) {
        const block = after[inAfter + index] as DiffBlock;
        out.push({ op: 'equal', tag: block.tag, text: block.text });
      }
      inBefore += run.count;
      inAfter += run.count;
    } else if (run.op === 'delete') {
      removed = removed.concat(before.slice(inBefore, inBefore + run.count));
      inBefore += run.count;
    } else {
      added = added.concat(after.slice(inAfter, inAfter + run.count));
      inAfter += run.count;
    }
  }
  settle();
  return out;
}

/**
 * pairStretch turns a stretch of removed and added paragraphs into rows: each removed paragraph is
 * paired, in order, with the most similar added paragraph after the last pair (a paragraph moved
 * across others stays a removal and an addition), and the rest are plain removals and additions.
 */
function pairStretch(removed: DiffBlock[], added: DiffBlock[], interner: Interner): BlockDiff[] {
  const rows: BlockDiff[] = [];
  let nextAdded = 0;
  const addUpTo = (end: number): void => {
    for (; nextAdded < end; nextAdded++) {
      const block = added[nextAdded] as DiffBlock;
      rows.push({ op: 'insert', tag: block.tag, text: block.text });
    }
  };
  const comparable = removed.length * added.length <= MAX_PAIRINGS;
  const addedBigrams = comparable ? added.map((block) => bigrams(block.text)) : [];
  for (const block of removed) {
    let best = -1;
    let bestScore = PAIR_SIMILARITY;
    if (comparable) {
      const own = bigrams(block.text);
      for (let index = nextAdded; index < added.length; index++) {
        const score = dice(own, addedBigrams[index] as Map<string, number>);
        if (score >= bestScore && (best < 0 || score > bestScore)) {
          best = index;
          bestScore = score;
        }
      }
    }
    if (best < 0) {
      rows.push({ op: 'delete', tag: block.tag, text: block.text });
      continue;
    }
    addUpTo(best);
    const partner = added[best] as DiffBlock;
    rows.push({ op: 'change', tag: partner.tag, segments: diffTokens(tokenize(block.text), tokenize(partner.text), interner) });
    nextAdded = best + 1;
  }
  addUpTo(added.length);
  return rows;
}

function bigrams(text: string): Map<string, number> {
  const chars = [...text.replace(/\s+/g, '')];
  const counts = new Map<string, number>();
  if (chars.length === 1) counts.set(chars[0] as string, 1);
  for (let index = 0; index + 1 < chars.length; index++) {
    const pair = `${chars[index] as string}${chars[index + 1] as string}`;
    counts.set(pair, (counts.get(pair) ?? 0) + 1);
  }
  return counts;
}

function dice(a: Map<string, number>, b: Map<string, number>): number {
  let total = 0;
  let shared = 0;
  for (const count of a.values()) total += count;
  for (const [pair, count] of b) {
    total += count;
    shared += Math.min(count, a.get(pair) ?? 0);
  }
  return total === 0 ? 0 : (2 * shared) / total;
}

function countChanges(blocks: readonly BlockDiff[]): DiffStats {
  const stats: DiffStats = { deletedChars: 0, insertedChars: 0, changedBlocks: 0, deletedBlocks: 0, insertedBlocks: 0 };
  for (const block of blocks) {
    if (block.op === 'delete') {
      stats.deletedBlocks++;
      stats.deletedChars += [...block.text].length;
    } else if (block.op === 'insert') {
      stats.insertedBlocks++;
      stats.insertedChars += [...block.text].length;
    } else if (block.op === 'change') {
      stats.changedBlocks++;
      for (const segment of block.segments) {
        if (segment.op === 'delete') stats.deletedChars += [...segment.text].length;
        else if (segment.op === 'insert') stats.insertedChars += [...segment.text].length;
      }
    }
  }
  return stats;
}
