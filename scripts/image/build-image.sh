#!/usr/bin/env bash
# Builds the project's image from docker/Dockerfile without a daemon (buildah, Debian), cached by
# content, and optionally imports it into the test cluster's containerd.
#   build-image.sh [--stage-only] [--import]
#     --stage-only  only prepare the build context in dist/image (for `docker build`), print its path
#     --import      also import the image into the running cluster (cluster.sh) unless already there
# Needs `npm run build` first (dist/apps/*/main.js). Prints the image reference on its last line:
#   localhost/kwdb-connect:<12 hex digits of the content key>
# The key covers the Dockerfile, the bundled apps, package-lock.json and the base image, so an
# unchanged tree reuses $CACHE_DIR/kwdb-connect-images/<tag>.tar (and the image in containerd).
# Environment: CACHE_DIR, TESTENV_DIR (lib.sh), NODE_IMAGE (base image; default: the local node
# base of build-images.sh, localhost/kwdb-node:<node version>), IMAGE_NAME (localhost/kwdb-connect).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
source "$ROOT/scripts/testenv/lib.sh"

APPS="cli config-api sink-worker source-worker"
# The entrypoint of each app in the image (app/bin/NAME -> ../dist/apps/APP/main.js).
entry_name() { case "$1" in cli) echo kwdb-connect ;; *) echo "kwdb-$1" ;; esac; }
: "${IMAGE_NAME:=localhost/kwdb-connect}"
NODE_VERSION=$(node -v)
LOCAL_BASE="localhost/kwdb-node:${NODE_VERSION#v}"
LOCAL_BASE_TAR="$CACHE_DIR/cluster-images/node-$NODE_VERSION.tar"
: "${NODE_IMAGE:=$LOCAL_BASE}"
DEPS_CACHE="$CACHE_DIR/image-deps"
IMAGE_CACHE="$CACHE_DIR/kwdb-connect-images"
BUILDAH_ROOT="$CACHE_DIR/buildah/storage"
BUILDAH_RUNROOT="$CACHE_DIR/buildah/run"
STAGE="$ROOT/dist/image"
SOCK="$TESTENV_DIR/cluster/containerd/containerd.sock"

stage_only=0 import=0
for a in "$@"; do
  case "$a" in --stage-only) stage_only=1 ;; --import) import=1 ;; *) die "usage: $0 [--stage-only] [--import]" ;; esac
done
for app in $APPS; do
  [ -f "$ROOT/dist/apps/$app/main.js" ] || die "dist/apps/$app/main.js is missing: run \`npm run build\` first"
done

# Production dependencies, installed once per package-lock.json from the npm registry.
prod_deps() {
  local key dir
  key=$({ echo prune-v2; cat "$ROOT/package.json" "$ROOT/package-lock.json" "$ROOT"/tools/patches/*/*; } | sha256sum | cut -c1-16)
  dir="$DEPS_CACHE/$key"
  if [ ! -d "$dir/node_modules" ]; then
    log "npm ci --omit=dev into $dir"
    rm -rf "$dir.tmp"; mkdir -p "$dir.tmp"
    cp "$ROOT/package.json" "$ROOT/package-lock.json" "$dir.tmp/"
    (cd "$dir.tmp" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
    # The one install script the project has: kafkajs's fixed read_committed filter (ADR 0011).
    node "$ROOT/tools/scripts/patch-kafkajs.mjs" "$dir.tmp" >&2
    # Never loaded at run time: type declarations, source maps, docs (about 40 of 89 MB).
    find "$dir.tmp/node_modules" -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \
      -o -name '*.map' -o -name '*.md' -o -name '*.markdown' \) -delete
    rm -rf "$dir"; mv "$dir.tmp" "$dir"
    # Keep the newest three.
    ls -1dt "$DEPS_CACHE"/*/ 2>/dev/null | tail -n +4 | xargs -r rm -rf
  fi
  echo "$dir"
}

# The build context: what the Dockerfile COPYs, nothing else.
stage() {
  local deps=$1 app
  rm -rf "$STAGE"; mkdir -p "$STAGE/app/bin"
  cp -al "$deps/node_modules" "$STAGE/app/node_modules" 2>/dev/null || cp -a "$deps/node_modules" "$STAGE/app/node_modules"
  # Only what node needs to load the bundles as ES modules; npm metadata stays out.
  node -e 'const p = require(process.argv[1]);
    console.log(JSON.stringify({ name: p.name, version: p.version, private: true, type: p.type, license: p.license }, null, 2))' \
    "$ROOT/package.json" > "$STAGE/app/package.json"
  for app in $APPS; do
    mkdir -p "$STAGE/app/dist/apps/$app"
    cp "$ROOT/dist/apps/$app/main.js" "$STAGE/app/dist/apps/$app/main.js"
    ln -s "../dist/apps/$app/main.js" "$STAGE/app/bin/$(entry_name "$app")"
  done
}

# The content key: every input of the image (the staged tree, the Dockerfile and the base image).
content_key() {
  local base_id
  if [ "$NODE_IMAGE" = "$LOCAL_BASE" ]; then base_id=$(sha256sum "$LOCAL_BASE_TAR" | cut -c1-64); else base_id=$NODE_IMAGE; fi
  {
    echo "base $base_id"
    sha256sum "$ROOT/docker/Dockerfile" | cut -c1-64
    (cd "$STAGE" && find . \( -type f -o -type l \) -print0 | LC_ALL=C sort -z | xargs -0 sha256sum -- 2>/dev/null; find . -type l -printf '%p -> %l\n' | LC_ALL=C sort)
  } | sha256sum | cut -c1-12
}

bah() { buildah --root "$BUILDAH_ROOT" --runroot "$BUILDAH_RUNROOT" --storage-driver vfs "$@"; }

build() {
  local ref=$1 tar=$2
  command -v buildah >/dev/null || die "buildah is missing: apt-get install buildah (scripts/setup.sh does)"
  if [ "$NODE_IMAGE" = "$LOCAL_BASE" ] && ! bah inspect --type image "$LOCAL_BASE" >/dev/null 2>&1; then
    [ -f "$LOCAL_BASE_TAR" ] || bash "$ROOT/scripts/testenv/build-kube.sh" images
    bah pull --quiet "docker-archive:$LOCAL_BASE_TAR" >/dev/null
  fi
  log "building $ref from docker/Dockerfile (buildah, base $NODE_IMAGE)"
  bah bud --quiet --pull=never --layers=false --build-arg "NODE_IMAGE=$NODE_IMAGE" \
    -f "$ROOT/docker/Dockerfile" -t "$ref" "$STAGE" >/dev/null
  mkdir -p "$IMAGE_CACHE"
  rm -f "$tar.tmp"
  bah push --quiet "$ref" "docker-archive:$tar.tmp:$ref" >/dev/null
  mv "$tar.tmp" "$tar"
  # Keep the newest three images, in the cache and in buildah's storage.
  local old
  for old in $(ls -1t "$IMAGE_CACHE"/*.tar | tail -n +4); do
    bah rmi "$IMAGE_NAME:$(basename "$old" .tar)" >/dev/null 2>&1 || true
    rm -f "$old"
  done
  log "image $ref: $(du -h "$tar" | cut -f1) (docker-archive), $tar"
}

import_into_cluster() {
  local ref=$1 tar=$2
  ctr -a "$SOCK" version >/dev/null 2>&1 || die "the cluster's containerd is not running ($SOCK): start it with testenv.sh start cluster"
  if [ -z "$(ctr -a "$SOCK" -n k8s.io images ls -q "name==$ref")" ]; then
    ctr -a "$SOCK" -n k8s.io images import "$tar" >/dev/null
    log "imported $ref into the cluster's containerd"
  fi
}

exec 9> "$CACHE_DIR/.build-image.lock"
flock 9
stage "$(prod_deps)"
if [ "$stage_only" = 1 ]; then echo "$STAGE"; exit 0; fi
tag=$(content_key)
ref="$IMAGE_NAME:$tag"
tar="$IMAGE_CACHE/$tag.tar"
[ -f "$tar" ] || build "$ref" "$tar"
[ "$import" = 0 ] || import_into_cluster "$ref" "$tar"
echo "$ref"
