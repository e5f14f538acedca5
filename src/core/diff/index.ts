/**
 * diff: what changed between two versions of an article, at the granularity a Chinese reader needs
 * (paragraphs aligned, then characters of Han text and words of other scripts). Pure.
 */
export { MEDIA_MARK, parseBlocks, tokenize } from './blocks.js';
export type { DiffBlock } from './blocks.js';
export { diffTokens } from './segments.js';
export type { DiffSegment, SegmentOp } from './segments.js';
export { diffVersions } from './versions.js';
export type { BlockDiff, DiffStats, VersionDiff, VersionText } from './versions.js';
