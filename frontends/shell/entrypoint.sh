#!/bin/sh
# Entrypoint of the shell image (frontends/shell/Dockerfile): writes this container's run-time
# configuration (/config.json), then runs the command (nginx) — through the nginx image's own
# /docker-entrypoint.sh when the base image has one.
# /config.json = the built config.json plus the browser's error reporting (docs/observability.md,
# "Front-ends") from the environment: the shell chart's `env` values BROWSER_SENTRY_DSN,
# _ENVIRONMENT, _SAMPLE_RATE, _RELEASE and _TUNNEL (unset: the gateway's same-origin
# /api/monitoring/sentry-tunnel, which forwards to the DSN's host). No DSN: the built file unchanged (reporting
# off). The root file system is read-only, so the file goes to /tmp (an emptyDir), which
# nginx.conf serves as /config.json. A value that cannot be right (a sample rate that is not a
# number from 0 to 1, a DSN that is not a URL) stops the container instead of being ignored.
# SHELL_CONFIG_SOURCE / SHELL_CONFIG_TARGET name the two files (defaults: the image's paths).
set -eu
source_file=${SHELL_CONFIG_SOURCE:-/usr/share/nginx/html/config.json}
target_file=${SHELL_CONFIG_TARGET:-/tmp/runtime-config/config.json}

fail() {
  echo "shell entrypoint: $*" >&2
  exit 1
}

# Appends `"key": "value"` to the sentry object, the value as a JSON string.
sentry=""
add_member() { sentry="${sentry:+$sentry, }\"$1\": $2"; }
add_string() {
  case $3 in *[[:cntrl:]]*) fail "$1 contains a control character" ;; esac
  add_member "$2" "\"$(printf '%s' "$3" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')\""
}

if [ -n "${BROWSER_SENTRY_DSN:-}" ]; then
  case $BROWSER_SENTRY_DSN in https://?* | http://?*) ;; *) fail "BROWSER_SENTRY_DSN is not an http(s) URL" ;; esac
  add_string BROWSER_SENTRY_DSN dsn "$BROWSER_SENTRY_DSN"
  [ -z "${BROWSER_SENTRY_ENVIRONMENT:-}" ] || add_string BROWSER_SENTRY_ENVIRONMENT environment "$BROWSER_SENTRY_ENVIRONMENT"
  if [ -n "${BROWSER_SENTRY_SAMPLE_RATE:-}" ]; then
    rate=$BROWSER_SENTRY_SAMPLE_RATE
    printf '%s' "$rate" | grep -Eqx '0|1|0?\.[0-9]+|1\.0+' || fail "BROWSER_SENTRY_SAMPLE_RATE must be a number from 0 to 1 (got '$rate')"
    case $rate in .*) rate=0$rate ;; esac
    add_member sampleRate "$rate"
  fi
  [ -z "${BROWSER_SENTRY_RELEASE:-}" ] || add_string BROWSER_SENTRY_RELEASE release "$BROWSER_SENTRY_RELEASE"
  # Unset: the gateway's tunnel (the CSP's connect-src is 'self'); set empty: the DSN's host.
  tunnel=${BROWSER_SENTRY_TUNNEL-/api/monitoring/sentry-tunnel}
  [ -z "$tunnel" ] || add_string BROWSER_SENTRY_TUNNEL tunnel "$tunnel"
fi

built=$(cat "$source_file")
mkdir -p "$(dirname "$target_file")"
if [ -z "$sentry" ]; then
  printf '%s\n' "$built" >"$target_file.tmp"
  state=off
else
  # The built file is one JSON object: the sentry member goes before its closing brace.
  body=${built%\}*}
  body=${body%"${body##*[![:space:]]}"}
  case $body in '{'*) ;; *) fail "$source_file is not a JSON object" ;; esac
  case $body in *'{') separator="" ;; *) separator="," ;; esac
  printf '%s%s\n  "sentry": { %s }\n}\n' "$body" "$separator" "$sentry" >"$target_file.tmp"
  state=on
fi
mv "$target_file.tmp" "$target_file"
echo "shell entrypoint: $target_file written (browser error reporting $state)"

[ "$#" -gt 0 ] || exit 0
if [ -x /docker-entrypoint.sh ]; then exec /docker-entrypoint.sh "$@"; fi
exec "$@"
