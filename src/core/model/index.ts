export type { Person, Enclosure, Entry, FeedDoc, ParseOptions } from './feed.js';
export type { Article, KnownArticle, ArticleVersion, RawItem, GuidPolicy, FulltextMode, SuspectReason, SuspectVersion } from './article.js';
export { LIMITS, capText, type Limits } from './limits.js';
export type { Source } from './source.js';
export type { ErrorInfo, Health, SourceReport, RunReport, SourceState } from './report.js';
export type { RecheckOutcome, RecheckState, RemovalEvidence, Removal, RemovedArticle } from './recheck.js';
