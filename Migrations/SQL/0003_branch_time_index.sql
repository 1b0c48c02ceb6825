-- buildtrail schema, version 3: a branch's builds in time order, for trend, check and regressions
-- on histories of 100,000 builds (the branch+target index cannot serve "any target" in time order).

CREATE INDEX build_branch_recorded ON build (git_branch, recorded_at);
