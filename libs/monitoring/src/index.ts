// Public API of @kwdb-connect/monitoring: the dashboards (specs, Grafana JSON, their queries with
// variables substituted), a Prometheus query client, and the dashboard image renderer.
export { DASHBOARDS } from './dashboards/index';
export { toGrafanaJson, SELECTOR } from './dashboards/grafana';
export type { DashboardSpec, PanelSpec, RowSpec, RowKind, Query } from './dashboards/grafana';
export { panelQueries, substitute, regexLiteral } from './dashboards/panel-queries';
export type { PanelQuery, Variables } from './dashboards/panel-queries';
export { PrometheusClient, PrometheusQueryError } from './prometheus-client';
export type { InstantSeries, RangeSeries } from './prometheus-client';
export { dashboardImage, writeImage, legendOf, withoutRows } from './render/render-dashboard';
export type { GrafanaDashboard, RenderWindow } from './render/render-dashboard';
export { ALERTS, CHART, CHART_DASHBOARDS, DOCS_DASHBOARDS, ROOT } from './paths';
