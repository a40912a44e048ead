// Writes the dashboards JSON into charts/kwdb-connect/dashboards and docs/dashboards.
//   npx nx dashboards monitoring
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { dashboardFiles } from './dashboards/files';
import { ROOT } from './paths';

for (const [path, text] of dashboardFiles()) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`wrote ${relative(ROOT, path)}`);
}
