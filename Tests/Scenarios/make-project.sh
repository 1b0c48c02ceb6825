#!/usr/bin/env bash
# Write a small Docker build project used to produce real `--progress=plain` fixture logs.
#
#   Tests/Scenarios/make-project.sh DIR [multistage|failing|parallel]
#
# Variants (default: multistage):
#   multistage  3 stages (deps -> build -> unnamed final), WORKDIR, COPY uv.lock, COPY app/,
#               RUN --mount=type=cache, COPY --from=deps / --from=build, a .dockerignore and app/.
#   failing     stage "test" whose RUN prints 4 lines and exits 3, while stage "slow" is still
#               sleeping (so it ends CANCELED).
#   parallel    two independent stages "left" and "right" whose RUN steps print lines with
#               `sleep 0.3` in between (left also pauses 6 s), so the plain printer interleaves
#               them (`#N ...` and re-printed headers). Takes about 9-10 s.
#
# Only the base image local/busybox:1 is used (made by ../shared/tools/dockerd-start --busybox).
# Build with the Docker 20.10 client (not a newer client on PATH that needs buildx):
#   DOCKER_BUILDKIT=1 /usr/bin/docker build --progress=plain --network=none -t buildtrail-fixture:multistage DIR
# To reproduce the "after change" build, change only an app file, e.g.:
#   printf 'echo "changed"\n' >> DIR/app/main.sh
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 DIR [multistage|failing|parallel]" >&2
  exit 2
fi
dir=$1
variant=${2:-multistage}

mkdir -p "$dir/app/__pycache__"

# Files shared by every variant.
cat > "$dir/uv.lock" <<'LOCK'
version = 1
requires-python = ">=3.12"

[[package]]
name = "alpha"
version = "1.0.0"

[[package]]
name = "beta"
version = "2.3.1"

[[package]]
name = "gamma"
version = "0.9.4"
LOCK

cat > "$dir/app/main.sh" <<'APP'
#!/bin/sh
. /app/util.sh
say "hello from buildtrail fixture $(cat /app/VERSION)"
APP

cat > "$dir/app/util.sh" <<'APP'
say() { echo "[app] $*"; }
APP

printf '1.0.0\n' > "$dir/app/VERSION"
printf '# fixture app\nThis file is excluded by .dockerignore.\n' > "$dir/app/README.md"
printf 'not really bytecode\n' > "$dir/app/__pycache__/util.cpython-312.pyc"
printf 'notes, excluded by .dockerignore\n' > "$dir/NOTES.md"

cat > "$dir/.dockerignore" <<'IGN'
.git
*.md
**/*.md
**/__pycache__
IGN

case "$variant" in
  multistage)
    cat > "$dir/Dockerfile" <<'DOCKERFILE'
FROM local/busybox:1 AS deps
WORKDIR /deps
COPY uv.lock ./
RUN echo "resolving packages from uv.lock" && for p in alpha beta gamma; do echo "installing $p"; done && sleep 1 && echo "$(wc -l < uv.lock) lock lines" > READY && echo "deps ready"
RUN --mount=type=cache,target=/cache echo "cache entries before: $(ls /cache | wc -l)" && touch /cache/alpha.whl /cache/beta.whl && cp /cache/alpha.whl /deps/ && echo "cache entries after: $(ls /cache | wc -l)"

FROM deps AS build
WORKDIR /src
COPY app/ ./
RUN echo "compiling app" && ls /src && mkdir -p /out && cp /src/main.sh /src/util.sh /src/VERSION /out/ && sleep 1 && echo "build ok: version $(cat /out/VERSION)"

FROM local/busybox:1
WORKDIR /app
COPY --from=deps /deps/READY ./
COPY --from=build /out/ ./
CMD ["sh", "/app/main.sh"]
DOCKERFILE
    ;;
  failing)
    cat > "$dir/Dockerfile" <<'DOCKERFILE'
FROM local/busybox:1 AS slow
RUN echo "slow stage started" && sleep 6 && echo "slow stage finished" > /slow.txt

FROM local/busybox:1 AS test
WORKDIR /t
COPY app/ ./
RUN echo "running tests" && echo "test_parse ... ok" && sleep 0.5 && echo "test_cache ... FAILED" && echo "1 failed, 1 passed" && exit 3

FROM local/busybox:1
COPY --from=slow /slow.txt /
COPY --from=test /t /t
DOCKERFILE
    ;;
  parallel)
    cat > "$dir/Dockerfile" <<'DOCKERFILE'
FROM local/busybox:1 AS left
RUN for i in 1 2 3; do echo "left compile $i/6"; echo $i >> /left.txt; sleep 0.3; done; echo "left waiting for linker"; sleep 6; for i in 4 5 6; do echo "left compile $i/6"; sleep 0.3; done
RUN for i in 1 2 3 4; do echo "left test $i/4"; sleep 0.3; done

FROM local/busybox:1 AS right
RUN for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24; do echo "right compile $i/24"; echo $i >> /right.txt; sleep 0.3; done
RUN for i in 1 2 3 4; do echo "right test $i/4"; sleep 0.3; done

FROM local/busybox:1
COPY --from=left /left.txt /
COPY --from=right /right.txt /
DOCKERFILE
    ;;
  *)
    echo "unknown variant: $variant (expected multistage, failing or parallel)" >&2
    exit 2
    ;;
esac
