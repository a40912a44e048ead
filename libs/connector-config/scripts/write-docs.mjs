#!/usr/bin/env node
// Writes docs/configuration.md from the definition table (libs/connector-config/src/definitions.ts).
// Node 20 cannot run TypeScript, so the renderer is bundled in memory with esbuild and imported.
//   node libs/connector-config/scripts/write-docs.mjs   (or: npx nx run connector-config:docs)
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..', '..');
const result = await build({
  entryPoints: [join(root, 'libs/connector-config/src/docs.ts')],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
});
const code = result.outputFiles[0].text;
const { renderConfigurationDoc } = await import(
  `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`
);
const target = join(root, 'docs/configuration.md');
writeFileSync(target, renderConfigurationDoc());
console.log(`wrote ${target}`);
