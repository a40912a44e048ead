#!/usr/bin/env bash
# A one-node Kubernetes that runs Pods: the kube service's etcd + kube-apiserver (kube.sh, started
# here when it is not running) plus kube-controller-manager, kube-scheduler and kubelet (built by
# build-kube.sh) and containerd, runc and the CNI plugins (Debian packages). Everything listens on
# 127.0.0.1. Needs root: containerd, runc, iptables, sysctls and mounts change the host, and `stop`
# undoes all of it. One cluster per host (the kubelet hard-codes host paths and cgroups).
#   cluster.sh install|start|stop|status|env|host-state
#   (host-state prints what the node changes on the host, for before/after comparisons)
# Images: the pause image and the node base image (build-images.sh) are imported at start; the
# project's image is imported by scripts/image/build.sh --import. Recipe, blockers and
# measurements: docs/testing.md and docs/adr/0015-one-apiserver-for-kube-and-cluster.md.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"

: "${CONTAINERD:=/usr/bin/containerd}"
: "${RUNC:=/usr/sbin/runc}"
: "${CNI_BIN_DIR:=/usr/lib/cni}"
BIN="$CACHE_DIR/k8s-$K8S_VERSION/bin"
KDIR="$TESTENV_DIR/kube"                    # the kube service: PKI, kubeconfigs
CDIR="$TESTENV_DIR/cluster"                 # everything the node writes that can be placed
PKI="$KDIR/pki"
CERT_KUBECONFIG="$KDIR/admin-cert.kubeconfig"
SOCK="$CDIR/containerd/containerd.sock"
IMAGES="$CACHE_DIR/cluster-images"
PAUSE_TAR="$IMAGES/pause-3.10.tar"
NODE_TAR="$IMAGES/node-$(node -v).tar"
NODE=localhost          # node name; the apiserver reaches the kubelet by Hostname -> 127.0.0.1
NET=kwdb-cluster        # CNI network name (libcni caches results as /var/lib/cni/results/$NET-<id>-eth0)
BRIDGE=kwdbcluster0     # CNI bridge (at most 15 characters)
POD_CIDR=10.244.0.0/24 SERVICE_CIDR=10.0.0.0/24
# One cluster per host: this file names the running one (its TESTENV_DIR and kubelet pid).
OWNER_FILE=/run/kwdb-connect-cluster.owner
# The kubelet's and CNI's host-wide leftovers that stop removes (all by name).
IPT_CHAINS='KUBE-FIREWALL|KUBE-KUBELET-CANARY|KUBE-IPTABLES-HINT|KUBE-PROXY-CANARY|CNI-[^ ]*'
SYSCTLS="vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops net.ipv4.ip_forward"

kubectl_node() { "$BIN/kubectl" --kubeconfig "$CERT_KUBECONFIG" "$@"; }
ctr_k8s() { ctr -a "$SOCK" -n k8s.io "$@"; }
containerd_up() { ctr -a "$SOCK" version >/dev/null 2>&1; }
node_ready() {
  kubectl_node get node "$NODE" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -qx True
}
bg() { # NAME CMD...: runs CMD in the background, logs to $LOG_DIR/NAME.log, pid in $CDIR/NAME.pid
  local name=$1; shift
  nohup "$@" > "$LOG_DIR/$name.log" 2>&1 < /dev/null &
  echo $! > "$CDIR/$name.pid"
}

install() {
  local pkgs=() p
  # The same list as scripts/setup.sh's for the cluster (buildah builds the project's image).
  for p in containerd runc containernetworking-plugins iptables conntrack gcc libc6-dev buildah; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || pkgs+=("$p")
  done
  if [ ${#pkgs[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "missing Debian packages (${pkgs[*]}) and we are not root"
    log "installing ${pkgs[*]} from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" > /dev/null
  fi
  bash "$HERE/build-kube.sh" etcd node helm images
}

preflight() {
  [ "$(id -u)" = 0 ] || die "the cluster needs root (containerd, runc, iptables, sysctls, mounts)"
  # containerd's ttrpc socket ($SOCK.ttrpc) must fit a unix socket address (108 bytes).
  [ ${#SOCK} -le 100 ] || die "TESTENV_DIR is too long for containerd's socket path ($SOCK); use a shorter one"
  if [ -f "$OWNER_FILE" ]; then
    local owner_dir owner_pid
    read -r owner_dir owner_pid < "$OWNER_FILE" || true
    if [ -n "${owner_pid:-}" ] && kill -0 "$owner_pid" 2>/dev/null; then
      die "a cluster is already running on this host (TESTENV_DIR=$owner_dir, kubelet pid $owner_pid): one per host. If it is another run's (CI, another checkout), wait for it to finish: runs that share a host take flock /tmp/kwdb-cluster.lock around the cluster's start..stop. Stop it (TESTENV_DIR=$owner_dir $0 stop) only if it is your own leftover"
    fi
  fi
  containerd_up && die "containerd of an earlier start still runs on $SOCK: run $0 stop first"
  local p
  for p in "$KCM_PORT" "$SCHED_PORT" "$KUBELET_PORT" "$KUBELET_HEALTHZ_PORT"; do
    port_in_use "$p" && die "port $p is already in use on $TESTENV_HOST (set KCM_PORT / SCHED_PORT / KUBELET_PORT / KUBELET_HEALTHZ_PORT)"
  done
  return 0
}

write_runtime_config() {
  mkdir -p "$CDIR/containerd" "$CDIR/cni/net.d"
  cat > "$CDIR/containerd/config.toml" <<TOML
version = 2
root = "$CDIR/containerd/lib"
state = "$CDIR/containerd/state"
[grpc]
  address = "$SOCK"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.k8s.io/pause:3.10"
  stream_server_address = "$TESTENV_HOST"
  stream_server_port = "0"
  enable_selinux = false
  netns_mounts_under_state_dir = true
  # Without CAP_SYS_RESOURCE a negative oom_score_adj (pause: -998) makes runc fail with
  # "can't get final child's PID from pipe: EOF". Clamp to containerd's own score.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$RUNC"
        Root = "$CDIR/containerd/runc"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN_DIR"
    conf_dir = "$CDIR/cni/net.d"
TOML
  # A CNI config is needed even if every Pod uses hostNetwork: without one the node stays NotReady.
  cat > "$CDIR/cni/net.d/10-bridge.conflist" <<CNI
{"cniVersion": "0.4.0", "name": "$NET", "plugins": [
  {"type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "ipMasq": true, "hairpinMode": true,
   "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR"}]], "routes": [{"dst": "0.0.0.0/0"}],
            "dataDir": "$CDIR/cni/ipam"}},
  {"type": "portmap", "capabilities": {"portMappings": true}}]}
CNI
}

write_kubelet_config() {
  cat > "$CDIR/kubelet-config.yaml" <<KCFG
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $TESTENV_HOST
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: $TESTENV_HOST
healthzPort: $KUBELET_HEALTHZ_PORT
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix://$SOCK
failSwapOn: false
clusterDomain: cluster.local
resolvConf: /etc/resolv.conf
# No registry to pull them back from: never garbage-collect the imported images.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
serializeImagePulls: false
podLogsDir: $CDIR/pod-logs
protectKernelDefaults: false
KCFG
}

start() {
  preflight
  install
  if ! bash "$HERE/kube.sh" status >/dev/null 2>&1; then
    bash "$HERE/kube.sh" start
    mkdir -p "$CDIR"; touch "$CDIR/started-kube"    # stop then stops the kube service too
  fi
  local t0=$SECONDS
  mkdir -p "$CDIR/kubelet"
  echo "$TESTENV_DIR $$" > "$OWNER_FILE"          # the kubelet's pid replaces $$ below
  # The kubelet sets these sysctls and the bridge plugin sets ip_forward: remember them for stop.
  [ -f "$CDIR/sysctl.orig" ] || { local k; for k in $SYSCTLS; do echo "$k=$(sysctl -n "$k")"; done > "$CDIR/sysctl.orig"; }

  write_runtime_config
  bg containerd "$CONTAINERD" --config "$CDIR/containerd/config.toml"
  wait_until 30 containerd containerd_up || { tail -n 30 "$LOG_DIR/containerd.log" >&2; die "containerd did not start; see $LOG_DIR/containerd.log"; }
  local img
  for img in "$PAUSE_TAR" "$NODE_TAR"; do ctr_k8s images import "$img" >/dev/null; done
  log "containerd ready, base images imported ($((SECONDS - t0)) s)"

  # kcm is required: it creates each namespace's default ServiceAccount and publishes kube-root-ca.crt.
  bg kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig="$CERT_KUBECONFIG" \
    --authentication-kubeconfig="$CERT_KUBECONFIG" --authorization-kubeconfig="$CERT_KUBECONFIG" \
    --bind-address="$TESTENV_HOST" --secure-port="$KCM_PORT" --leader-elect=false \
    --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
    --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
    --use-service-account-credentials=false \
    --service-cluster-ip-range="$SERVICE_CIDR" --cert-dir="$CDIR/kcm-certs" --profiling=false --v=1
  bg kube-scheduler "$BIN/kube-scheduler" --kubeconfig="$CERT_KUBECONFIG" \
    --authentication-kubeconfig="$CERT_KUBECONFIG" --authorization-kubeconfig="$CERT_KUBECONFIG" \
    --bind-address="$TESTENV_HOST" --secure-port="$SCHED_PORT" --cert-dir="$CDIR/scheduler-certs" \
    --leader-elect=false --profiling=false --v=1
  write_kubelet_config
  bg kubelet "$BIN/kubelet" --config="$CDIR/kubelet-config.yaml" --kubeconfig="$CERT_KUBECONFIG" \
    --root-dir="$CDIR/kubelet" --cert-dir="$CDIR/kubelet/pki" --hostname-override="$NODE" --oom-score-adj=0 --v=1
  echo "$TESTENV_DIR $(cat "$CDIR/kubelet.pid")" > "$OWNER_FILE"
  wait_until 180 "node Ready" node_ready || { tail -n 30 "$LOG_DIR/kubelet.log" >&2; die "node $NODE not Ready after 180 s; see $LOG_DIR/kubelet.log"; }
  log "node $NODE Ready ($((SECONDS - t0)) s)"
  wait_until 60 "default ServiceAccount" kubectl_node get serviceaccount default -n default \
    || die "kube-controller-manager made no default ServiceAccount in 60 s; see $LOG_DIR/kube-controller-manager.log"
  log "cluster ready in $((SECONDS - t0)) s (KUBECONFIG=$KDIR/kubeconfig)"
}

# Removes the jump rules to, then the chains the kubelet and the CNI plugins create, by name.
remove_iptables_chains() {
  local fam t r ch
  for fam in iptables ip6tables; do
    command -v "$fam" >/dev/null || continue
    for t in filter nat mangle; do
      "$fam" -t "$t" -S 2>/dev/null | { grep -E -- "-j ($IPT_CHAINS)( |\$)" || true; } | sed 's/^-A/-D/' \
        | while read -r r; do eval "$fam -t $t $r" || true; done
      for ch in $("$fam" -t "$t" -S 2>/dev/null | { grep -E -- "^-N ($IPT_CHAINS)\$" || true; } | cut -d' ' -f2); do
        "$fam" -t "$t" -F "$ch" 2>/dev/null || true
        "$fam" -t "$t" -X "$ch" 2>/dev/null || true
      done
    done
  done
}

stop() {
  # Nothing of ours to undo without our directory (and the host-wide clean-up matches by name).
  [ -d "$CDIR" ] || { log "cluster: nothing to stop in $CDIR"; return 0; }
  local owner_dir="" owner_pid=""
  [ -f "$OWNER_FILE" ] && read -r owner_dir owner_pid < "$OWNER_FILE"
  if [ -n "$owner_dir" ] && [ "$owner_dir" != "$TESTENV_DIR" ] && kill -0 "$owner_pid" 2>/dev/null; then
    log "the running cluster belongs to TESTENV_DIR=$owner_dir: leaving it and the host alone"; return 0
  fi
  # Remove all workloads first so the kubelet tears the sandboxes down itself (CNI DEL releases IPs
  # and libcni's cache), then wait up to 30 s for the tasks to be gone.
  if pid_alive "$CDIR/kubelet.pid" && [ -f "$CERT_KUBECONFIG" ]; then
    kubectl_node delete deploy,rs,sts,ds,job,pod --all -A --wait=false >/dev/null 2>&1 || true
    local i
    for i in $(seq 1 60); do [ -z "$(ctr_k8s tasks ls -q 2>/dev/null)" ] && break; sleep 0.5; done
  fi
  stop_pid "$CDIR/kubelet.pid" kubelet
  stop_pid "$CDIR/kube-scheduler.pid" kube-scheduler
  stop_pid "$CDIR/kube-controller-manager.pid" kube-controller-manager
  local c
  if containerd_up; then # kill and remove whatever is left (tasks, shims, containers)
    for c in $(ctr_k8s tasks ls -q 2>/dev/null); do ctr_k8s tasks kill -s KILL "$c" >/dev/null 2>&1 || true; done
    for c in $(ctr_k8s tasks ls -q 2>/dev/null); do ctr_k8s tasks delete -f "$c" >/dev/null 2>&1 || true; done
    for c in $(ctr_k8s containers ls -q 2>/dev/null); do ctr_k8s containers delete "$c" >/dev/null 2>&1 || true; done
  fi
  stop_pid "$CDIR/containerd.pid" containerd
  if [ -f "$CDIR/started-kube" ]; then bash "$HERE/kube.sh" stop; rm -f "$CDIR/started-kube"; fi
  restore_host
  rm -f "$OWNER_FILE"
  return 0
}

# Undoes what the node changed outside its processes: mounts, firewall, bridge, paths, cgroups, sysctls.
restore_host() {
  # Mounts under $CDIR (kubelet volumes, overlay rootfs, netns, shm), deepest first.
  { grep -o " $CDIR/[^ ]*" /proc/self/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  remove_iptables_chains
  ip link del "$BRIDGE" 2>/dev/null || true
  # Paths the kubelet, containerd and libcni hard-code: this cluster's entries, then the dirs if empty.
  find /var/log/containers -maxdepth 1 -lname "$CDIR/*" -delete 2>/dev/null || true
  local f id
  for f in /var/lib/cni/results/"$NET"-*-eth0; do
    [ -e "$f" ] || continue
    id=${f#/var/lib/cni/results/$NET-}; id=${id%-eth0}
    rm -f "$f" "/var/lib/cni/results/cni-loopback-$id-lo"
  done
  rm -f /var/lib/kubelet/device-plugins/kubelet.sock
  rmdir /var/lib/kubelet/device-plugins /var/lib/kubelet /var/log/containers /var/lib/cni/results /var/lib/cni \
    /run/containerd/s /run/containerd 2>/dev/null || true
  # The kubelet's QoS cgroups (cgroupfs driver, one tree per v1 hierarchy); empty once the Pods are gone.
  local d
  for d in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods; do
    [ -d "$d" ] && { find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true; }
  done
  if [ -f "$CDIR/sysctl.orig" ]; then sysctl -q -p "$CDIR/sysctl.orig" && rm -f "$CDIR/sysctl.orig"; fi
  log "cluster stopped; host state restored"
}

# What the node changes on the host, one line per item, sorted: `stop` must bring it back to what
# it was before `start` (scripts/test.sh compares the two and fails on any difference).
host_state() {
  local k fam t
  for k in $SYSCTLS; do echo "sysctl $k=$(sysctl -n "$k")"; done
  for fam in iptables ip6tables; do
    command -v "$fam" >/dev/null || continue
    for t in filter nat mangle; do
      "$fam" -t "$t" -S 2>/dev/null | { grep -E -- "^-N ($IPT_CHAINS)\$|-j ($IPT_CHAINS)( |\$)" || true; } | sed "s/^/$fam $t /"
    done
  done
  if ip link show "$BRIDGE" >/dev/null 2>&1; then echo "bridge $BRIDGE"; fi
  { ls -d /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods 2>/dev/null || true; } | sed "s/^/cgroup /"
  { grep -o " $CDIR/[^ ]*" /proc/self/mounts || true; } | sed 's/^ /mount /'
  local p
  for p in /var/log/containers /var/lib/kubelet /var/lib/cni /run/containerd "$OWNER_FILE"; do
    [ -e "$p" ] && echo "path $p"
  done
  pgrep -f -- "$CDIR/" >/dev/null && echo "processes using $CDIR: $(pgrep -f -- "$CDIR/" | wc -l)"
  return 0
}

status() {
  if pid_alive "$CDIR/kubelet.pid" && bash "$HERE/kube.sh" status >/dev/null 2>&1 && node_ready; then
    echo "cluster: node $NODE Ready (KUBECONFIG=$KDIR/kubeconfig)"
  else echo "cluster: stopped"; return 1; fi
}

case "${1:-}" in
  install|start|stop|status) "$1" ;;
  env) bash "$HERE/testenv.sh" env ;; # env.json, with its "cluster" section
  host-state) host_state | sort ;;
  *) die "usage: $0 install|start|stop|status|env|host-state" ;;
esac
