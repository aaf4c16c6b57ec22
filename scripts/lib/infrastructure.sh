#!/usr/bin/env bash
# Starts PostgreSQL, Redis and RabbitMQ when they are installed but stopped (as on the CI and
# development machines); otherwise says exactly what is missing.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ensure_infrastructure() {
  local ok=0
  if ! port_open 5432; then
    if command -v pg_ctlcluster >/dev/null 2>&1; then
      echo "› starting PostgreSQL" >&2
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    fi
    for _ in $(seq 1 30); do port_open 5432 && break; sleep 1; done
    port_open 5432 || { echo "✖ PostgreSQL is not running on 127.0.0.1:5432" >&2; ok=1; }
  fi
  if ! port_open 6379; then
    if command -v redis-server >/dev/null 2>&1; then
      echo "› starting Redis" >&2
      redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
    fi
    for _ in $(seq 1 20); do port_open 6379 && break; sleep 1; done
    port_open 6379 || { echo "✖ Redis is not running on 127.0.0.1:6379" >&2; ok=1; }
  fi
  if ! port_open 5672; then
    if command -v rabbitmq-server >/dev/null 2>&1; then
      echo "› starting RabbitMQ" >&2
      rabbitmq-server -detached || true
    fi
    for _ in $(seq 1 90); do port_open 5672 && break; sleep 1; done
    port_open 5672 || { echo "✖ RabbitMQ is not running on 127.0.0.1:5672" >&2; ok=1; }
  fi
  # The broker app may be stopped while the node runs (a reliability test that died mid-way).
  if command -v rabbitmqctl >/dev/null 2>&1 && ! rabbitmqctl -q status >/dev/null 2>&1; then
    rabbitmqctl -q start_app >/dev/null 2>&1 || true
  fi
  return $ok
}
