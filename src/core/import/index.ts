export { DUTYMACHINE_FOLDERS, parseDutyMachinePath, readDutyMachineFile } from './dutymachine-file.js';
export type { DutyMachineFile, DutyMachinePath, UnreadableReason } from './dutymachine-file.js';
export type { ArchiveHistory, HistoryCommit, HistoryFile } from './history.js';
export type { ImportTally, TalliedVersion } from './tally.js';
export { DUTYMACHINE_TREES, JEKYLL_UNCATEGORIZED, isJekyllPostPath, jekyllCategory } from './jekyll-post.js';
export type { BodyCleaner, CleanedBody, CleanRequest } from './cleaner.js';
export type { IndexBeside } from './index-beside.js';
