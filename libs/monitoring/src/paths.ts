// Where the monitoring files live in the repository (found from this file or, once bundled into
// dist/, from the bundle: the first folder upwards that holds nx.json).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir)
      throw new Error(`no nx.json above ${from}: not inside the kwdb-connect repository`);
  }
}

export const ROOT = repositoryRoot(import.meta.dirname);
export const CHART = join(ROOT, 'charts', 'kwdb-connect');
export const CHART_DASHBOARDS = join(CHART, 'dashboards');
export const DOCS_DASHBOARDS = join(ROOT, 'docs', 'dashboards');
export const ALERTS = join(CHART, 'files', 'alerts.yaml');
export const ALERT_TESTS = join(CHART, 'tests', 'alerts.test.yaml');
