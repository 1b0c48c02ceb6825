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

docker_client=${DOCKER:-/usr/bin/docker}
busybox=${BUSYBOX:-/bin/busybox}
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

usage() {
  cat >&2 <<USAGE
usage: $0 base-image
       $0 init DIR
       $0 apply DIR STEP
       $0 steps
USAGE
  exit 2
}

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
  local root applet
  [ -x "$busybox" ] || { echo "base-image: no busybox at $busybox" >&2; exit 1; }
  root=$(mktemp -d)
  # shellcheck disable=SC2064 # expand $root now
  trap "rm -rf '$root'" EXIT
  mkdir -p "$root/bin" "$root/usr/local/bin" "$root/etc" "$root/tmp" "$root/root/.cache"
  chmod 1777 "$root/tmp"
  cp "$busybox" "$root/bin/busybox"
  while IFS= read -r applet; do
    case "$applet" in
      busybox | */*) ;;
      *) ln -s busybox "$root/bin/$applet" ;;
    esac
  done < <("$busybox" --list)
  write_fake_pip "$root/usr/local/bin/pip"
  printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
  printf 'root:x:0:\n' > "$root/etc/group"
  tar -C "$root" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -c . |
    "$docker_client" import --change 'ENV PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      - "$image" >/dev/null
  "$docker_client" image inspect -f '{{.Id}}' "$image"
}

# ---------------------------------------------------------------------------------------------
# The project.
# ---------------------------------------------------------------------------------------------
step_index() {
  local i
  for i in "${!steps[@]}"; do
    if [ "${steps[$i]%% *}" = "$1" ]; then
      echo "$i"
      return 0
    fi
  done
  return 1
}

# commit DIR INDEX MESSAGE: stage everything and commit with a fixed identity and date.
commit() {
  local dir=$1 index=$2 message=$3 date
  date=$(printf '2024-05-%02dT10:00:00+00:00' $((index + 1)))
  git -C "$dir" add -A
  GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date \
    git -C "$dir" -c user.name="Scenario Bot" -c user.email="scenario@buildtrail.invalid" \
      -c commit.gpgsign=false -c core.hooksPath=/dev/null \
      commit -q -m "$message"
  git -C "$dir" rev-parse HEAD
}

cmd_init() {
  local dir=$1
  if [ -e "$dir/.git" ]; then
    echo "init: $dir already has a git repository" >&2
    exit 1
  fi
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
  if ! index=$(step_index "$step"); then
    echo "apply: unknown step '$step' (see: $0 steps)" >&2
    exit 2
  fi
  [ -d "$dir/.git" ] || { echo "apply: $dir is not a project made by '$0 init'" >&2; exit 1; }
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

[ $# -ge 1 ] || usage
case "$1" in
  base-image)
    [ $# -eq 1 ] || usage
    cmd_base_image
    ;;
  init)
    [ $# -eq 2 ] || usage
    cmd_init "$2"
    ;;
  apply)
    [ $# -eq 3 ] || usage
    cmd_apply "$2" "$3"
    ;;
  steps)
    [ $# -eq 1 ] || usage
    printf '%s\n' "${steps[@]}"
    ;;
  *) usage ;;
esac
