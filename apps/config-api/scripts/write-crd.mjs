#!/usr/bin/env node
// Writes charts/kwdb-connect/crds/kwdbconnector.yaml from apps/config-api/src/operator/crd.ts (the
// one definition; the chart and k8s/ use this file unchanged).
//   node apps/config-api/scripts/write-crd.mjs   (or: npx nx run config-api:crd)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importTs, ROOT } from '../../../tools/scripts/import-ts.mjs';

const { renderCrdFile, CRD_FILE } = await importTs('apps/config-api/src/operator/crd-file.ts');
const target = join(ROOT, CRD_FILE);
writeFileSync(target, renderCrdFile());
console.log(`wrote ${target}`);
