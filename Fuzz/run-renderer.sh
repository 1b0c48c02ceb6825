#!/usr/bin/env bash
# Builds the renderer fuzzer (libFuzzer + AddressSanitizer) and runs it on one worker for SECONDS
# (default 1800). Seeds: Fuzz/Renderer/Seeds, the test fixtures
# and the shared corpus. The working corpus and crashing inputs go to Fuzz/Renderer/.build/
# (git-ignored); copy crashes into Tests/BuildtrailKitTests/Rendering/Snapshots/fuzz-findings/,
# where HostileTextTests replays them.
set -euo pipefail
seconds="${1:-1800}"
here="$(cd "$(dirname "$0")" && pwd)"
package="$here/Renderer"
root="$(cd "$here/.." && pwd)"
cd "$package"
flags=(--product renderer-fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -O)
swift build "${flags[@]}"
binary="$(swift build "${flags[@]}" --show-bin-path)/renderer-fuzzer"
mkdir -p .build/corpus .build/artifacts
seeds=("$package/Seeds" "$root/Tests/BuildLogTests/Fixtures")
[ -d "$root/../shared/corpus" ] && seeds+=("$root/../shared/corpus")
# Leak checks and allocation stacks off: they cost a third of the time and Swift's leaks are not the target.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:malloc_context_size=0}"
# One worker. A crash stops libFuzzer; its input is kept and the run resumes from the grown corpus
# until SECONDS have passed, so the run's figures are the sum of its segments.
end=$((SECONDS + seconds))
segment=0
while ((SECONDS < end)); do
  segment=$((segment + 1))
  echo "== segment $segment, $((end - SECONDS)) s left"
  "$binary" .build/corpus "${seeds[@]}" -max_len=16384 -timeout=30 -detect_leaks=0 -rss_limit_mb=4096 \
    -max_total_time=$((end - SECONDS)) -print_final_stats=1 -artifact_prefix=.build/artifacts/ \
    || echo "== segment $segment stopped (status $?); crash inputs: $(ls .build/artifacts | wc -l)"
done
