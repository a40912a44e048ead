#!/usr/bin/env node
// Runs the libs/formats benchmark: bundles bench/decode.bench.ts with esbuild (Node 20 cannot run
// TypeScript directly) into a temporary file and runs it with node on one core.
//   node libs/formats/bench/run.mjs        (BENCH_SECONDS=3 by default per workload)
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'formats-bench-'));
const outfile = join(dir, 'decode.bench.mjs');
await build({
  entryPoints: [join(root, 'libs', 'formats', 'bench', 'decode.bench.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  tsconfig: join(root, 'libs', 'formats', 'tsconfig.json'),
  logLevel: 'warning',
});
const result = spawnSync(process.execPath, [outfile], { cwd: root, stdio: 'inherit' });
rmSync(dir, { recursive: true, force: true });
process.exitCode = result.status ?? 1;
