-- The row check of a phrase (D29: a term that is not exactly its keys, such as "香港 国安法") reads
-- each candidate's `body_tokens` from TOAST, and pglz's decompression was most of that read: 2,000
-- candidates' checks took 74-90 ms with pglz and 34-40 ms with lz4, for 7 % more bytes. Values
-- written from now on are compressed with lz4; older rows keep pglz until they are written again
-- (`newsmirror reindex` rewrites every row, but nothing requires it). A server built without lz4
-- keeps pglz.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
    ALTER TABLE search_docs ALTER COLUMN body_tokens SET COMPRESSION lz4;
  END IF;
END
$$;
