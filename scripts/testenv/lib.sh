# Shared settings for the test-environment scripts. Every value can be
# overridden from the environment. Sourced, not run.
: "${K8S_VERSION:=1.34.4}"
: "${ETCD_VERSION:=3.6.14}"
: "${HELM_VERSION:=3.21.4}"
: "${KAFKA_VERSION:=4.1.1}"
: "${LOG4J_VERSION:=2.24.3}"
: "${PROMETHEUS_OPERATOR_VERSION:=0.85.0}"
: "${CACHE_DIR:=${KWDB_CONNECT_CACHE:-$HOME/.cache/kwdb-connect}}"
: "${TESTENV_DIR:=${KWDB_CONNECT_TESTENV:-/tmp/kwdb-connect-testenv}}"

log() { printf '[testenv %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

: "${TESTENV_HOST:=127.0.0.1}"
: "${KAFKA_PORT:=19092}"
: "${KAFKA_CONTROLLER_PORT:=19093}"
: "${PG_PORT:=15432}"
: "${ETCD_PORT:=12379}"
: "${ETCD_PEER_PORT:=12380}"
: "${KUBE_PORT:=16443}"
# The one-node cluster (cluster.sh) on top of the kube service's apiserver.
: "${KCM_PORT:=16257}"
: "${SCHED_PORT:=16259}"
: "${KUBELET_PORT:=16250}"
: "${KUBELET_HEALTHZ_PORT:=16248}"
: "${PROMETHEUS_PORT:=19090}"
# The ingress controller (ingress.sh): Ingress traffic, and its ping endpoint.
: "${INGRESS_PORT:=16080}"
: "${INGRESS_ADMIN_PORT:=16081}"

LOG_DIR="$TESTENV_DIR/logs"
mkdir -p "$TESTENV_DIR" "$LOG_DIR" "$CACHE_DIR"
chmod 755 "$TESTENV_DIR"

# port_in_use PORT: true when something listens on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/$TESTENV_HOST/$1") 2>/dev/null; }

# pid_alive FILE: true when FILE holds the pid of a running process.
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# wait_until SECONDS DESCRIPTION CMD...: polls CMD every 0.3 s.
wait_until() {
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.3
  done
}

# stop_pid FILE NAME: SIGTERM, wait up to 30 s, then SIGKILL.
stop_pid() {
  local file=$1 name=$2
  pid_alive "$file" || { rm -f "$file"; return 0; }
  local pid; pid=$(cat "$file")
  kill "$pid" 2>/dev/null || true
  local i
  for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.3; done
  if kill -0 "$pid" 2>/dev/null; then log "$name did not stop on SIGTERM; killing"; kill -9 "$pid" 2>/dev/null || true; fi
  rm -f "$file"
  log "$name stopped"
}
