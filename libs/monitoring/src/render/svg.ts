// Draws a dashboard as one SVG image from query results: Grafana's 24-column grid, one box per
// panel; time series as lines with a legend, stat panels as big numbers, tables as label/value rows.
// No Grafana here: this plots the same queries the dashboard JSON holds.

export interface SeriesData {
  label: string;
  /** [unix seconds, value] */
  points: [number, number][];
}

export interface PanelData {
  title: string;
  /** 'row' draws a section header. */
  type: 'row' | 'timeseries' | 'stat' | 'table';
  unit: string;
  grid: { x: number; y: number; w: number; h: number };
  series: SeriesData[];
}

export interface DashboardImage {
  title: string;
  subtitle: string;
  start: number;
  end: number;
  panels: PanelData[];
}

const WIDTH = 1600;
const COLUMN = WIDTH / 24;
const ROW = 30;
const HEADER = 56;
const PALETTE = [
  '#7eb26d',
  '#eab839',
  '#6ed0e0',
  '#ef843c',
  '#e24d42',
  '#1f78c1',
  '#ba43a9',
  '#705da0',
  '#508642',
  '#cca300',
];

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A value in the panel's unit, short: 1.5k, 12 ms, 3.2 MiB, 45%. */
export function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return String(value);
  const short = (v: number): string => {
    const abs = Math.abs(v);
    if (abs >= 1e9) return `${(v / 1e9).toFixed(1)}G`;
    if (abs >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
    if (abs >= 1e3) return `${(v / 1e3).toFixed(1)}k`;
    if (abs >= 100 || Number.isInteger(v)) return v.toFixed(0);
    if (abs >= 1) return v.toFixed(1);
    return v === 0 ? '0' : v.toPrecision(2);
  };
  switch (unit) {
    case 's':
      if (Math.abs(value) >= 31_536_000) return `${(value / 31_536_000).toFixed(1)} y`;
      if (Math.abs(value) >= 86_400) return `${short(value / 86_400)} d`;
      if (Math.abs(value) >= 3_600) return `${short(value / 3_600)} h`;
      if (Math.abs(value) >= 60) return `${short(value / 60)} min`;
      if (Math.abs(value) >= 1 || value === 0) return `${short(value)} s`;
      return `${short(value * 1000)} ms`;
    case 'ops':
      return `${short(value)}/s`;
    case 'bytes':
      return `${(value / 1024 / 1024).toFixed(1)} MiB`;
    case 'percentunit':
      return `${(value * 100).toFixed(1)}%`;
    default:
      return short(value);
  }
}

function timeLabel(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(11, 19);
}

function timeseries(
  panel: PanelData,
  x: number,
  y: number,
  w: number,
  h: number,
  start: number,
  end: number,
): string {
  const legendRows = Math.min(3, Math.ceil(panel.series.length / 2));
  const plot = { x: x + 62, y: y + 30, w: w - 74, h: h - 52 - legendRows * 14 };
  const values = panel.series.flatMap((s) => s.points.map((p) => p[1])).filter(Number.isFinite);
  let min = Math.min(0, ...values);
  let max = Math.max(...values);
  if (max === min) max = min + 1;
  const pad = (max - min) * 0.05;
  max += pad;
  if (min < 0) min -= pad;
  const sx = (t: number): number => plot.x + ((t - start) / Math.max(1, end - start)) * plot.w;
  const sy = (v: number): number => plot.y + plot.h - ((v - min) / (max - min)) * plot.h;
  const out: string[] = [];
  out.push(
    `<rect x="${plot.x}" y="${plot.y}" width="${plot.w}" height="${plot.h}" fill="#161719" stroke="#2c3235"/>`,
  );
  for (let i = 0; i <= 3; i++) {
    const v = min + ((max - min) * i) / 3;
    const ty = sy(v);
    out.push(`<line x1="${plot.x}" y1="${ty}" x2="${plot.x + plot.w}" y2="${ty}" stroke="#2c3235"/>`);
    out.push(
      `<text x="${plot.x - 4}" y="${ty + 4}" text-anchor="end" class="axis">${escapeXml(formatValue(v, panel.unit))}</text>`,
    );
  }
  for (const t of [start, (start + end) / 2, end]) {
    out.push(
      `<text x="${sx(t)}" y="${plot.y + plot.h + 12}" text-anchor="middle" class="axis">${timeLabel(t)}</text>`,
    );
  }
  panel.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    const points = s.points.filter((p) => Number.isFinite(p[1]));
    if (points.length === 1) {
      const [t, v] = points[0]!;
      out.push(`<circle cx="${sx(t).toFixed(1)}" cy="${sy(v).toFixed(1)}" r="2" fill="${color}"/>`);
    } else if (points.length > 1) {
      const d = points.map(([t, v]) => `${sx(t).toFixed(1)},${sy(v).toFixed(1)}`).join(' ');
      out.push(`<polyline points="${d}" fill="none" stroke="${color}" stroke-width="1.5"/>`);
    }
  });
  const shown = panel.series.slice(0, legendRows * 2);
  shown.forEach((s, i) => {
    const lx = x + 12 + (i % 2) * (w / 2);
    const ly = plot.y + plot.h + 28 + Math.floor(i / 2) * 14;
    const color = PALETTE[i % PALETTE.length]!;
    const last = s.points.at(-1)?.[1];
    const text = `${s.label}${last === undefined ? '' : `  ${formatValue(last, panel.unit)}`}`;
    out.push(`<rect x="${lx}" y="${ly - 8}" width="10" height="3" fill="${color}"/>`);
    out.push(
      `<text x="${lx + 14}" y="${ly - 4}" class="legend">${escapeXml(truncate(text, Math.floor(w / 2 / 6.2) - 4))}</text>`,
    );
  });
  if (panel.series.length > shown.length) {
    out.push(
      `<text x="${x + w - 8}" y="${y + 18}" text-anchor="end" class="axis">+${panel.series.length - shown.length} more series</text>`,
    );
  }
  return out.join('\n');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

function stat(panel: PanelData, x: number, y: number, w: number, h: number): string {
  const n = panel.series.length;
  const cell = w / Math.max(1, n);
  return panel.series
    .map((s, i) => {
      const value = s.points.at(-1)?.[1] ?? NaN;
      const cx = x + cell * i + cell / 2;
      return [
        `<text x="${cx}" y="${y + h / 2 + 14}" text-anchor="middle" class="stat" fill="${PALETTE[i % PALETTE.length]}">${escapeXml(formatValue(value, panel.unit))}</text>`,
        `<text x="${cx}" y="${y + h / 2 + 36}" text-anchor="middle" class="legend">${escapeXml(truncate(s.label, Math.floor(cell / 6.5)))}</text>`,
      ].join('\n');
    })
    .join('\n');
}

function table(panel: PanelData, x: number, y: number, w: number, h: number): string {
  const rows = Math.floor((h - 40) / 16);
  const out = [
    `<text x="${x + 12}" y="${y + 44}" class="th">series</text>`,
    `<text x="${x + w - 12}" y="${y + 44}" text-anchor="end" class="th">value</text>`,
  ];
  panel.series.slice(0, rows - 1).forEach((s, i) => {
    const ty = y + 62 + i * 16;
    out.push(
      `<text x="${x + 12}" y="${ty}" class="legend">${escapeXml(truncate(s.label, Math.floor(w / 6.5) - 10))}</text>`,
    );
    out.push(
      `<text x="${x + w - 12}" y="${ty}" text-anchor="end" class="legend">${escapeXml(formatValue(s.points.at(-1)?.[1] ?? NaN, panel.unit))}</text>`,
    );
  });
  if (panel.series.length > rows - 1)
    out.push(
      `<text x="${x + 12}" y="${y + h - 6}" class="axis">+${panel.series.length - rows + 1} more rows</text>`,
    );
  return out.join('\n');
}

export function renderSvg(image: DashboardImage): string {
  const bottom = Math.max(...image.panels.map((p) => p.grid.y + p.grid.h));
  const height = HEADER + bottom * ROW + 10;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">`,
    '<style>.title{font-size:20px;fill:#d8d9da;font-weight:bold}.sub{font-size:12px;fill:#8e8e8e}.ptitle{font-size:13px;fill:#d8d9da;font-weight:bold}.row{font-size:15px;fill:#d8d9da;font-weight:bold}.axis{font-size:10px;fill:#8e8e8e}.legend{font-size:11px;fill:#c7d0d9}.th{font-size:11px;fill:#33a2e5;font-weight:bold}.stat{font-size:30px;font-weight:bold}.nodata{font-size:14px;fill:#e24d42}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#0b0c0e"/>`,
    `<text x="12" y="28" class="title">${escapeXml(image.title)}</text>`,
    `<text x="12" y="46" class="sub">${escapeXml(image.subtitle)}</text>`,
  ];
  for (const panel of image.panels) {
    const x = panel.grid.x * COLUMN + 4;
    const y = HEADER + panel.grid.y * ROW + 2;
    const w = panel.grid.w * COLUMN - 8;
    const h = panel.grid.h * ROW - 4;
    if (panel.type === 'row') {
      out.push(`<text x="${x + 4}" y="${y + 20}" class="row">${escapeXml(panel.title)}</text>`);
      continue;
    }
    out.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="3" fill="#181b1f" stroke="#2c3235"/>`);
    out.push(`<text x="${x + 10}" y="${y + 18}" class="ptitle">${escapeXml(panel.title)}</text>`);
    if (panel.series.length === 0) {
      out.push(`<text x="${x + w / 2}" y="${y + h / 2}" text-anchor="middle" class="nodata">No data</text>`);
    } else if (panel.type === 'timeseries') {
      out.push(timeseries(panel, x, y, w, h, image.start, image.end));
    } else if (panel.type === 'stat') {
      out.push(stat(panel, x, y, w, h));
    } else {
      out.push(table(panel, x, y, w, h));
    }
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}
