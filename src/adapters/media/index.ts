export { createMediaMirror } from './mirror.js';
export type { MediaMirror, MediaMirrorOptions, MirrorArticleInput, MirrorArticleResult, MirroredImage } from './mirror.js';
export { createMemoryMediaState } from './state.js';
export type { MediaFailure, MediaItemState, MediaStateStore } from './state.js';
export { MEDIA_STATE_SCHEMA, openSqliteMediaState } from './sqlite-state.js';
export type { SqliteMediaStateOptions } from './sqlite-state.js';
