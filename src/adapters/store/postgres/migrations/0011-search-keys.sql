-- The search index keeps int8 keys per time bucket instead of text tokens (D29;
-- src/adapters/search/postgres-keys.ts): CJK characters, bigrams and trigrams, words, adjacent word
-- pairs, junctions of a CJK run with its neighbour, and the source, each tagged with the article's
-- time bucket, so newest first, counts and relevance read the newest buckets' posting lists and stop. The keys cannot be
-- computed in SQL, so the table starts empty: `newsmirror reindex` refills it from the articles
-- (the store keeps every indexed text).
DROP TABLE search_docs;
CREATE TABLE search_docs (
  doc bigint PRIMARY KEY,
  id text COLLATE "C" NOT NULL UNIQUE,
  source_id text COLLATE "C" NOT NULL,
  published bigint NOT NULL,
  title text NOT NULL,
  url text NOT NULL,
  body text NOT NULL,
  title_tokens text NOT NULL,
  body_tokens text NOT NULL,
  keys int8[] NOT NULL
);
CREATE INDEX search_docs_keys ON search_docs USING gin (keys);
