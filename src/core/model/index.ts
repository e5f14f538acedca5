export type { Person, Enclosure, Entry, FeedDoc, ParseOptions } from './feed.js';
export type { Article, KnownArticle, ArticleVersion, RawItem, GuidPolicy, FulltextMode } from './article.js';
export type { Source } from './source.js';
export type { ErrorInfo, SourceReport, RunReport, SourceState } from './report.js';
