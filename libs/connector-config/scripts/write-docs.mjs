#!/usr/bin/env node
// Writes docs/configuration.md from the definition table (libs/connector-config/src/definitions.ts).
//   node libs/connector-config/scripts/write-docs.mjs   (or: npx nx run connector-config:docs)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importTs, ROOT } from '../../../tools/scripts/import-ts.mjs';

const { renderConfigurationDoc } = await importTs('libs/connector-config/src/docs.ts');
const target = join(ROOT, 'docs/configuration.md');
writeFileSync(target, renderConfigurationDoc());
console.log(`wrote ${target}`);
