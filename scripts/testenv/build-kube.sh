#!/usr/bin/env bash
# Builds the Kubernetes binaries (kube-apiserver, kubectl, and for the one-node cluster
# kube-controller-manager, kube-scheduler and kubelet: one wrapper Go module with one replace per
# k8s.io staging module), etcd and helm from the Go module proxy into the cache, keyed by
# version, plus the two images the cluster needs (pause, node) packed from local files.
# Re-running with everything cached does nothing.
#   build-kube.sh [all|etcd|kube-apiserver|node|helm|images]...
#     kube-apiserver: kube-apiserver + kubectl (what the `kube` service needs, any user)
#     node:           the same five binaries the `cluster` service needs
#     images:         pause + node images for the cluster (needs gcc, libc6-dev; see build-images.sh)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"

# Every command of k8s.io/kubernetes we build. kube-proxy is left out: the cluster does not run it.
K8S_COMMANDS="kube-apiserver kubectl kube-controller-manager kube-scheduler kubelet"

# build_k8s CMD...: builds the missing ones of CMD into $CACHE_DIR/k8s-$K8S_VERSION/bin. The
# binaries already there are kept, so a cache made by an older build (kube-apiserver + kubectl
# only) gains the node binaries on top. cgo is left at Go's default on purpose: every build of
# this module then shares one Go build cache (a CGO_ENABLED=0 build would share nothing with it).
build_k8s() {
  local w="$CACHE_DIR/k8s-$K8S_VERSION" minor="${K8S_VERSION#1.}" c missing=()
  for c in "$@"; do [ -x "$w/bin/$c" ] || missing+=("$c"); done
  [ ${#missing[@]} -gt 0 ] || return 0
  log "building ${missing[*]} v$K8S_VERSION (cold, all five: about 8-15 min on 2 cores)"
  rm -rf "$w.tmp"; mkdir -p "$w.tmp/bin"
  [ -d "$w/bin" ] && cp -a "$w/bin/." "$w.tmp/bin/"
  (
    cd "$w.tmp"
    export GOTOOLCHAIN=local GOFLAGS=-mod=mod
    printf 'module local/k8sbins\n\ngo 1.24.0\n' > go.mod
    local gomod
    gomod=$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
    local m
    for m in $(sed -n 's#^[[:space:]]*\(k8s\.io/[A-Za-z0-9._-]*\) v0\.0\.0\([[:space:]].*\)\{0,1\}$#\1#p' "$gomod" | sort -u); do
      go mod edit "-replace=$m=$m@v0.$minor"
    done
    go get -tool $(for c in $K8S_COMMANDS; do echo "k8s.io/kubernetes/cmd/$c@v$K8S_VERSION"; done)
    local ld="-s -w" p
    for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ld="$ld -X $p.gitVersion=v$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=${minor%%.*} -X $p.gitTreeState=clean"
      ld="$ld -X $p.gitCommit=0000000000000000000000000000000000000000 -X $p.buildDate=1970-01-01T00:00:00Z"
    done
    for c in "${missing[@]}"; do
      local s=$SECONDS
      go build -trimpath -ldflags "$ld" -o "bin/$c" "k8s.io/kubernetes/cmd/$c"
      log "built $c in $((SECONDS - s)) s"
    done
  )
  rm -rf "$w"; mv "$w.tmp" "$w"
  "$w/bin/kubectl" version --client
}

build_etcd() {
  local w="$CACHE_DIR/etcd-$ETCD_VERSION"
  [ -x "$w/bin/etcd" ] && return 0
  log "building etcd v$ETCD_VERSION"
  rm -rf "$w.tmp"; mkdir -p "$w.tmp/bin"
  (
    cd "$w.tmp"
    export GOTOOLCHAIN=local GOFLAGS=-mod=mod
    printf 'module local/etcdbin\n\ngo 1.25.0\n' > go.mod
    go get -tool "go.etcd.io/etcd/server/v3@v$ETCD_VERSION"
    go build -trimpath -ldflags "-s -w" -o bin/etcd go.etcd.io/etcd/server/v3
  )
  rm -rf "$w"; mv "$w.tmp" "$w"
  "$w/bin/etcd" --version
}

build_helm() {
  local w="$CACHE_DIR/helm-$HELM_VERSION" minor="${K8S_VERSION#1.}"
  [ -x "$w/bin/helm" ] && return 0
  log "building helm v$HELM_VERSION"
  rm -rf "$w.tmp"; mkdir -p "$w.tmp/bin"
  GOBIN="$w.tmp/bin" GOTOOLCHAIN=local go install -trimpath -ldflags "-s -w \
    -X helm.sh/helm/v3/internal/version.version=v$HELM_VERSION \
    -X helm.sh/helm/v3/internal/version.gitTreeState=clean \
    -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 \
    -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=${minor%%.*}" \
    "helm.sh/helm/v3/cmd/helm@v$HELM_VERSION"
  rm -rf "$w"; mv "$w.tmp" "$w"
  "$w/bin/helm" version
}

# One build at a time: a second caller waits for the first, then finds the cache warm.
exec 9>"$CACHE_DIR/.build-kube.lock"
flock 9

[ $# -gt 0 ] || set -- all
for what in "$@"; do
  case "$what" in
    kube-apiserver) build_k8s kube-apiserver kubectl ;;
    node) build_k8s $K8S_COMMANDS ;;
    etcd) build_etcd ;;
    helm) build_helm ;;
    images) bash "$HERE/build-images.sh" ;;
    all) build_etcd; build_k8s $K8S_COMMANDS; build_helm ;;
    *) die "usage: $0 [all|etcd|kube-apiserver|node|helm|images]..." ;;
  esac
done
