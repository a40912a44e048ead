#!/usr/bin/env bash
# Packs the two images the cluster needs from local files, without a daemon or a registry, into
# $CACHE_DIR/cluster-images (run through `build-kube.sh images`, which holds the build lock):
#   pause-3.10.tar   registry.k8s.io/pause:3.10, the sandbox image (containerd would otherwise
#                    pull it): pause.c of the k8s.io/kubernetes module in the Go module cache,
#                    compiled with gcc -static
#   node-<ver>.tar   localhost/kwdb-node:<node version without v>, the base of the project's image
#                    here (docker/Dockerfile's NODE_IMAGE): the host's node binary, the loader and
#                    the libraries ldd lists, /usr/bin/env, users root and node (1000), /tmp
# Needs root (chroot sanity check), go, gcc and libc6-dev. Re-running with both present does nothing.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"

IMAGES="$CACHE_DIR/cluster-images"
NODE_BIN=$(command -v node)
NODE_VERSION=$(node -v)
PAUSE_TAR="$IMAGES/pause-3.10.tar"
NODE_TAR="$IMAGES/node-$NODE_VERSION.tar"
NODE_IMAGE="localhost/kwdb-node:${NODE_VERSION#v}"
[ -f "$PAUSE_TAR" ] && [ -f "$NODE_TAR" ] && exit 0
mkdir -p "$IMAGES"
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT

if [ ! -f "$PAUSE_TAR" ]; then
  # The source stays in the module cache; only the binary goes into the image.
  kdir=$(cd "$w" && GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  mkdir -p "$w/pause-rootfs"
  gcc -Os -static -DVERSION=v3.10-local -o "$w/pause-rootfs/pause" "$kdir/build/pause/linux/pause.c"
  strip "$w/pause-rootfs/pause"
  bash "$HERE/mkimage.sh" registry.k8s.io/pause:3.10 "$w/pause-rootfs" "$PAUSE_TAR.tmp" '["/pause"]'
  mv "$PAUSE_TAR.tmp" "$PAUSE_TAR"
fi

if [ ! -f "$NODE_TAR" ]; then
  # Laid out like the official node image where it matters: node in /usr/local/bin, user node (1000).
  r="$w/node-rootfs"
  mkdir -p "$r/usr/local/bin" "$r/usr/bin" "$r/tmp" "$r/etc" "$r/home/node"
  chmod 1777 "$r/tmp"
  chown 1000:1000 "$r/home/node"
  cp "$NODE_BIN" "$r/usr/local/bin/node"
  cp "$(command -v env)" "$r/usr/bin/env" # for the apps' `#!/usr/bin/env node`
  for l in $({ ldd "$NODE_BIN"; ldd "$(command -v env)"; } | grep -o '/[^ ]*' | sort -u); do
    mkdir -p "$r$(dirname "$l")"
    cp -L "$l" "$r$l"
  done
  ln -s usr/bin "$r/bin"
  printf 'root:x:0:0:root:/root:/bin/false\nnode:x:1000:1000:node:/home/node:/bin/false\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$r/etc/passwd"
  printf 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n' > "$r/etc/group"
  chroot "$r" /usr/bin/env node -e 'console.log("node image rootfs ok")'
  bash "$HERE/mkimage.sh" "$NODE_IMAGE" "$r" "$NODE_TAR.tmp" '["node"]'
  mv "$NODE_TAR.tmp" "$NODE_TAR"
fi
