#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian machine, idempotently:
# Debian packages (PostgreSQL 15, Java 17, Maven, openssl, curl), npm packages (npm ci),
# and the test services' runtimes (Kafka jars from Maven Central; kube-apiserver,
# kubectl, etcd, helm and the Traefik ingress controller built from the Go module proxy; for the
# one-node cluster kube-controller-manager, kube-scheduler and kubelet built the same way,
# containerd, runc, the CNI plugins, iptables, conntrack, gcc and buildah from Debian, the pause and
# node images packed locally), cached outside the repo in ~/.cache/kwdb-connect keyed by version.
#   scripts/setup.sh [kafka] [postgres] [kube] [prometheus] [cluster] [ingress]
#   (default: all six as root, all but the cluster otherwise: the cluster needs root)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
log() { printf '[setup %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
if [ $# -eq 0 ]; then
  set -- kafka postgres kube prometheus
  if [ "$(id -u)" = 0 ]; then set -- "$@" cluster; fi
  set -- "$@" ingress
fi

# --- Debian packages -------------------------------------------------------------
need=()
[ -x /usr/lib/postgresql/15/bin/pg_ctl ] || need+=(postgresql-15 postgresql-client-15)
command -v java >/dev/null || need+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || need+=(maven)
command -v openssl >/dev/null || need+=(openssl)
command -v curl >/dev/null || need+=(curl ca-certificates)
command -v flock >/dev/null || need+=(util-linux)
if [[ " $* " == *" cluster "* ]]; then
  # The node (containerd, runc, CNI, the kubelet's iptables and conntrack), the pause image (gcc,
  # libc6-dev) and the project's image built from docker/Dockerfile without a daemon (buildah).
  for p in containerd runc containernetworking-plugins iptables conntrack gcc libc6-dev buildah; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || need+=("$p")
  done
fi
command -v rsvg-convert >/dev/null || need+=(librsvg2-bin) # SVG -> PNG for docs/dashboards; Prometheus: testenv install
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { log "missing Debian packages (${need[*]}); run as root or install them"; exit 1; }
  log "apt-get install ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# --- toolchains that Debian cannot provide new enough ----------------------------
node_ok=$(node -e 'const [a,b]=process.versions.node.split(".").map(Number); console.log(a>20||(a===20&&b>=19)?1:0)')
[ "$node_ok" = 1 ] || { log "Node >= 20.19 is required (found $(node -v))"; exit 1; }
if [[ " $* " == *" kube "* || " $* " == *" cluster "* || " $* " == *" ingress "* ]]; then
  if ! command -v go >/dev/null; then log "Go >= 1.25 is required to build kube-apiserver, etcd, helm and traefik"; exit 1; fi
  go_minor=$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
  [ "${go_minor:-0}" -ge 25 ] || { log "Go >= 1.25 is required (found $(go env GOVERSION))"; exit 1; }
fi

# --- npm -------------------------------------------------------------------------
# `npm ci` installs exactly what package-lock.json lists. The lock file lists every platform's
# optional packages (e.g. @unrs/resolver-binding-darwin-*), which `npm ci` requires.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci (from package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# --- test services' runtimes (cached) --------------------------------------------
bash scripts/testenv/testenv.sh install "$@"
log "setup complete"
