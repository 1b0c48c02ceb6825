-- buildtrail schema, version 9: the compose service (or bake target) a build is for.
-- * Lists filter on it and baselines compare builds of the same service, target and branch, so it is a
--   column of the row rather than part of the record.
-- * The branch/target index gains the service so a baseline lookup stays one index range.

ALTER TABLE build ADD COLUMN service TEXT;

DROP INDEX build_branch_target;
CREATE INDEX build_branch_target ON build (git_branch, target, service, recorded_ms);
