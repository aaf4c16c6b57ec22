#!/usr/bin/env bash
# Shared first steps of `npm start` and `npm test`: Node 24 on PATH, dependencies installed
# (again only when package-lock.json changed), nginx present.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export REPO_ROOT
. "$REPO_ROOT/scripts/lib/node.sh"
cd "$REPO_ROOT" || exit 1

stamp="$REPO_ROOT/node_modules/.install-stamp"
# patches/ holds fixes to dependencies applied by patch-package at install (root `postinstall`):
# a new or changed patch also triggers the install.
if [ ! -f "$stamp" ] || [ "$REPO_ROOT/package-lock.json" -nt "$stamp" ] \
  || [ -n "$(find "$REPO_ROOT/patches" -newer "$stamp" 2>/dev/null | head -1)" ]; then
  # `npm ci`: exactly the lock file, which lists every platform's optional packages (turbo's
  # macOS/Windows binaries included), so it installs the same tree here, on laptops and in images.
  echo "› installing dependencies (npm ci, from package-lock.json)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2 || { echo "✖ npm ci failed" >&2; exit 1; }
  touch "$stamp"
fi

ensure_apt_package() { # <command> <debian package>
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "› installing $2 with apt-get" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2") >/dev/null 2>&1 \
      || { echo "✖ apt-get install $2 failed" >&2; return 1; }
  else
    echo "✖ $1 is missing: install the '$2' package (e.g. sudo apt-get install -y $2) and run again" >&2
    return 1
  fi
}
ensure_apt_package nginx nginx || exit 1
ensure_apt_package openssl openssl || exit 1
