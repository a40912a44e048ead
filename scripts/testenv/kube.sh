#!/usr/bin/env bash
# A real kube-apiserver backed by etcd, both built from Go modules (build-kube.sh),
# with a self-signed CA, a static admin bearer token and a generated kubeconfig.
# Alone (any user), no controller-manager, scheduler or kubelet run: objects are stored and
# watched, Pods never run. cluster.sh adds them on top of this same apiserver, which is therefore
# always configured for a node too: client-certificate authentication (kcm, scheduler, kubelet
# and the apiserver towards the kubelet), Node+RBAC authorization, ServiceAccount admission, the
# in-cluster issuer (docs/adr/0015-one-apiserver-for-kube-and-cluster.md).
#   kube.sh install|start|stop|status
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"

KDIR="$TESTENV_DIR/kube"
PKI="$KDIR/pki"
ETCD_BIN="$CACHE_DIR/etcd-$ETCD_VERSION/bin/etcd"
APISERVER_BIN="$CACHE_DIR/k8s-$K8S_VERSION/bin/kube-apiserver"
KUBECTL_BIN="$CACHE_DIR/k8s-$K8S_VERSION/bin/kubectl"
KUBECONFIG_FILE="$KDIR/kubeconfig"            # bearer token: tests, kubectl, helm
CERT_KUBECONFIG_FILE="$KDIR/admin-cert.kubeconfig" # client certificate: the node's components

install() { bash "$HERE/build-kube.sh" etcd kube-apiserver helm; }

etcd_ready() { curl -sf "http://$TESTENV_HOST:$ETCD_PORT/readyz" >/dev/null; }
apiserver_ready() { curl -sf --cacert "$PKI/ca.crt" "https://$TESTENV_HOST:$KUBE_PORT/readyz" >/dev/null; }

# write_kubeconfig FILE USER CREDENTIALS: a kubeconfig for this apiserver; CREDENTIALS are the
# user's fields, indented by four spaces.
write_kubeconfig() {
  cat > "$1" <<KC
apiVersion: v1
kind: Config
clusters:
- name: testenv
  cluster:
    server: https://$TESTENV_HOST:$KUBE_PORT
    certificate-authority-data: $(base64 -w0 "$PKI/ca.crt")
users:
- name: $2
  user:
$3
contexts:
- name: testenv
  context: {cluster: testenv, user: $2, namespace: default}
current-context: testenv
KC
}

make_pki() {
  mkdir -p "$PKI"
  (
    cd "$PKI"
    openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj "/CN=kwdb-connect-testenv-ca" \
      -keyout ca.key -out ca.crt 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" -keyout apiserver.key -out apiserver.csr 2>/dev/null
    printf 'subjectAltName=DNS:localhost,DNS:kubernetes.default.svc,IP:%s,IP:10.0.0.1\nextendedKeyUsage=serverAuth\n' "$TESTENV_HOST" > ext.cnf
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 7 \
      -extfile ext.cnf -out apiserver.crt 2>/dev/null
    # One client certificate (system:masters) for the node's components (cluster.sh) and for the
    # apiserver towards the kubelet (logs, exec), which accepts nothing but a client certificate.
    openssl req -newkey rsa:2048 -nodes -subj "/CN=testenv-admin/O=system:masters" -keyout admin.key -out admin.csr 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\n' > admin.cnf
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 7 \
      -extfile admin.cnf -out admin.crt 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  )
  local token; token=$(openssl rand -hex 24)
  printf '%s,testenv-admin,uid-testenv-admin,"system:masters"\n' "$token" > "$KDIR/tokens.csv"
  chmod 600 "$KDIR/tokens.csv"
  write_kubeconfig "$KUBECONFIG_FILE" testenv-admin "    token: $token"
  write_kubeconfig "$CERT_KUBECONFIG_FILE" testenv-admin-cert \
    "    client-certificate-data: $(base64 -w0 "$PKI/admin.crt")
    client-key-data: $(base64 -w0 "$PKI/admin.key")"
  chmod 600 "$KUBECONFIG_FILE" "$CERT_KUBECONFIG_FILE"
}

start() {
  install
  if pid_alive "$KDIR/apiserver.pid" && apiserver_ready; then
    log "kube-apiserver already running on $TESTENV_HOST:$KUBE_PORT"; return 0
  fi
  local p; for p in "$ETCD_PORT" "$ETCD_PEER_PORT" "$KUBE_PORT"; do
    port_in_use "$p" && die "port $p is already in use on $TESTENV_HOST (set ETCD_PORT / ETCD_PEER_PORT / KUBE_PORT)"
  done
  rm -rf "$KDIR"; mkdir -p "$KDIR/certdir"
  make_pki

  nohup "$ETCD_BIN" --name=testenv --data-dir="$KDIR/etcd" \
    --listen-client-urls="http://$TESTENV_HOST:$ETCD_PORT" --advertise-client-urls="http://$TESTENV_HOST:$ETCD_PORT" \
    --listen-peer-urls="http://$TESTENV_HOST:$ETCD_PEER_PORT" --initial-advertise-peer-urls="http://$TESTENV_HOST:$ETCD_PEER_PORT" \
    --initial-cluster="testenv=http://$TESTENV_HOST:$ETCD_PEER_PORT" \
    --unsafe-no-fsync=true --log-level=warn > "$LOG_DIR/etcd.log" 2>&1 < /dev/null &
  echo $! > "$KDIR/etcd.pid"
  wait_until 60 etcd etcd_ready || { tail -n 30 "$LOG_DIR/etcd.log" >&2; die "etcd did not become ready; see $LOG_DIR/etcd.log"; }
  log "etcd ready on $TESTENV_HOST:$ETCD_PORT"

  nohup "$APISERVER_BIN" \
    --etcd-servers="http://$TESTENV_HOST:$ETCD_PORT" \
    --bind-address="$TESTENV_HOST" --advertise-address="$TESTENV_HOST" --secure-port="$KUBE_PORT" \
    --cert-dir="$KDIR/certdir" --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --service-cluster-ip-range=10.0.0.0/24 \
    --service-account-issuer="https://kubernetes.default.svc" \
    --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
    --authorization-mode=Node,RBAC --token-auth-file="$KDIR/tokens.csv" --client-ca-file="$PKI/ca.crt" \
    --kubelet-client-certificate="$PKI/admin.crt" --kubelet-client-key="$PKI/admin.key" \
    --kubelet-preferred-address-types=Hostname --endpoint-reconciler-type=none \
    --allow-privileged=true --profiling=false --v=1 > "$LOG_DIR/kube-apiserver.log" 2>&1 < /dev/null &
  echo $! > "$KDIR/apiserver.pid"
  wait_until 120 kube-apiserver apiserver_ready || {
    tail -n 40 "$LOG_DIR/kube-apiserver.log" >&2; die "kube-apiserver did not become ready; see $LOG_DIR/kube-apiserver.log"; }
  log "kube-apiserver ready on https://$TESTENV_HOST:$KUBE_PORT (KUBECONFIG=$KUBECONFIG_FILE)"
}

stop() {
  stop_pid "$KDIR/apiserver.pid" kube-apiserver
  stop_pid "$KDIR/etcd.pid" etcd
}

status() {
  if pid_alive "$KDIR/apiserver.pid" && apiserver_ready; then
    echo "kube-apiserver: running on https://$TESTENV_HOST:$KUBE_PORT (KUBECONFIG=$KUBECONFIG_FILE)"
  else echo "kube-apiserver: stopped"; return 1; fi
}

case "${1:-}" in
  install|start|stop|status) "$1" ;;
  *) die "usage: $0 install|start|stop|status" ;;
esac
