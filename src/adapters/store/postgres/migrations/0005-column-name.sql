-- Title rules move a site's column name (RFI's ` - 美国专栏`) out of the title into the metadata
-- (the same column as SQLite's migration 5).
ALTER TABLE articles ADD COLUMN column_name text;
