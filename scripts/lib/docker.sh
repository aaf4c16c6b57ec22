#!/usr/bin/env bash
# A Docker engine for the image builds and container tests. Source this file, then call
# `ensure_docker`: it returns 0 with $DOCKER set to a client that talks to a running engine,
# or prints ONE line saying why there is no engine and returns 1.
# As root on Debian it installs what is missing (docker.io, debootstrap for the local base
# images) and starts Debian's dockerd in the background (log: /var/log/bank-dockerd.log);
# it never stops the daemon. Only one caller starts it (flock), so parallel runs share one.
#
# Client: Debian's /usr/bin/docker (20.10) when present. It matches Debian's 20.10 daemon and
# uses the engine's built-in BuildKit; a newer client on the PATH (e.g. /usr/local/bin/docker
# 28.x) negotiates the API down for `run`/`image ls` but wants the buildx plugin to build.
DOCKERD_LOG="${DOCKERD_LOG:-/var/log/bank-dockerd.log}"
export DOCKER_BUILDKIT=1

_docker_client() {
  if [ -x /usr/bin/docker ]; then echo /usr/bin/docker
  elif command -v docker >/dev/null 2>&1; then command -v docker
  fi
}

_dockerd_bin() { command -v dockerd 2>/dev/null || { [ -x /usr/sbin/dockerd ] && echo /usr/sbin/dockerd; }; }

_docker_up() { [ -n "${DOCKER:-}" ] && "$DOCKER" info >/dev/null 2>&1; }

ensure_docker() {
  DOCKER="$(_docker_client)"
  export DOCKER
  _docker_up && return 0

  local root=0 apt=0
  [ "$(id -u)" = 0 ] && root=1
  command -v apt-get >/dev/null 2>&1 && apt=1
  local missing=()
  _dockerd_bin >/dev/null || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
  if [ ${#missing[@]} -gt 0 ] && [ $root = 1 ] && [ $apt = 1 ]; then
    echo "› apt-get install ${missing[*]}" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null 2>&1 \
      || { echo "no Docker engine: apt-get install ${missing[*]} failed" >&2; return 1; }
    DOCKER="$(_docker_client)"
    export DOCKER
  fi
  if [ -z "$DOCKER" ] || ! _dockerd_bin >/dev/null; then
    if [ $root = 1 ]; then echo "no Docker engine: docker.io is not installed and apt-get is not available" >&2
    else echo "no Docker engine: none is running and installing/starting one needs root (sudo apt-get install docker.io debootstrap; sudo dockerd)" >&2; fi
    return 1
  fi
  if [ $root = 0 ]; then
    echo "no Docker engine: dockerd is installed but not running (or user $(id -un) cannot use its socket); starting it needs root" >&2
    return 1
  fi

  # Start the daemon once, even when several runs get here at the same time (the daemon must
  # not inherit the lock's descriptor, or it would hold the lock for its whole life).
  local status
  (
    flock -w 90 9 || exit 3
    _docker_up && exit 0
    if pgrep -x dockerd >/dev/null 2>&1; then started=0; else
      started=1
      echo "› starting dockerd (log: $DOCKERD_LOG)" >&2
      setsid nohup "$(_dockerd_bin)" >>"$DOCKERD_LOG" 2>&1 </dev/null 9>&- &
    fi
    for _ in $(seq 1 60); do _docker_up && exit 0; sleep 0.5; done
    exit $((started ? 1 : 2))
  ) 9>/tmp/bank-dockerd-start.lock
  status=$?
  case $status in
    0) return 0 ;;
    1) local why
       why=$(grep -E 'level=(error|fatal)' "$DOCKERD_LOG" 2>/dev/null | tail -1 | sed -nE 's/.*msg="([^"]*)".*/\1/p' | cut -c1-160)
       echo "no Docker engine: dockerd did not come up within 30 s${why:+ ($why)}; see $DOCKERD_LOG" >&2 ;;
    2) echo "no Docker engine: dockerd is running but $DOCKER cannot reach it${DOCKER_HOST:+ at DOCKER_HOST=$DOCKER_HOST}" >&2 ;;
    *) echo "no Docker engine: another run held /tmp/bank-dockerd-start.lock for 90 s while starting dockerd" >&2 ;;
  esac
  return 1
}
