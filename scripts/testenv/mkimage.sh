#!/usr/bin/env bash
# mkimage.sh NAME:TAG ROOTFS_DIR OUT.tar ENTRYPOINT_JSON [CMD_JSON]
# Writes a single-layer amd64 image in docker-archive format (what `docker save` writes),
# loadable with `ctr -n k8s.io images import OUT.tar`. No daemon, no registry.
#   mkimage.sh local/node:20 ./node-fs node.tar '["/usr/bin/node"]'
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 NAME:TAG ROOTFS_DIR OUT.tar ENTRYPOINT_JSON [CMD_JSON]" >&2; exit 2; }
ref=$1 rootfs=$2 out=$3 entry=$4 cmd=${5:-null}
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
# Deterministic layer tar (sorted names, numeric owners 0:0, fixed mtime).
tar --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 -C "$rootfs" -cf "$w/layer.tar" .
diffid=$(sha256sum "$w/layer.tar" | cut -d' ' -f1)
cat > "$w/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Entrypoint":$entry,"Cmd":$cmd,"WorkingDir":"/"},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diffid"]}}
JSON
cfg=$(sha256sum "$w/config.json" | cut -d' ' -f1)
mv "$w/config.json" "$w/$cfg.json"
mkdir "$w/$diffid"; mv "$w/layer.tar" "$w/$diffid/layer.tar"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]\n' "$cfg" "$ref" "$diffid" > "$w/manifest.json"
tar -C "$w" -cf "$out" manifest.json "$cfg.json" "$diffid"
echo "$out: $ref ($(du -h "$out" | cut -f1))"
