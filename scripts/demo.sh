#!/usr/bin/env bash
# The one-command demo: on a fresh machine, set up, start Kafka and PostgreSQL, build and start
# config-api (with the local runtime running sink-worker and source-worker processes), then run the
# KaiwuDB Kafka Connector guide's sink and source flows through the REST API.
#   scripts/demo.sh                 run the flow, then stop config-api (Kafka and PostgreSQL stay up)
#   scripts/demo.sh --keep-running  leave config-api running too, and print the URLs
# Settings (environment): DEMO_HOST (config-api address, default 127.0.0.1), DEMO_PORT (config-api
# port, default 8083), DEMO_DATA_DIR (default
# /tmp/kwdb-connect-demo). Each run starts from scratch: it wipes the data dir, drops the local
# databases tsdb and benchmark and deletes the demo's topics, so the guide's first GET shows [].
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
keep=0
for arg in "$@"; do
  case "$arg" in
    --keep-running) keep=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option $arg (use --keep-running)" >&2; exit 2 ;;
  esac
done
log() { printf '\033[1m[demo %s] %s\033[0m\n' "$(date +%H:%M:%S)" "$*" >&2; }

port=${DEMO_PORT:-8083}
data_dir=${DEMO_DATA_DIR:-/tmp/kwdb-connect-demo}

log "1/5 setup (Debian packages, npm packages, Kafka jars; cached after the first run)"
bash scripts/setup.sh kafka postgres

log "2/5 starting Kafka and PostgreSQL"
bash scripts/testenv/testenv.sh start kafka postgres
env_json=${TESTENV_DIR:-${KWDB_CONNECT_TESTENV:-/tmp/kwdb-connect-testenv}}/env.json
brokers=$(node -e "console.log(require('$env_json').kafka.brokers.join(','))")
pg_url=$(node -e "console.log(require('$env_json').postgres.url)")

log "3/5 building config-api, sink-worker and source-worker"
node tools/scripts/build-app.mjs apps/sink-worker
node tools/scripts/build-app.mjs apps/source-worker
node tools/scripts/build-app.mjs apps/config-api
node tools/scripts/build-app.mjs apps/config-api --entry src/demo/demo.ts

log "4/5 starting config-api on port $port (data: $data_dir, log: $data_dir/config-api.log)"
if curl -fsS -m 5 "http://127.0.0.1:$port/" >/dev/null 2>&1; then
  echo "port $port is already serving something (an earlier demo with --keep-running?). Stop it first:" >&2
  [ -f "$data_dir/config-api.pid" ] && echo "  kill $(cat "$data_dir/config-api.pid")" >&2
  exit 1
fi
rm -rf "$data_dir"
mkdir -p "$data_dir"
# A re-run starts from the guide's empty state: the demo's databases, topics and consumer group go.
DEMO_POSTGRES_URL=$pg_url KAFKA_BOOTSTRAP_SERVERS=$brokers \
  DEMO_INTERNAL_TOPICS=kwdb-connect-demo-status,kwdb-connect-demo-offsets \
  node dist/apps/config-api/demo.js --reset
KAFKA_BOOTSTRAP_SERVERS=$brokers \
  KWDB_CONNECT_REST_HOST=${DEMO_HOST:-127.0.0.1} \
  KWDB_CONNECT_REST_PORT=$port \
  KWDB_CONNECT_DATA_DIR=$data_dir \
  KWDB_CONNECT_STATUS_TOPIC=kwdb-connect-demo-status \
  KWDB_CONNECT_OFFSETS_TOPIC=kwdb-connect-demo-offsets \
  nohup node dist/apps/config-api/main.js >"$data_dir/config-api.log" 2>&1 &
api_pid=$!
echo "$api_pid" >"$data_dir/config-api.pid"
stop_api() {
  if kill -0 "$api_pid" 2>/dev/null; then
    log "stopping config-api (pid $api_pid) and its workers"
    kill "$api_pid"
    for _ in $(seq 1 60); do kill -0 "$api_pid" 2>/dev/null || break; sleep 0.5; done
  fi
}
[ "$keep" = 1 ] || trap stop_api EXIT
for _ in $(seq 1 120); do
  curl -fsS -m 5 "http://127.0.0.1:$port/" >/dev/null 2>&1 && break
  kill -0 "$api_pid" 2>/dev/null || { echo "config-api exited; see $data_dir/config-api.log" >&2; tail -20 "$data_dir/config-api.log" >&2; exit 1; }
  sleep 0.5
done
curl -fsS -m 5 "http://127.0.0.1:$port/" >/dev/null || { echo "config-api did not answer; see $data_dir/config-api.log" >&2; exit 1; }

log "5/5 the guide's flow through the REST API"
DEMO_API_URL="http://127.0.0.1:$port" \
  KAFKA_BOOTSTRAP_SERVERS=$brokers \
  DEMO_POSTGRES_URL=$pg_url \
  DEMO_EXAMPLES_DIR="$root/examples" \
  node dist/apps/config-api/demo.js

if [ "$keep" = 1 ]; then
  cat <<TXT

The stack is running:
  REST API (Kafka Connect compatible)  http://127.0.0.1:$port/connectors
  API metrics                          http://127.0.0.1:$port/metrics
  OpenAPI description                  http://127.0.0.1:$port/openapi.json
  connector status                     curl http://127.0.0.1:$port/connectors/KwdbSinkConnector/status
  Kafka                                $brokers
  PostgreSQL                           $pg_url   (databases tsdb and benchmark)
  config-api log / task logs           $data_dir/config-api.log, $data_dir/logs/
Stop config-api:       kill \$(cat $data_dir/config-api.pid)
Stop Kafka/PostgreSQL: npm run testenv stop kafka postgres
TXT
else
  log "demo finished; config-api stops now (Kafka and PostgreSQL stay up; --keep-running keeps config-api too)"
fi
