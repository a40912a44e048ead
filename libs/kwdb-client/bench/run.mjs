#!/usr/bin/env node
// Bundles bench/bench.ts with esbuild (workspace libs through tsconfig paths,
// npm packages external, as tools/scripts/build-app.mjs does) and runs it with plain node.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..', '..');
const outfile = join(root, 'dist', 'libs', 'kwdb-client', 'bench.mjs');
await build({
  entryPoints: [join(import.meta.dirname, 'bench.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  tsconfig: join(root, 'libs', 'kwdb-client', 'tsconfig.json'),
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, [outfile], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
