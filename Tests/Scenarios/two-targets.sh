#!/usr/bin/env bash
# A scripted history of one Dockerfile with a shared base stage and two targets, `api` and `worker`,
# built alternately on two git branches with the real local BuildKit (see two-targets.md beside this
# file).
#
#   Tests/Scenarios/two-targets.sh base-image        # docker import local/two-targets-base:1
#                                                    # (busybox + a fake pip); prints its image ID
#   Tests/Scenarios/two-targets.sh init DIR          # write the project into DIR, git init -b main, commit
#   Tests/Scenarios/two-targets.sh apply DIR STEP    # make change STEP in DIR (checkout, commit, or nothing)
#   Tests/Scenarios/two-targets.sh steps             # print "STEP TARGET" lines in build order
#
# Each STEP is followed by one build of TARGET:
#   DOCKER_BUILDKIT=1 /usr/bin/docker build --progress=plain --network=none --target TARGET \
#     -t two-targets-TARGET DIR
# Nothing is ever pulled: the base image is made with `docker import` from the host's busybox.
# Commits use a fixed author, committer and date per step, so their IDs are the same on every run.
set -euo pipefail
# shellcheck source=scenario-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/scenario-lib.sh"

image=local/two-targets-base:1

# step target (in build order; "initial" is the commit `init` makes)
steps=(
  "initial api"
  "first-worker worker"
  "bump-structlog worker"
  "api-after-base-bump api"
  "feature-redis worker"
  "feature-api api"
  "feature-constraints api"
  "main-orjson api"
  "worker-after-orjson worker"
  "feature-worker-again worker"
)
first_step_index=0 # steps[0] is the commit init makes
commit_month=05    # 2024-05-01, one day later per step
base_image_usage="base-image"

# ---------------------------------------------------------------------------------------------
# The fake `pip` placed at /usr/local/bin/pip (POSIX sh, busybox applets only). It reads the
# requirement files given with -r and the constraint files given with -c, and prints what pip
# prints: `Collecting`, `Downloading` (the first time a package is met: its wheel is kept in the
# cache mount) or `Using cached`, then `Successfully installed`.
# ---------------------------------------------------------------------------------------------
write_fake_pip() {
  cat > "$1" <<'FAKEPIP'
#!/bin/sh
set -eu
cache_dir=${PIP_CACHE_DIR:-/root/.cache/pip}
site=/usr/local/lib/python3.12/site-packages
[ "${1:-}" = install ] || { echo "ERROR: this fake pip only implements \`pip install\`" >&2; exit 2; }
shift
requirements=""
constraints=""
while [ $# -gt 0 ]; do
  case "$1" in
    -r | --requirement) requirements="$requirements $2"; shift 2 ;;
    -c | --constraint) constraints="$constraints $2"; shift 2 ;;
    --no-cache-dir | --quiet | -q) shift ;;
    *) echo "ERROR: unexpected argument $1" >&2; exit 2 ;;
  esac
done
for f in $requirements $constraints; do
  [ -f "$f" ] || { echo "ERROR: Could not open requirements file: [Errno 2] No such file or directory: '$f'" >&2; exit 1; }
done
mkdir -p "$cache_dir" "$site"
installed=""
names=""
for f in $requirements; do
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%%#*}
    line=$(echo "$line" | tr -d ' ')
    [ -n "$line" ] || continue
    name=${line%%==*}
    version=${line#*==}
    for c in $constraints; do
      pinned=$(grep "^$name==" "$c" | head -n 1 | cut -d= -f3 || true)
      [ -z "$pinned" ] || version=$pinned
    done
    echo "Collecting $name==$version (from -r $f)"
    wheel="$name-$version-py3-none-any.whl"
    if [ -f "$cache_dir/$wheel" ]; then
      echo "  Using cached $wheel (12 kB)"
    else
      echo "  Downloading $wheel (12 kB)"
      sleep 0.2
      echo "$name $version (fake wheel)" > "$cache_dir/$wheel"
    fi
    mkdir -p "$site/$name-$version.dist-info"
    installed="$installed $name-$version"
    names="$names${names:+, }$name"
  done < "$f"
done
echo "Installing collected packages: $names"
echo "Successfully installed$installed"
FAKEPIP
  chmod 0755 "$1"
}

cmd_base_image() {
  new_rootfs root/.cache
  write_fake_pip "$rootfs/usr/local/bin/pip"
  import_rootfs "$image"
}

# ---------------------------------------------------------------------------------------------
# The project.
# ---------------------------------------------------------------------------------------------
cmd_init() {
  local dir=$1
  require_no_repo "$dir"
  mkdir -p "$dir/requirements" "$dir/api" "$dir/worker"
  cat > "$dir/Dockerfile" <<'DOCKERFILE'
FROM local/two-targets-base:1 AS base
WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements/base.txt

FROM base AS api
RUN --mount=type=cache,target=/root/.cache/pip \
    --mount=type=bind,source=requirements/api.txt,target=/tmp/api.txt \
    --mount=type=bind,source=constraints.txt,target=/tmp/constraints.txt \
    pip install -r /tmp/api.txt -c /tmp/constraints.txt
COPY api/ api/

FROM base AS worker
COPY requirements/worker.txt requirements/worker.txt
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements/worker.txt
COPY worker/ worker/
DOCKERFILE
  printf '.git\n__pycache__/\n' > "$dir/.dockerignore"
  printf '# shared by every image\nstructlog==24.4.0\nhttpx==0.27.0\n' > "$dir/requirements/base.txt"
  printf 'fastapi==0.111.0\nuvicorn==0.30.1\npydantic\n' > "$dir/requirements/api.txt"
  printf 'celery==5.4.0\n' > "$dir/requirements/worker.txt"
  printf 'pydantic==2.7.1\nstarlette==0.37.2\n' > "$dir/constraints.txt"
  printf 'print("api")\n' > "$dir/api/main.py"
  printf 'print("worker")\n' > "$dir/worker/tasks.py"
  git -C "$dir" init -q -b main
  commit "$dir" 0 "Initial commit: api and worker images on a shared base"
}

cmd_apply() {
  local dir=$1 step=$2 index
  index=$(apply_index "$dir" "$step") || exit $?
  case "$step" in
    initial | first-worker | api-after-base-bump | feature-api | worker-after-orjson)
      echo "nothing to commit for step $step"
      ;;
    bump-structlog)
      sed -i 's/^structlog==24.4.0$/structlog==25.4.0/' "$dir/requirements/base.txt"
      commit "$dir" "$index" "bump-structlog: structlog 25.4.0 in the base image"
      ;;
    feature-redis)
      git -C "$dir" checkout -q -b feature
      printf 'redis==5.0.4\n' >> "$dir/requirements/worker.txt"
      commit "$dir" "$index" "feature-redis: the worker talks to redis"
      ;;
    feature-constraints)
      sed -i 's/^pydantic==2.7.1$/pydantic==2.8.2/' "$dir/constraints.txt"
      commit "$dir" "$index" "feature-constraints: pydantic 2.8.2"
      ;;
    main-orjson)
      git -C "$dir" checkout -q main
      printf 'orjson==3.10.7\n' >> "$dir/requirements/base.txt"
      commit "$dir" "$index" "main-orjson: orjson in the base image"
      ;;
    feature-worker-again)
      git -C "$dir" checkout -q feature
      echo "nothing to commit for step $step (checked out feature)"
      ;;
  esac
}

scenario_main 0 "$@"
