/** The parse stage: bytes of any supported feed format to one FeedDoc. */
export { parseFeed } from './parse-feed.js';
export { parseDate } from './common/dates.js';
export type { Enclosure, Entry, FeedDoc, ParseOptions, Person } from '../model/feed.js';
