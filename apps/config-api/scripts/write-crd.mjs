#!/usr/bin/env node
// Writes charts/kwdb-connect/crds/kwdbconnector.yaml from apps/config-api/src/operator/crd.ts (the
// one definition; the chart and k8s/ use this file unchanged). Node 20 cannot run TypeScript, so the
// builder is bundled in memory with esbuild and imported.
//   node apps/config-api/scripts/write-crd.mjs   (or: npx nx run config-api:crd)
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..', '..');
const result = await build({
  entryPoints: [join(root, 'apps/config-api/src/operator/crd-file.ts')],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  alias: Object.fromEntries(
    Object.entries(
      JSON.parse((await import('node:fs')).readFileSync(join(root, 'tsconfig.base.json'), 'utf8'))
        .compilerOptions.paths,
    ).map(([k, [v]]) => [k, join(root, v)]),
  ),
});
const code = result.outputFiles[0].text;
const { renderCrdFile, CRD_FILE } = await import(
  `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`
);
const target = join(root, CRD_FILE);
writeFileSync(target, renderCrdFile());
console.log(`wrote ${target}`);
