#!/usr/bin/env node
// Bundles one app (apps/<name>/src/main.ts) into dist/apps/<name>/main.js with esbuild.
// Workspace libs (@kwdb-connect/*) are bundled in through tsconfig paths; npm
// packages stay external and load from node_modules at run time.
//   node tools/scripts/build-app.mjs apps/sink-worker [--entry src/other.ts]
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const [projectDir, ...rest] = process.argv.slice(2);
if (!projectDir) {
  console.error('usage: build-app.mjs <apps/name> [--entry src/main.ts]');
  process.exit(2);
}
const entryIndex = rest.indexOf('--entry');
const entry = entryIndex >= 0 ? rest[entryIndex + 1] : 'src/main.ts';
const root = resolve(import.meta.dirname, '..', '..');
const outfile = join(root, 'dist', projectDir, basename(entry).replace(/\.ts$/, '.js'));

await build({
  entryPoints: [join(root, projectDir, entry)],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  tsconfig: join(root, projectDir, 'tsconfig.json'),
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
console.log(`built ${outfile}`);
