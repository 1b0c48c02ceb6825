#!/usr/bin/env bash
# A scripted history of a two-service docker-compose project built with compose v1 (Debian's
# docker-compose 1.29) driving the local BuildKit (see compose-history.md beside this file).
#
#   Tests/Scenarios/compose-history.sh base-image      # docker import local/two-targets-base:1
#                                                      # (busybox + a fake pip, made by two-targets.sh)
#   Tests/Scenarios/compose-history.sh init DIR        # write the project into DIR, git init -b main, commit
#   Tests/Scenarios/compose-history.sh apply DIR STEP  # make change STEP in DIR and commit it
#   Tests/Scenarios/compose-history.sh steps           # print "STEP FLAGS" lines in build order
#
# Each STEP is followed by one build of both services, in DIR:
#   COMPOSE_DOCKER_CLI_BUILD=1 DOCKER_BUILDKIT=1 PATH=/usr/bin:$PATH docker-compose build FLAGS
# where FLAGS is `-` for none. `prune` makes no commit: the test runs `docker builder prune -af`
# before its build. Both services build with `network: none`; nothing is ever pulled.
# Commits use a fixed author, committer and date per step, so their IDs are the same on every run.
set -euo pipefail
# shellcheck source=scenario-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/scenario-lib.sh"

# step flags (in build order; "initial" is the commit `init` makes)
steps=(
  "initial -"
  "bump-httpx -"
  "worker-redis -"
  "backend-code -"
  "admit-docs -"
  "no-cache --no-cache"
  "prune -"
)
first_step_index=0 # steps[0] is the commit init makes
commit_month=06    # 2024-06-01, one day later per step
base_image_usage="base-image"

cmd_base_image() {
  "$(dirname "${BASH_SOURCE[0]}")/two-targets.sh" base-image
}

cmd_init() {
  local dir=$1
  require_no_repo "$dir"
  mkdir -p "$dir/backend/app" "$dir/worker" "$dir/docs"
  cat > "$dir/docker-compose.yml" <<'COMPOSE'
version: "3.8"
services:
  backend:
    build:
      context: ./backend
      target: runtime
      network: none
      args:
        APP_ENV: ${APP_ENV:-production}
    image: compose-history-backend:latest
  worker:
    build:
      context: .
      dockerfile: worker.Dockerfile
      network: none
    image: compose-history-worker:latest
  db:
    image: postgres:16
COMPOSE
  cat > "$dir/backend/Dockerfile" <<'DOCKERFILE'
FROM local/two-targets-base:1 AS deps
WORKDIR /app
COPY requirements.txt requirements.txt
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt

FROM deps AS runtime
ARG APP_ENV
COPY . /app
RUN echo "$APP_ENV" > /app/environment

FROM deps AS test
RUN echo "tests would run here"
DOCKERFILE
  printf '.venv/\n__pycache__/\n' > "$dir/backend/.dockerignore"
  printf 'fastapi==0.111.0\nhttpx==0.27.0\n' > "$dir/backend/requirements.txt"
  printf 'print("backend")\n' > "$dir/backend/app/main.py"
  cat > "$dir/worker.Dockerfile" <<'DOCKERFILE'
FROM local/two-targets-base:1
WORKDIR /worker
COPY worker/requirements.txt requirements.txt
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
COPY worker/ /worker/
DOCKERFILE
  printf '.git\nbackend/\ndocs/\n' > "$dir/.dockerignore"
  printf 'celery==5.4.0\n' > "$dir/worker/requirements.txt"
  printf 'print("worker")\n' > "$dir/worker/tasks.py"
  printf '# How to run the services\n' > "$dir/docs/guide.md"
  git -C "$dir" init -q -b main
  commit "$dir" 0 "Initial commit: backend and worker services"
}

cmd_apply() {
  local dir=$1 step=$2 index
  index=$(apply_index "$dir" "$step") || exit $?
  case "$step" in
    initial | no-cache | prune)
      echo "nothing to commit for step $step"
      ;;
    bump-httpx)
      sed -i 's/^httpx==0.27.0$/httpx==0.28.1/' "$dir/backend/requirements.txt"
      commit "$dir" "$index" "bump-httpx: httpx 0.28.1 in the backend"
      ;;
    worker-redis)
      printf 'redis==5.0.4\n' >> "$dir/worker/requirements.txt"
      commit "$dir" "$index" "worker-redis: the worker talks to redis"
      ;;
    backend-code)
      printf 'print("backend v2")\n' > "$dir/backend/app/main.py"
      commit "$dir" "$index" "backend-code: say v2"
      ;;
    admit-docs)
      printf '.git\nbackend/\n' > "$dir/.dockerignore"
      printf '# How to run the services\n\nMore words no image copies.\n' > "$dir/docs/guide.md"
      commit "$dir" "$index" "admit-docs: stop ignoring docs/ (the worker copies only worker/)"
      ;;
  esac
}

scenario_main 0 "$@"
