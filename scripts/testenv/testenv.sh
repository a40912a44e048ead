#!/usr/bin/env bash
# The project's test environment: real Kafka, PostgreSQL and kube-apiserver (+ etcd, helm, kubectl),
# the one-node cluster that runs Pods on that same apiserver (root only; cluster.sh), an ingress
# controller (Traefik) on that apiserver, and Prometheus.
#   testenv.sh install|start|stop|status|env [kafka] [postgres] [kube] [cluster] [ingress] [prometheus]
#   (default: kafka postgres kube ingress prometheus; `cluster` is asked for by name: it needs root;
#   `ingress` needs kube)
# `env` rewrites and prints env.json.
# After `start`, $TESTENV_DIR/env.json tells tests where everything is
# (read by libs/testing). Ports and directories: see lib.sh; every one can be
# overridden from the environment.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"

cmd=${1:-}; shift || true
services=("$@"); [ ${#services[@]} -gt 0 ] || services=(kafka postgres kube ingress prometheus)
for s in "${services[@]}"; do
  case "$s" in kafka|postgres|kube|cluster|ingress|prometheus) ;; *) die "unknown service '$s' (kafka, postgres, kube, cluster, ingress, prometheus)";; esac
done

write_env() {
  local k8s_bin="$CACHE_DIR/k8s-$K8S_VERSION/bin"
  cat > "$TESTENV_DIR/env.json" <<JSON
{
  "host": "$TESTENV_HOST",
  "kafka": { "brokers": ["$TESTENV_HOST:$KAFKA_PORT"], "running": $(bash "$HERE/kafka.sh" status >/dev/null 2>&1 && echo true || echo false) },
  "postgres": {
    "host": "$TESTENV_HOST", "port": $PG_PORT, "user": "postgres", "database": "postgres",
    "url": "postgres://postgres@$TESTENV_HOST:$PG_PORT/postgres",
    "running": $(bash "$HERE/postgres.sh" status >/dev/null 2>&1 && echo true || echo false)
  },
  "kube": {
    "kubeconfig": "$TESTENV_DIR/kube/kubeconfig", "version": "$K8S_VERSION",
    "running": $(bash "$HERE/kube.sh" status >/dev/null 2>&1 && echo true || echo false)
  },
  "cluster": {
    "kubeconfig": "$TESTENV_DIR/kube/kubeconfig", "version": "$K8S_VERSION",
    "apiHost": "$TESTENV_HOST", "apiPort": $KUBE_PORT, "node": "localhost",
    "nodeImage": "localhost/kwdb-node:$(node -v | sed 's/^v//')",
    "containerdAddress": "$TESTENV_DIR/cluster/containerd/containerd.sock",
    "running": $(bash "$HERE/cluster.sh" status >/dev/null 2>&1 && echo true || echo false)
  },
  "prometheus": {
    "url": "http://$TESTENV_HOST:$PROMETHEUS_PORT", "dir": "$TESTENV_DIR/prometheus",
    "running": $(bash "$HERE/prometheus.sh" status >/dev/null 2>&1 && echo true || echo false)
  },
  "ingress": {
    "url": "http://$TESTENV_HOST:$INGRESS_PORT", "className": "traefik",
    "running": $(bash "$HERE/ingress.sh" status >/dev/null 2>&1 && echo true || echo false)
  },
  "tools": {
    "kubectl": "$k8s_bin/kubectl",
    "helm": "$CACHE_DIR/helm-$HELM_VERSION/bin/helm",
    "promtool": "/usr/bin/promtool",
    "prometheusOperatorCrds": "$CACHE_DIR/prometheus-operator-$PROMETHEUS_OPERATOR_VERSION/crds",
    "kafkaClasspath": "$CACHE_DIR/kafka-$KAFKA_VERSION-log4j-$LOG4J_VERSION/libs/*"
  },
  "logDir": "$LOG_DIR"
}
JSON
}

case "$cmd" in
  install)
    for s in "${services[@]}"; do bash "$HERE/$s.sh" install; done ;;
  start)
    for s in "${services[@]}"; do bash "$HERE/$s.sh" start; done
    write_env
    log "environment ready: $TESTENV_DIR/env.json" ;;
  stop)
    # reverse order of the arguments (e.g. prometheus, cluster, kube, postgres, kafka)
    for ((i=${#services[@]}-1; i>=0; i--)); do bash "$HERE/${services[$i]}.sh" stop; done
    [ -f "$TESTENV_DIR/env.json" ] && write_env ;;
  env)
    write_env; cat "$TESTENV_DIR/env.json" ;;
  status)
    rc=0; for s in "${services[@]}"; do bash "$HERE/$s.sh" status || rc=1; done; exit $rc ;;
  *) die "usage: $0 install|start|stop|status|env [kafka] [postgres] [kube] [cluster] [ingress] [prometheus]" ;;
esac
