#!/usr/bin/env bash
# buildifier (Bazel's Starlark formatter and linter) from the npm package @bazel/buildifier,
# pinned and sha256-checked, at .tools/buildifier/buildifier. Used by scripts/test/dev-loop.test.ts
# to parse the Tiltfile (Starlark) with a real Starlark parser: no tilt binary exists here.
#   bash scripts/lib/buildifier.sh        provision and print the path
REPO_ROOT="${REPO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
BUILDIFIER_PKG="@bazel/buildifier@8.2.1"
BUILDIFIER_SHA256=6ceb7b0ab7cf66fceccc56a027d21d9cc557a7f34af37d2101edb56b92fcfa1a
dest="$REPO_ROOT/.tools/buildifier/buildifier"
set -euo pipefail
ok() { [ -x "$dest" ] && [ "$(sha256sum "$dest" | cut -d' ' -f1)" = "$BUILDIFIER_SHA256" ]; }
if ! ok; then
  [ "$(uname -s)/$(uname -m)" = "Linux/x86_64" ] || { echo "✖ pinned buildifier is linux/amd64 only" >&2; exit 1; }
  mkdir -p "$(dirname "$dest")"
  tmp="$(mktemp -d "$(dirname "$dest")/.fetch.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  echo "› fetching $BUILDIFIER_PKG into .tools/buildifier" >&2
  (cd "$tmp" && npm pack --silent --loglevel=error "$BUILDIFIER_PKG" >/dev/null && tar -xzf ./*.tgz package/buildifier-linux_amd64)
  [ "$(sha256sum "$tmp/package/buildifier-linux_amd64" | cut -d' ' -f1)" = "$BUILDIFIER_SHA256" ] || { echo "✖ buildifier sha256 differs from the pin" >&2; exit 1; }
  chmod +x "$tmp/package/buildifier-linux_amd64"
  mv -f "$tmp/package/buildifier-linux_amd64" "$dest"
fi
echo "$dest"
