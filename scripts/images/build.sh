#!/usr/bin/env bash
# `npm run images [-- <component>…]`: build the platform's images locally (scripts/images/build.ts).
set -uo pipefail
. "$(dirname "$0")/../lib/node.sh"
cd "$REPO_ROOT" || exit 1
exec node scripts/images/build.ts "$@"
