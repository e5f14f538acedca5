/** GuidPolicy says how an entry's identity key is chosen for a source. */
export type GuidPolicy = 'auto' | 'url' | 'guid';

/** FulltextMode says when the article page is fetched for its full text. */
export type FulltextMode = 'feed' | 'page' | 'auto';

/** Article is one stored article at its current version. */
export interface Article {
  /** Stable id derived from source and identity key: 16 chars of [a-z2-7]. Never a counter. */
  id: string;
  sourceId: string;
  /** Identity key within the source (canonical URL, or `guid:…` / `hash:…`). */
  key: string;
  /** The link as the feed gave it (absolute). */
  url: string;
  canonicalUrl: string;
  guid?: string;
  title: string;
  /** The site's column the title named (RFI's ` - 美国专栏`), cut from the title by its title rules. */
  column?: string;
  /** Cleaned, sanitized body HTML, one block element per line. */
  bodyHtml: string;
  /** Publication time (epoch ms); the first-seen time when the feed gave none. */
  published: number;
  /** True when `published` is the first-seen time because the item had no usable date. */
  dateMissing: boolean;
  /** Last time the publisher or our edit detection says it changed. */
  updated?: number;
  firstSeen: number;
  /** sha256 hex of the item as received (title + content), the edit detector. */
  contentHash: string;
  /** 1 for the first version, +1 for each edit. */
  version: number;
  /** Archive-relative path of the article file; fixed at first insert. */
  path: string;
  /** How the body was produced: `feed`, `jsonld`, `rule`, `generic`… */
  method: string;
  authors: string[];
  categories: string[];
  /** Time the item was last seen in the feed; deletion detection reads it. */
  lastSeen: number;
}

/**
 * KnownArticle is what the sync reads of a stored article to tell an item new, edited or unchanged:
 * no body, so matching a whole feed against the store stays cheap. An edit carries forward the
 * canonical URL, GUID, publication date and method of the stored article, so those come along.
 */
export type KnownArticle = Pick<
  Article,
  'id' | 'key' | 'url' | 'canonicalUrl' | 'guid' | 'contentHash' | 'version' | 'path' | 'published' | 'dateMissing' | 'method' | 'firstSeen'
> & {
  /** Content hash of the article's newest pending suspect version, if any: seeing it again is no change. */
  suspectHash?: string;
};

/** ArticleVersion is an earlier (or the current) state of an edited article. */
export interface ArticleVersion {
  articleId: string;
  version: number;
  title: string;
  bodyHtml: string;
  contentHash: string;
  /** When this version was first seen. */
  seenAt: number;
}

/**
 * SuspectReason says why a new version was held back: its visible text is much shorter than the
 * current one's, it is empty, or it comes from a document the parser had to recover.
 */
export type SuspectReason = 'shorter' | 'empty' | 'recovered';

/**
 * SuspectVersion is a new version of a known article that a degraded feed may have produced: it is
 * stored, but the article's current title and body (and its archive file) stay as they were until
 * a clean fetch confirms it (see docs/decisions.md, "Suspect versions").
 */
export interface SuspectVersion {
  articleId: string;
  sourceId: string;
  title: string;
  /** Cleaned, sanitized body HTML, as an edit would have stored it. */
  bodyHtml: string;
  /** The entry's content hash: the same hash in a later clean fetch promotes it. */
  contentHash: string;
  reason: SuspectReason;
  /** When it was last seen (first seen when stored for the first time). */
  seenAt: number;
  /** JSON of the parsed Entry before cleaning, as RawItem keeps it. */
  entryJson: string;
  fetchedFrom: string;
}

/** RawItem is an entry exactly as received, kept so cleaning can be re-run. */
export interface RawItem {
  articleId: string;
  version: number;
  /** JSON of the parsed Entry before cleaning. */
  entryJson: string;
  /** The feed or page URL the item came from. */
  fetchedFrom: string;
}
