#!/usr/bin/env bash
# `npm run stop`: stop a platform started by `npm start` in another terminal.
set -euo pipefail
. "$(dirname "$0")/lib/node.sh"
cd "$(dirname "$0")/.." && exec node scripts/platform.ts stop
