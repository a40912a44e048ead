// Imports a TypeScript module from a Node script: Node 20 cannot run TypeScript, so the module is
// bundled in memory with esbuild (the @kwdb-connect/* path aliases resolved) and imported.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

/** The module at `entry` (relative to the repository root), with its exports. */
export async function importTs(entry) {
  const paths =
    JSON.parse(readFileSync(join(ROOT, 'tsconfig.base.json'), 'utf8')).compilerOptions.paths ?? {};
  const result = await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    alias: Object.fromEntries(Object.entries(paths).map(([alias, [target]]) => [alias, join(ROOT, target)])),
  });
  return import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`);
}
