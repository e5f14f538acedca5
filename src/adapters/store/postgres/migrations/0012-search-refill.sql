-- Migration 0011 emptied the search index (its keys cannot be computed in SQL), and nothing but
-- `newsmirror reindex` refills it from the stored articles. This row says that the refill is still
-- owed: written when articles exist while the search holds none (a store upgraded through 0011 and
-- not reindexed yet), cleared by a reindex that finishes. `status` and the logs of run, serve and
-- worker name `newsmirror reindex` while it is there (src/adapters/search/postgres.ts).
CREATE TABLE search_refill (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  articles bigint NOT NULL,
  since bigint NOT NULL
);
INSERT INTO search_refill (articles, since)
SELECT count(*), (extract(epoch FROM now()) * 1000)::bigint FROM articles
WHERE NOT EXISTS (SELECT 1 FROM search_docs)
HAVING count(*) > 0;
