// The dashboard JSON files, generated from the specs: the chart's copy (its single source for
// Grafana) and the same bytes in docs/dashboards. `npx nx dashboards monitoring` writes them;
// dashboards.test.ts fails when a committed file differs.
import { join } from 'node:path';
import { CHART_DASHBOARDS, DOCS_DASHBOARDS } from '../paths';
import { toGrafanaJson } from './grafana';
import { DASHBOARDS } from './index';

/** Every generated file: absolute path -> contents. */
export function dashboardFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const { file, spec } of DASHBOARDS) {
    const text = JSON.stringify(toGrafanaJson(spec), null, 2) + '\n';
    files.set(join(CHART_DASHBOARDS, file), text);
    files.set(join(DOCS_DASHBOARDS, file), text);
  }
  return files;
}
