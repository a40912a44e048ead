// npm postinstall: replaces kafkajs 2.2.4's read_committed filter with the fixed copy in
// tools/patches (docs/adr/0011-source-claim-fencing.md). Refuses any other kafkajs version, so an
// upgrade has to look at the patch again. Idempotent.
//   node tools/scripts/patch-kafkajs.mjs [DIR]   patches DIR/node_modules/kafkajs (default: the repo's;
//   scripts/image/build-image.sh passes the image's production install, made with --ignore-scripts)
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const target = process.argv[2] ? resolve(process.argv[2]) : root;
const kafkajs = join(target, 'node_modules', 'kafkajs');
if (!existsSync(kafkajs)) {
  console.log('patch-kafkajs: kafkajs is not installed; nothing to patch');
  process.exit(0);
}
const { version } = JSON.parse(readFileSync(join(kafkajs, 'package.json'), 'utf8'));
const patchDir = join(root, 'tools', 'patches', `kafkajs-${version}`);
if (!existsSync(patchDir)) {
  console.error(
    `patch-kafkajs: no patch for kafkajs ${version} (tools/patches/kafkajs-<version>); see ADR 0011`,
  );
  process.exit(1);
}
copyFileSync(
  join(patchDir, 'filterAbortedMessages.js'),
  join(kafkajs, 'src', 'consumer', 'filterAbortedMessages.js'),
);
console.log(`patch-kafkajs: kafkajs ${version} read_committed filter replaced`);
