#!/usr/bin/env bash
# Prometheus from Debian's `prometheus` package (which also brings promtool), in its own folder,
# listening on 127.0.0.1:$PROMETHEUS_PORT, scraping every second.
#   prometheus.sh install|start|stop|status|reload
# Tests add scrape jobs and rule files at run time: a job is one JSON file in
# $TESTENV_DIR/prometheus/jobs/<name>.json (one Prometheus scrape_config object), a rule file is
# any *.yaml in $TESTENV_DIR/prometheus/rules/; `reload` rebuilds prometheus.yml from them
# (checked by promtool) and asks Prometheus to load it. libs/testing wraps this (prometheus.ts).
# `install` also fetches prometheus-operator's CRDs (ServiceMonitor, PodMonitor, PrometheusRule) from
# its Go module (the module proxy) into $CACHE_DIR, for server-side dry runs of the chart's objects.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"

PROM_BIN=/usr/bin/prometheus
PROMTOOL_BIN=/usr/bin/promtool
PDIR="$TESTENV_DIR/prometheus"
OUT="$LOG_DIR/prometheus.log"
PID="$PDIR/prometheus.pid"
URL="http://$TESTENV_HOST:$PROMETHEUS_PORT"

install() {
  install_operator_crds
  [ -x "$PROM_BIN" ] && [ -x "$PROMTOOL_BIN" ] && return 0
  [ "$(id -u)" = 0 ] || die "prometheus is missing and we are not root: apt-get install prometheus"
  log "installing prometheus from Debian"
  apt-get update -qq
  # The package's postinst starts its own system service (invoke-rc.d, port 9090) unless a
  # policy-rc.d forbids it: forbid it for the length of the install when nothing else does.
  local policy=/usr/sbin/policy-rc.d ours=
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod 755 "$policy"; ours=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus > /dev/null \
    || { [ -n "$ours" ] && rm -f "$policy"; die "apt-get install prometheus failed"; }
  [ -n "$ours" ] && rm -f "$policy"
  return 0
}

# prometheus-operator's own generated CRDs, as its Go module ships them (example/prometheus-operator-crd).
install_operator_crds() {
  local dest="$CACHE_DIR/prometheus-operator-$PROMETHEUS_OPERATOR_VERSION/crds"
  [ -f "$dest/monitoring.coreos.com_prometheusrules.yaml" ] && return 0
  command -v go >/dev/null || die "go is needed to fetch prometheus-operator's CRDs"
  log "fetching prometheus-operator v$PROMETHEUS_OPERATOR_VERSION CRDs (Go module proxy)"
  local dir
  dir=$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "github.com/prometheus-operator/prometheus-operator@v$PROMETHEUS_OPERATOR_VERSION" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] || die "go mod download of prometheus-operator v$PROMETHEUS_OPERATOR_VERSION failed"
  mkdir -p "$dest.tmp"
  local kind
  for kind in servicemonitors podmonitors prometheusrules; do
    cp "$dir/example/prometheus-operator-crd/monitoring.coreos.com_$kind.yaml" "$dest.tmp/"
  done
  rm -rf "$dest"; mv "$dest.tmp" "$dest"
}

ready() { curl -sf "$URL/-/ready" >/dev/null; }

# Writes prometheus.yml: the base settings, Prometheus itself, then every job file.
write_config() {
  mkdir -p "$PDIR/jobs" "$PDIR/rules"
  {
    printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n'
    printf 'rule_files:\n  - %s/rules/*.yaml\n' "$PDIR"
    printf 'scrape_configs:\n'
    printf '  - {"job_name": "prometheus", "static_configs": [{"targets": ["%s:%s"]}]}\n' "$TESTENV_HOST" "$PROMETHEUS_PORT"
    local job
    for job in "$PDIR"/jobs/*.json; do
      [ -e "$job" ] || continue
      printf '  - %s\n' "$(tr -d '\n' < "$job")"
    done
  } > "$PDIR/prometheus.yml.tmp"
  "$PROMTOOL_BIN" check config "$PDIR/prometheus.yml.tmp" > "$PDIR/check.log" 2>&1 \
    || { cat "$PDIR/check.log" >&2; rm -f "$PDIR/prometheus.yml.tmp"; die "generated prometheus.yml is invalid"; }
  mv "$PDIR/prometheus.yml.tmp" "$PDIR/prometheus.yml"
}

start() {
  install
  if pid_alive "$PID" && ready; then log "prometheus already running on $URL"; return 0; fi
  port_in_use "$PROMETHEUS_PORT" && die "port $PROMETHEUS_PORT is already in use on $TESTENV_HOST (set PROMETHEUS_PORT)"
  rm -rf "$PDIR"; mkdir -p "$PDIR/data"
  write_config
  # setsid: its own session, so the caller's Ctrl-C or job control does not reach it.
  setsid "$PROM_BIN" --config.file="$PDIR/prometheus.yml" --storage.tsdb.path="$PDIR/data" \
    --storage.tsdb.retention.time=1d --web.listen-address="$TESTENV_HOST:$PROMETHEUS_PORT" \
    --web.enable-lifecycle --log.level=warn > "$OUT" 2>&1 < /dev/null &
  echo $! > "$PID"
  wait_until 30 prometheus ready || { tail -n 30 "$OUT" >&2; die "prometheus did not become ready; see $OUT"; }
  log "prometheus ready on $URL"
}

# Rebuilds prometheus.yml from the job files and reloads it, one caller at a time.
reload() {
  pid_alive "$PID" && ready || die "prometheus is not running (start it first)"
  exec 9> "$PDIR/reload.lock"
  flock 9
  write_config
  curl -sf -X POST "$URL/-/reload" > /dev/null || { tail -n 20 "$OUT" >&2; die "prometheus refused the new configuration; see $OUT"; }
}

stop() {
  pid_alive "$PID" && stop_pid "$PID" prometheus
  return 0
}

status() {
  if pid_alive "$PID" && ready; then echo "prometheus: running on $URL"
  else echo "prometheus: stopped"; return 1; fi
}

case "${1:-}" in
  install|start|stop|status|reload) "$1" ;;
  *) die "usage: $0 install|start|stop|status|reload" ;;
esac
