-- A trigram's key no longer carries a time bucket (one posting list for all time; D29,
-- src/adapters/search/postgres-keys.ts): the stored keys are void, so the search starts empty again
-- and, where articles exist, the refill marker of 0012 asks for `newsmirror reindex`.
TRUNCATE search_docs;
INSERT INTO search_refill (articles, since)
SELECT count(*), (extract(epoch FROM now()) * 1000)::bigint FROM articles
HAVING count(*) > 0
ON CONFLICT (only_row) DO NOTHING;
