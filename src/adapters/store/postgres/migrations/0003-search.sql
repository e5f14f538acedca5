-- The search index (the SearchIndex port; src/adapters/search/postgres.ts), beside the articles.
-- `doc` is the same ordered document key as SQLite's rowid (published second × 64 + slot).
-- `title_tokens` and `body_tokens` are the core's index tokens (tokenize.ts) as ' a  b  c ': a phrase
-- of tokens is then a substring, and two occurrences never share a space. `tokens` holds each
-- distinct token, plus '*' and the first character of every CJK token (what a one-character query
-- needs), under a GIN index that finds the candidates; the substring test is exact.
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
  tokens text[] NOT NULL
);
CREATE INDEX search_docs_tokens ON search_docs USING gin (tokens);
CREATE INDEX search_docs_source ON search_docs (source_id, doc);
