// A small model of the Grafana dashboards we ship, and its translation to Grafana's dashboard JSON
// (schemaVersion 39, Grafana 10/11). Only what our dashboards use: rows of timeseries, stat and
// table panels with Prometheus queries, and the datasource / namespace / connector variables.

export type PanelType = 'timeseries' | 'stat' | 'table';

export interface Query {
  /** PromQL; may use $namespace, $connector and $__rate_interval. */
  expr: string;
  /** Grafana legend format, e.g. "{{connector}} {{topic}}/{{partition}}". */
  legend: string;
}

export interface PanelSpec {
  title: string;
  type: PanelType;
  /** Grafana unit id: short, ops, s, bytes, ... */
  unit: string;
  description: string;
  queries: Query[];
  /** Width in Grafana's 24-column grid. */
  width: number;
  height?: number;
}

/** Which connectors a row's panels show data for (the live test substitutes a matching connector). */
export type RowKind = 'sink' | 'source' | 'both';

export interface RowSpec {
  title: string;
  kind: RowKind;
  panels: PanelSpec[];
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  /** true: the connector variable is multi-value with "All"; false: one connector at a time. */
  allConnectors: boolean;
  rows: RowSpec[];
}

/** The label matchers every kwdb_connect_* query carries. */
export const SELECTOR = 'namespace=~"$namespace", connector=~"$connector"';
/** Grafana's rate window for the panel's resolution and the scrape interval. */
export const RATE = '$__rate_interval';

/** Quantiles of a histogram (`metric` without `_bucket`), summed by `by`; legends "<label> p<q>". */
export function quantileQueries(metric: string, by: string, quantiles: number[], label: string): Query[] {
  return quantiles.map((q) => ({
    expr: `histogram_quantile(${q}, sum by (${by}, le) (rate(${metric}_bucket{${SELECTOR}}[${RATE}])))`,
    legend: `${label} p${q * 100}`,
  }));
}

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
const DEFAULT_HEIGHT = 8;

type Json = Record<string, unknown>;

function panelJson(panel: PanelSpec, id: number, x: number, y: number): Json {
  const instant = panel.type !== 'timeseries';
  return {
    id,
    type: panel.type,
    title: panel.title,
    description: panel.description,
    datasource: DATASOURCE,
    gridPos: { h: panel.height ?? DEFAULT_HEIGHT, w: panel.width, x, y },
    fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
    options:
      panel.type === 'timeseries'
        ? {
            legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
            tooltip: { mode: 'multi' },
          }
        : panel.type === 'stat'
          ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value' }
          : { showHeader: true },
    targets: panel.queries.map((q, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: DATASOURCE,
      expr: q.expr,
      legendFormat: q.legend,
      ...(instant
        ? { instant: true, range: false, format: panel.type === 'table' ? 'table' : 'time_series' }
        : {}),
    })),
  };
}

function templating(spec: DashboardSpec): Json {
  const query = (name: string, label: string, definition: string, multi: boolean): Json => ({
    name,
    label,
    type: 'query',
    datasource: DATASOURCE,
    definition,
    query: { query: definition, refId: `${name}-variable` },
    refresh: 2,
    sort: 1,
    multi,
    includeAll: multi,
    ...(multi ? { allValue: '.*', current: { text: 'All', value: '$__all' } } : {}),
  });
  return {
    list: [
      {
        name: 'datasource',
        label: 'Data source',
        type: 'datasource',
        query: 'prometheus',
        current: { text: 'default', value: 'default' },
      },
      query('namespace', 'Namespace', 'label_values(kwdb_connect_connector_state, namespace)', true),
      query(
        'connector',
        'Connector',
        'label_values(kwdb_connect_connector_state{namespace=~"$namespace"}, connector)',
        spec.allConnectors,
      ),
    ],
  };
}

/** Grafana's dashboard JSON: rows laid out top to bottom, panels left to right, wrapping at 24. */
export function toGrafanaJson(spec: DashboardSpec): Json {
  const panels: Json[] = [];
  let id = 1;
  let y = 0;
  for (const row of spec.rows) {
    panels.push({
      id: id++,
      type: 'row',
      title: row.title,
      collapsed: false,
      gridPos: { h: 1, w: 24, x: 0, y },
      panels: [],
    });
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const panel of row.panels) {
      if (x + panel.width > 24) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      panels.push(panelJson(panel, id++, x, y));
      x += panel.width;
      rowHeight = Math.max(rowHeight, panel.height ?? DEFAULT_HEIGHT);
    }
    y += rowHeight;
  }
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['kwdb-connect'],
    timezone: 'utc',
    editable: true,
    graphTooltip: 1,
    refresh: '30s',
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-1h', to: 'now' },
    templating: templating(spec),
    annotations: { list: [] },
    panels,
  };
}
