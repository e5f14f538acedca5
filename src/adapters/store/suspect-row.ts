import type { SuspectReason, SuspectVersion } from '../../core/model/index.js';

/** SuspectRow is a `suspect_versions` row as both engines return it (the same columns, the same types). */
export interface SuspectRow {
  article_id: string;
  content_hash: string;
  source_id: string;
  title: string;
  body_html: string;
  reason: SuspectReason;
  seen_at: number;
  entry_json: string;
  fetched_from: string;
}

/** SUSPECT_COLUMNS lists the columns of a SuspectRow, in the order both stores select them. */
export const SUSPECT_COLUMNS = 'article_id, content_hash, source_id, title, body_html, reason, seen_at, entry_json, fetched_from';

/** suspectFromRow maps a stored suspect version back to the core's SuspectVersion. */
export function suspectFromRow(row: SuspectRow): SuspectVersion {
  return {
    articleId: row.article_id,
    sourceId: row.source_id,
    title: row.title,
    bodyHtml: row.body_html,
    contentHash: row.content_hash,
    reason: row.reason,
    seenAt: row.seen_at,
    entryJson: row.entry_json,
    fetchedFrom: row.fetched_from,
  };
}
