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
