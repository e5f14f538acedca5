-- The archiver now releases a blob's bytes once it has written its file (D20): the archive's file is
-- their one copy, as after a single-process sync. Blobs written before this were kept; release them.
UPDATE media_blobs SET bytes = '' WHERE NOT pending;
