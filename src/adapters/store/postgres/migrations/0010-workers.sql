-- Leases on per-item work that any worker may do (an article's re-check, an article's missing
-- images), so that workers share it and none does an item twice at once (the same lease as the
-- sources': owner and expiry on the database's clock, plus when it was claimed). Rows are kept
-- after a release: `claimed_at` (the last claim or release) tells a worker
-- that listed an item as due that another was still doing it then.
CREATE TABLE work_leases (
  kind text COLLATE "C" NOT NULL,
  key text COLLATE "C" NOT NULL,
  lease_owner text COLLATE "C",
  lease_until bigint,
  claimed_at bigint NOT NULL,
  PRIMARY KEY (kind, key)
);

-- The bodies and raw items (several KB each, two per stored article) are compressed with lz4 rather
-- than the default pglz where the server has lz4: pglz took about a quarter of the server's CPU per
-- stored article in `npm run bench:scale` (docs/decisions.md D30). Rows already stored keep pglz.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
    ALTER TABLE article_versions ALTER COLUMN body_html SET COMPRESSION lz4;
    ALTER TABLE raw_items ALTER COLUMN entry_json SET COMPRESSION lz4;
    ALTER TABLE suspect_versions ALTER COLUMN body_html SET COMPRESSION lz4;
    ALTER TABLE suspect_versions ALTER COLUMN entry_json SET COMPRESSION lz4;
  END IF;
END
$$;
