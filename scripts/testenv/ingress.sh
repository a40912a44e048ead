#!/usr/bin/env bash
# A real ingress controller for the test cluster: Traefik (built from the Go module proxy by
# build-traefik.sh), run as a host process against the kube service's apiserver with a
# ServiceAccount token of its own and least-privilege RBAC. It serves every Ingress of class
# "traefik" on 127.0.0.1:$INGRESS_PORT and sets their status address to 127.0.0.1. Backends are the
# Services' EndpointSlices (kube-controller-manager of the cluster service writes them).
#   ingress.sh install|start|stop|status
# Decisions: docs/adr/0024-ingress-controller-traefik.md.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"

: "${TRAEFIK_VERSION:=3.6.12}"
TRAEFIK_BIN="$CACHE_DIR/traefik-$TRAEFIK_VERSION/bin/traefik"
KUBECTL_BIN="$CACHE_DIR/k8s-$K8S_VERSION/bin/kubectl"
IDIR="$TESTENV_DIR/ingress"
KUBECONFIG_FILE="$TESTENV_DIR/kube/kubeconfig"
CA_FILE="$TESTENV_DIR/kube/pki/ca.crt"
NAMESPACE=kwdb-ingress
CLASS=traefik

install() { bash "$HERE/build-traefik.sh"; }

ready() { curl -sf "http://$TESTENV_HOST:$INGRESS_ADMIN_PORT/ping" >/dev/null; }
kubectl_admin() { "$KUBECTL_BIN" --kubeconfig "$KUBECONFIG_FILE" "$@"; }

# Traefik's own identity in the cluster, and the IngressClass it serves.
apply_rbac() {
  kubectl_admin apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Namespace
metadata: {name: $NAMESPACE}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: traefik, namespace: $NAMESPACE}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: kwdb-testenv-traefik}
rules:
- {apiGroups: [""], resources: [services, secrets, nodes], verbs: [get, list, watch]}
- {apiGroups: [discovery.k8s.io], resources: [endpointslices], verbs: [get, list, watch]}
- {apiGroups: [networking.k8s.io], resources: [ingresses, ingressclasses], verbs: [get, list, watch]}
- {apiGroups: [networking.k8s.io], resources: [ingresses/status], verbs: [update]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: kwdb-testenv-traefik}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: kwdb-testenv-traefik}
subjects: [{kind: ServiceAccount, name: traefik, namespace: $NAMESPACE}]
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: $CLASS}
spec: {controller: traefik.io/ingress-controller}
YAML
}

start() {
  install
  if pid_alive "$IDIR/traefik.pid" && ready; then
    log "traefik already running on $TESTENV_HOST:$INGRESS_PORT"; return 0
  fi
  bash "$HERE/kube.sh" status >/dev/null 2>&1 || die "the kube service is not running: start it first (testenv.sh start kube)"
  local p; for p in "$INGRESS_PORT" "$INGRESS_ADMIN_PORT"; do
    port_in_use "$p" && die "port $p is already in use on $TESTENV_HOST (set INGRESS_PORT / INGRESS_ADMIN_PORT)"
  done
  rm -rf "$IDIR"; mkdir -p "$IDIR"; chmod 700 "$IDIR"
  apply_rbac
  local token; token=$(kubectl_admin -n "$NAMESPACE" create token traefik --duration=48h)
  # The token goes into the 0600 config file, never on the command line.
  umask 077
  cat > "$IDIR/traefik.yaml" <<YAML
global: {checkNewVersion: false, sendAnonymousUsage: false}
entryPoints:
  web: {address: "$TESTENV_HOST:$INGRESS_PORT"}
  traefik: {address: "$TESTENV_HOST:$INGRESS_ADMIN_PORT"}
ping: {entryPoint: traefik}
log: {level: INFO, noColor: true}
accessLog: {filePath: "$LOG_DIR/traefik-access.log"}
providers:
  kubernetesIngress:
    endpoint: "https://$TESTENV_HOST:$KUBE_PORT"
    certAuthFilePath: "$CA_FILE"
    token: "$token"
    ingressEndpoint: {ip: "$TESTENV_HOST"}
YAML
  nohup "$TRAEFIK_BIN" --configFile="$IDIR/traefik.yaml" > "$LOG_DIR/traefik.log" 2>&1 < /dev/null &
  echo $! > "$IDIR/traefik.pid"
  wait_until 60 traefik ready || { tail -n 30 "$LOG_DIR/traefik.log" >&2; die "traefik did not become ready; see $LOG_DIR/traefik.log"; }
  log "traefik ready: Ingresses of class $CLASS on http://$TESTENV_HOST:$INGRESS_PORT"
}

stop() {
  stop_pid "$IDIR/traefik.pid" traefik
  # Its RBAC and IngressClass stay with the apiserver's data (kube.sh wipes it at its next start).
}

status() {
  if pid_alive "$IDIR/traefik.pid" && ready; then
    echo "ingress (traefik): running on http://$TESTENV_HOST:$INGRESS_PORT (class $CLASS)"
  else echo "ingress (traefik): stopped"; return 1; fi
}

case "${1:-}" in
  install|start|stop|status) "$1" ;;
  *) die "usage: $0 install|start|stop|status" ;;
esac
