-- buildtrail schema, version 10: facts only a build's own pages read move into its record, and
-- what stays in tables is stored shorter.
-- * A failed build's failure (schema 7), its build arguments and its cache plumbing and imports
--   (schema 8) are part of its record (version 2). The migration's backfill (Swift) moves them and
--   drops build_failure, build_argument, build_cache_plumbing and build_cache_import.
-- * git_commit holds the 20 bytes of a SHA-1 commit (32 of a SHA-256 one) instead of its hex digits;
--   other text stays text. No query filters on it, so its index goes.
-- * Input contents are keyed by their SHA-256's 32 bytes, and may be stored as a zlib stream against
--   the content of the previous version of the same path (codec 2, `base`); the backfill moves
--   input_blob's rows here and drops it.
-- * A context tree node may be stored zlib-compressed (its first byte is then 3).

DROP INDEX build_commit;
DROP INDEX build_failure_signature;

CREATE TABLE input_content (
  sha256  BLOB    PRIMARY KEY,
  bytes   INTEGER NOT NULL,
  -- 0: data as it is (or NULL when the content was not kept), 1: zlib, 2: zlib against base's content.
  codec   INTEGER NOT NULL DEFAULT 0 CHECK (codec IN (0, 1, 2)),
  base    BLOB,
  data    BLOB
) WITHOUT ROWID;
