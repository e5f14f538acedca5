-- Workers on many machines: a version for the source state's compare-and-set save, and a lease per
-- source (owner and expiry, on the database's clock) claimed with FOR UPDATE SKIP LOCKED, so one
-- worker fetches a source at a time (the same columns as SQLite's migration 9).
ALTER TABLE sources ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN lease_owner text COLLATE "C";
ALTER TABLE sources ADD COLUMN lease_until bigint;
ALTER TABLE sources ADD COLUMN claimed_at bigint;
