/** Person is an author or contributor as a feed names it. */
export interface Person {
  name?: string;
  email?: string;
  url?: string;
}

/** Enclosure is a media file attached to an entry (RSS enclosure, Atom rel=enclosure, media:content). */
export interface Enclosure {
  url: string;
  type?: string;
  length?: number;
}

/** Entry is one item of a feed, normalised across formats. Titles are text; summary and content are HTML; times are epoch ms. */
export interface Entry {
  id?: string;
  title?: string;
  link?: string;
  summary?: string;
  content?: string;
  published?: number;
  updated?: number;
  authors: Person[];
  categories: string[];
  enclosures: Enclosure[];
  rights?: string;
  language?: string;
}

/** FeedDoc is a parsed feed document. `warnings` is empty exactly when the document was well-formed. */
export interface FeedDoc {
  format: 'rss' | 'rdf' | 'atom' | 'json';
  version?: string;
  encoding?: string;
  title?: string;
  link?: string;
  description?: string;
  language?: string;
  rights?: string;
  id?: string;
  /** Feed-level ttl in minutes (RSS `<ttl>`), used by the scheduler. */
  ttl?: number;
  published?: number;
  updated?: number;
  authors: Person[];
  categories: string[];
  entries: Entry[];
  warnings: string[];
  /**
   * True when the parser had to guess at the document's structure (cut off mid-item, content after
   * the root such as an appended error page, mismatched tags): its entries may be truncated. A
   * character-level repair (an entity, a control character, a wrong encoding) leaves it false.
   */
  recovered: boolean;
}

/** ParseOptions carries what the transport knows about the bytes. */
export interface ParseOptions {
  url?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Per-source override of the character encoding (a WHATWG label such as `gbk`). */
  encoding?: string;
}
