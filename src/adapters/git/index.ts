export { publishArchive } from './publish.js';
export type { PublishOptions, PublishResult, PushResult, GitRemote } from './publish.js';
export { ensureRepo, hasChanges, summarizeChanges, parseStatusZ } from './repo.js';
export type { ChangeSummary, EnsureRepoResult, GitOptions } from './repo.js';
export { createRedactor } from './redact.js';
export type { Redactor } from './redact.js';
export { DEFAULT_GIT_TIMEOUT_MS, DEFAULT_NETWORK_TIMEOUT_MS } from './run.js';
export { openGitHistory } from './history.js';
export type { GitHistoryOptions } from './history.js';
