#!/usr/bin/env bash
# `npm run bench`: the benchmarks, each printing its figures with a baseline measured in the
# same run. Bounded in time and count; traffic only to 127.0.0.1.
#   npm run bench              all
#   npm run bench -- events    one of: events | websocket | proxy | lighthouse | platform
#   npm run bench -- platform [--rates 50,100] [--seconds 20] [--restart-rate 100|0]  (binds the platform's
#     ports and restarts RabbitMQ: flock -x /tmp/bank-infra.lock flock /tmp/bank-stack.lock npm run bench -- platform)
# `lighthouse` expects the platform running (`npm start`, or under the stack lock on a shared
# machine) and does not start it; `all` skips it with a note when it is down.
set -uo pipefail
. "$(dirname "$0")/lib/bootstrap.sh"
. "$REPO_ROOT/scripts/lib/infrastructure.sh"
ensure_infrastructure || exit 1
which=${1:-all}
status=0
if [ "$which" = all ] || [ "$which" = events ]; then
  echo "━━ event hub: raw publish-with-confirms vs outbox → relay → consumer → inbox"
  (cd services/events && node bench/outbox-bench.ts) || status=1
fi
if [ "$which" = all ] || [ "$which" = websocket ]; then
  if [ -f services/gateway/bench/ws-bench.ts ]; then
    echo "━━ WebSocket: 10k connections, fan-out and targeted delivery"
    (ulimit -n 65536 2>/dev/null; cd services/gateway && node bench/ws-bench.ts) || status=1
  fi
fi
if [ "$which" = all ] || [ "$which" = proxy ]; then
  echo "━━ gateway: upstream directly vs through the gateway (JWT, revocation, rate limit, proxy)"
  (cd services/gateway && node bench/proxy-bench.ts 10) || status=1
fi
if [ "$which" = all ] || [ "$which" = lighthouse ]; then
  echo "━━ front-end: Lighthouse (sign-in, payments) and cold-load bytes / first payments row"
  if curl -ksf -o /dev/null "${E2E_BASE_URL:-https://localhost:8443}/api/auth/.well-known/jwks.json"; then
    node frontends/e2e/bench/lighthouse.ts || status=1
    node frontends/e2e/bench/page-weight.ts 5 || status=1
  else
    echo "the platform is not running at ${E2E_BASE_URL:-https://localhost:8443}: start it with \`npm start\`"
    [ "$which" = lighthouse ] && status=1
  fi
fi
if [ "$which" = platform ]; then
  # Not part of `all`: it starts the whole platform and runs for several minutes (docs/benchmarks/platform.md).
  echo "━━ platform: payments through the gateway at fixed rates, completion lag, audit, CPU per payment"
  node scripts/bench/platform.ts "${@:2}" || status=1
fi
exit $status
