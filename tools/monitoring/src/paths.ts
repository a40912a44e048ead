// Where the monitoring files live in the repository.
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..', '..');
export const CHART = join(ROOT, 'charts', 'kwdb-connect');
export const CHART_DASHBOARDS = join(CHART, 'dashboards');
export const DOCS_DASHBOARDS = join(ROOT, 'docs', 'dashboards');
export const ALERTS = join(CHART, 'files', 'alerts.yaml');
export const ALERT_TESTS = join(CHART, 'tests', 'alerts.test.yaml');
