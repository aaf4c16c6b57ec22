#!/usr/bin/env bash
# `npm test`: provision Node 24 and dependencies, make sure PostgreSQL/Redis/RabbitMQ are up
# and nginx/Chromium are installed, then run every suite (scripts/run-tests.ts).
#   npm test                 everything
#   npm test -- unit         one phase: static | unit | images | stack
set -uo pipefail
. "$(dirname "$0")/lib/bootstrap.sh"
. "$REPO_ROOT/scripts/lib/infrastructure.sh"
ensure_infrastructure || exit 1
ensure_apt_package chromium chromium || echo "! Chromium missing: the browser suite will fail" >&2
exec node scripts/run-tests.ts "$@"
