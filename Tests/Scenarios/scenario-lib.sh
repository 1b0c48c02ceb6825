# shellcheck shell=bash
# Helpers shared by the scenario scripts uv-history.sh, pip-history.sh and two-targets.sh. Each of
# them sources this file from its own directory:
#
#   . "$(dirname "${BASH_SOURCE[0]}")/scenario-lib.sh"
#
# and sets, before it calls any helper:
#
#   steps=(...)         the STEP names in order; a name may be followed by " WORD" (two-targets.sh
#                       lists "STEP TARGET"), which step_index ignores
#   first_step_index=N  the commit INDEX of steps[0]: 1 when `init` makes commit 0 before the
#                       first step, 0 when steps[0] is the initial commit itself
#   commit_month=MM     commits are dated 2024-MM-01 (INDEX 0), and one day later per INDEX
#   base_image_usage=…  how the usage line shows `base-image` and its arguments
#
# and defines cmd_base_image, cmd_init and cmd_apply; its last line is `scenario_main "$@"`.
#
# Nothing here may change what the scripts make: the tests replay stored build logs against git
# repositories the scripts re-create, and check their commit IDs.

docker_client=${DOCKER:-/usr/bin/docker}
busybox=${BUSYBOX:-/bin/busybox}

usage() {
  cat >&2 <<USAGE
usage: $0 $base_image_usage
       $0 init DIR
       $0 apply DIR STEP
       $0 steps
USAGE
  exit 2
}

# ---------------------------------------------------------------------------------------------
# The base image: busybox and the script's fake tools, imported with `docker import`.
# ---------------------------------------------------------------------------------------------

# new_rootfs [DIR...]: make a temporary root, named by $rootfs and removed when the script exits,
# with busybox at /bin/busybox and a symlink per applet, the folders /usr/local/bin, /etc, /tmp
# (mode 1777) and DIR... (relative to the root), and a minimal /etc/passwd and /etc/group. The
# caller then writes its fake tools below "$rootfs" and calls import_rootfs.
new_rootfs() {
  local dir applet
  [ -x "$busybox" ] || { echo "base-image: no busybox at $busybox (apt-get install busybox-static)" >&2; exit 1; }
  rootfs=$(mktemp -d)
  # shellcheck disable=SC2064 # expand $rootfs now
  trap "rm -rf '$rootfs'" EXIT
  mkdir -p "$rootfs/bin" "$rootfs/usr/local/bin" "$rootfs/etc" "$rootfs/tmp"
  for dir in "$@"; do mkdir -p "$rootfs/$dir"; done
  chmod 1777 "$rootfs/tmp"
  cp "$busybox" "$rootfs/bin/busybox"
  while IFS= read -r applet; do
    case "$applet" in
      busybox | */*) ;;
      *) ln -s busybox "$rootfs/bin/$applet" ;;
    esac
  done < <("$busybox" --list)
  printf 'root:x:0:0:root:/root:/bin/sh\n' > "$rootfs/etc/passwd"
  printf 'root:x:0:\n' > "$rootfs/etc/group"
}

# import_rootfs IMAGE: import "$rootfs" as IMAGE and print the image ID. The tarball is
# reproducible (sorted names, mtime 0, uid/gid 0): the layer depends only on the files written, so
# re-importing the same files gives the same layer (the image ID still changes: `docker import`
# records the creation time).
import_rootfs() {
  local image=$1
  tar -C "$rootfs" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -c . |
    "$docker_client" import --change 'ENV PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      - "$image" >/dev/null
  "$docker_client" image inspect -f '{{.Id}}' "$image"
}

# ---------------------------------------------------------------------------------------------
# The project's history.
# ---------------------------------------------------------------------------------------------

# step_index STEP: print the commit INDEX of STEP (its place in steps, from first_step_index).
step_index() {
  local i
  for i in "${!steps[@]}"; do
    if [ "${steps[$i]%% *}" = "$1" ]; then
      echo $((i + first_step_index))
      return 0
    fi
  done
  return 1
}

# apply_index DIR STEP: print the commit INDEX of STEP, or exit 2 for an unknown STEP and 1 when DIR
# has no git repository. Call it as `index=$(apply_index "$dir" "$step") || exit $?`.
apply_index() {
  local dir=$1 step=$2 index
  if ! index=$(step_index "$step"); then
    echo "apply: unknown step '$step' (see: $0 steps)" >&2
    exit 2
  fi
  [ -d "$dir/.git" ] || { echo "apply: $dir is not a project made by '$0 init'" >&2; exit 1; }
  echo "$index"
}

# require_no_repo DIR: exit 1 when DIR already has a git repository (for `init`).
require_no_repo() {
  if [ -e "$1/.git" ]; then
    echo "init: $1 already has a git repository" >&2
    exit 1
  fi
}

# commit DIR INDEX MESSAGE: stage everything and commit with a fixed identity and date
# (2024-$commit_month-01 plus INDEX days, 10:00 UTC); print the new commit ID.
commit() {
  local dir=$1 index=$2 message=$3 date
  date=$(printf '2024-%s-%02dT10:00:00+00:00' "$commit_month" $((index + 1)))
  git -C "$dir" add -A
  GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date \
    git -C "$dir" -c user.name="Scenario Bot" -c user.email="scenario@buildtrail.invalid" \
      -c commit.gpgsign=false -c core.hooksPath=/dev/null \
      commit -q -m "$message"
  git -C "$dir" rev-parse HEAD
}

# ---------------------------------------------------------------------------------------------
# The command line.
# ---------------------------------------------------------------------------------------------

# scenario_main BASE_IMAGE_ARGS ARG...: run the command ARG... names; `base-image` takes
# BASE_IMAGE_ARGS arguments.
scenario_main() {
  local base_image_args=$1
  shift
  [ $# -ge 1 ] || usage
  case "$1" in
    base-image)
      [ $# -eq $((base_image_args + 1)) ] || usage
      shift
      cmd_base_image "$@"
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
}
