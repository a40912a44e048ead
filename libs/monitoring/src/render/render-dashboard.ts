// Runs every panel query of a dashboard against a live Prometheus (time series over a range, stat
// and table panels at its end) and draws the result (svg.ts); PNG through rsvg-convert.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { PrometheusClient } from '../prometheus-client';
import { panelQueries, type Variables } from '../dashboards/panel-queries';
import { renderSvg, type PanelData } from './svg';

interface GrafanaPanel {
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  fieldConfig?: { defaults?: { unit?: string } };
}

export interface GrafanaDashboard {
  title: string;
  panels: GrafanaPanel[];
}

/** Grafana's legend format: {{label}} replaced by the series' label value. */
export function legendOf(format: string, metric: Record<string, string>): string {
  const text = format.replace(
    /\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g,
    (_m, name: string) => metric[name] ?? '',
  );
  return text.trim() === '' ? JSON.stringify(metric) : text;
}

export interface RenderWindow {
  start: number;
  end: number;
  step: number;
}

/**
 * The dashboard without the rows titled in `skip` (e.g. the source rows for a sink connector), the
 * rows below moved up by the height they took.
 */
export function withoutRows(dashboard: GrafanaDashboard, skip: ReadonlySet<string>): GrafanaDashboard {
  const panels: GrafanaPanel[] = [];
  let removed = 0;
  let skipping = false;
  let sectionTop = 0;
  const bottom = (ps: GrafanaPanel[]): number => Math.max(0, ...ps.map((p) => p.gridPos.y + p.gridPos.h));
  const sectionPanels: GrafanaPanel[] = [];
  const close = (): void => {
    if (skipping) removed += bottom(sectionPanels) - sectionTop;
    sectionPanels.length = 0;
  };
  for (const panel of dashboard.panels) {
    if (panel.type === 'row') {
      close();
      skipping = skip.has(panel.title);
      sectionTop = panel.gridPos.y;
    }
    sectionPanels.push(panel);
    if (!skipping) panels.push({ ...panel, gridPos: { ...panel.gridPos, y: panel.gridPos.y - removed } });
  }
  return { ...dashboard, panels };
}

export async function dashboardImage(
  prometheus: PrometheusClient,
  dashboard: GrafanaDashboard,
  vars: Variables,
  window: RenderWindow,
  subtitle: string,
): Promise<string> {
  const queries = panelQueries(dashboard, vars);
  const panels: PanelData[] = [];
  for (const panel of dashboard.panels) {
    const base = {
      title: panel.title,
      unit: panel.fieldConfig?.defaults?.unit ?? 'short',
      grid: panel.gridPos,
    };
    if (panel.type === 'row') {
      panels.push({ ...base, type: 'row', series: [] });
      continue;
    }
    const type = panel.type as PanelData['type'];
    const series: PanelData['series'] = [];
    for (const query of queries.filter((q) => q.panel === panel.title)) {
      if (type === 'timeseries') {
        const result = await prometheus.queryRange(query.expr, window.start, window.end, window.step);
        for (const s of result) {
          series.push({
            label: legendOf(query.legend, s.metric),
            points: s.values.map(([t, v]) => [t, Number(v)]),
          });
        }
      } else {
        const result = await prometheus.query(query.expr, window.end);
        for (const s of result) {
          series.push({
            label: legendOf(query.legend, s.metric),
            points: [[s.value[0], Number(s.value[1])]],
          });
        }
      }
    }
    series.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    panels.push({ ...base, type, series });
  }
  return renderSvg({ title: dashboard.title, subtitle, start: window.start, end: window.end, panels });
}

/** Writes <name>.svg and <name>.png (rsvg-convert, Debian's librsvg2-bin) into `dir`. */
export async function writeImage(svg: string, dir: string, name: string): Promise<string[]> {
  const svgPath = join(dir, `${name}.svg`);
  const pngPath = join(dir, `${name}.png`);
  writeFileSync(svgPath, svg);
  await promisify(execFile)('rsvg-convert', ['--format', 'png', '--output', pngPath, svgPath]);
  return [svgPath, pngPath];
}
