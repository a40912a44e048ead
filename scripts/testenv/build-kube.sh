#!/usr/bin/env bash
# Builds kube-apiserver and kubectl (through a wrapper Go module with one replace per
# k8s.io staging module), etcd and helm from the Go module proxy into the
# cache, keyed by version. Re-running with everything cached does nothing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_kube_apiserver() {
  local w="$CACHE_DIR/k8s-$K8S_VERSION" minor="${K8S_VERSION#1.}"
  [ -x "$w/bin/kube-apiserver" ] && [ -x "$w/bin/kubectl" ] && return 0
  log "building kube-apiserver v$K8S_VERSION (cold: about 3-4 min on 2 cores)"
  rm -rf "$w.tmp"; mkdir -p "$w.tmp/bin"
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
    go get -tool "k8s.io/kubernetes/cmd/kube-apiserver@v$K8S_VERSION" "k8s.io/kubernetes/cmd/kubectl@v$K8S_VERSION"
    local ld="-s -w" p
    for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ld="$ld -X $p.gitVersion=v$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=${minor%%.*} -X $p.gitTreeState=clean"
      ld="$ld -X $p.gitCommit=0000000000000000000000000000000000000000 -X $p.buildDate=1970-01-01T00:00:00Z"
    done
    go build -trimpath -ldflags "$ld" -o bin/kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver
    go build -trimpath -ldflags "$ld" -o bin/kubectl k8s.io/kubernetes/cmd/kubectl
  )
  rm -rf "$w"; mv "$w.tmp" "$w"
  "$w/bin/kube-apiserver" --version
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

what=${1:-all}
case "$what" in
  kube-apiserver) build_kube_apiserver ;;
  etcd) build_etcd ;;
  helm) build_helm ;;
  all) build_etcd; build_kube_apiserver; build_helm ;;
  *) die "usage: $0 [all|etcd|kube-apiserver|helm]" ;;
esac
