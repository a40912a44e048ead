#!/usr/bin/env bash
# Builds the Traefik ingress controller from the Go module proxy into the cache, keyed by
# version. Re-running with the binary cached does nothing.
#
# Traefik's go.mod has replace and exclude directives (its own forks of go-http-auth, mux and
# minheap; an ambiguous tencentcloud module), so `go install traefik@version` refuses it. As for
# kube-apiserver (build-kube.sh), a wrapper module copies those directives and builds the command
# with `go build`. v3.7 replaces a nested module by a local path the module proxy cannot serve
# (github.com/traefik/traefik/dynamic/ext => ./pkg/config/dynamic/ext), so we stay on v3.6
# (docs/adr/0024-ingress-controller-traefik.md).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

: "${TRAEFIK_VERSION:=3.6.12}"

build_traefik() {
  local w="$CACHE_DIR/traefik-$TRAEFIK_VERSION"
  [ -x "$w/bin/traefik" ] && return 0
  log "building traefik v$TRAEFIK_VERSION (cold: about 10-20 min on 2 busy cores)"
  rm -rf "$w.tmp"; mkdir -p "$w.tmp/bin"
  (
    cd "$w.tmp"
    export GOTOOLCHAIN=local GOFLAGS=-mod=mod
    local mod="github.com/traefik/traefik/v3"
    printf 'module local/traefikbin\n\ngo 1.25.0\n' > go.mod
    local gomod
    gomod=$(go mod download -json "$mod@v$TRAEFIK_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
    # Copy every module replace (`old => new version`, in a block or on one line) and exclude.
    local line
    while read -r line; do go mod edit "-replace=$line"; done < <(
      sed -n 's#^\(replace[[:space:]]\{1,\}\)\{0,1\}[[:space:]]*\([^[:space:]]\{1,\}\)[[:space:]]\{1,\}=>[[:space:]]\{1,\}\([^[:space:]./][^[:space:]]*\)[[:space:]]\{1,\}\(v[^[:space:]]\{1,\}\).*#\2=\3@\4#p' "$gomod"
    )
    while read -r line; do go mod edit "-exclude=$line"; done < <(
      sed -n 's#^exclude[[:space:]]\{1,\}\([^[:space:]]\{1,\}\)[[:space:]]\{1,\}\(v[^[:space:]]\{1,\}\).*#\1@\2#p' "$gomod"
    )
    go get -tool "$mod/cmd/traefik@v$TRAEFIK_VERSION"
    go build -trimpath -ldflags "-s -w -X $mod/pkg/version.Version=v$TRAEFIK_VERSION \
      -X $mod/pkg/version.Codename=kwdb-connect-testenv -X $mod/pkg/version.BuildDate=1970-01-01T00:00:00Z" \
      -o bin/traefik "$mod/cmd/traefik"
  )
  rm -rf "$w"; mv "$w.tmp" "$w"
  "$w/bin/traefik" version
}

# One build at a time: a second caller waits for the first, then finds the cache warm.
exec 9>"$CACHE_DIR/.build-traefik.lock"
flock 9
build_traefik
