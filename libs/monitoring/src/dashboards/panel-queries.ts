// Every query of a Grafana dashboard JSON with its variables substituted, as Grafana would send it
// to Prometheus: what the live test runs and the renderer plots.

export interface PanelQuery {
  /** The row the panel sits under. */
  row: string;
  panel: string;
  type: string;
  refId: string;
  legend: string;
  /** PromQL with $namespace, $connector and $__rate_interval substituted. */
  expr: string;
}

export interface Variables {
  /** A regex for namespace=~ (".*" for All). */
  namespace: string;
  /** A regex for connector=~ (".*" for All, or one connector name). */
  connector: string;
  /** Grafana's $__rate_interval, e.g. "1m". */
  rateInterval: string;
}

interface GrafanaPanel {
  type: string;
  title: string;
  targets?: { refId: string; expr: string; legendFormat: string }[];
}

/** A value as a Prometheus regex matching exactly it. */
export function regexLiteral(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function substitute(expr: string, vars: Variables): string {
  return expr
    .replaceAll('$__rate_interval', vars.rateInterval)
    .replaceAll('$namespace', vars.namespace.replace(/\\/g, '\\\\'))
    .replaceAll('$connector', vars.connector.replace(/\\/g, '\\\\'));
}

export function panelQueries(dashboard: { panels: GrafanaPanel[] }, vars: Variables): PanelQuery[] {
  const out: PanelQuery[] = [];
  let row = '';
  for (const panel of dashboard.panels) {
    if (panel.type === 'row') {
      row = panel.title;
      continue;
    }
    for (const target of panel.targets ?? []) {
      out.push({
        row,
        panel: panel.title,
        type: panel.type,
        refId: target.refId,
        legend: target.legendFormat,
        expr: substitute(target.expr, vars),
      });
    }
  }
  return out;
}
