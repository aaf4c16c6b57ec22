#!/usr/bin/env bash
# `npm start`: provision Node 24 and dependencies, then run the whole platform natively.
# `npm run dev` adds --watch (services restart on change; remotes rebuild; shell dev server).
set -euo pipefail
. "$(dirname "$0")/lib/bootstrap.sh"
exec node scripts/platform.ts start "$@"
