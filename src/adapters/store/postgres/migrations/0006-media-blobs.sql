-- Image bytes of the workers (the MediaBlobs port; the same table as SQLite's migration 6): content-
-- addressed by media path, pending until the archiver writes them to the archive's media folder.
-- `mark` is raised by every put, as the articles' file_mark, so a slow archiver never clears a later put.
CREATE TABLE media_blobs (
  path text COLLATE "C" PRIMARY KEY,
  bytes bytea NOT NULL,
  size integer NOT NULL,
  pending boolean NOT NULL DEFAULT true,
  mark integer NOT NULL DEFAULT 1
);
CREATE INDEX media_blobs_pending ON media_blobs (path) WHERE pending;
