// The dashboards the chart ships (charts/kwdb-connect/dashboards) and docs/dashboards shows.
import { connector } from './connector';
import type { DashboardSpec } from './grafana';
import { overview } from './overview';

export const DASHBOARDS: readonly { file: string; spec: DashboardSpec }[] = [
  { file: 'kwdb-connect-overview.json', spec: overview },
  { file: 'kwdb-connect-connector.json', spec: connector },
];
