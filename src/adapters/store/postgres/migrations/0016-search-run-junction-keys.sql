-- Adjacent CJK runs gain junction keys of their last and first two or three characters, so a
-- phrase of two such runs is exactly its keys (D29, src/adapters/search/postgres-keys.ts): rows
-- indexed before lack them and would miss those phrases, so the search starts empty again and,
-- where articles exist, the refill marker of 0012 asks for `newsmirror reindex`.
TRUNCATE search_docs;
INSERT INTO search_refill (articles, since)
SELECT count(*), (extract(epoch FROM now()) * 1000)::bigint FROM articles
HAVING count(*) > 0
ON CONFLICT (only_row) DO NOTHING;
