// The benchmark's message shapes (issue 17): every row is generated once as plain values, and both
// the json_kaiwudb message the worker consumes and the COPY text line of the ceiling are made from
// them, so the worker, the raw loader and the COPY write the same rows.
//   guide: the guide's sink test data (kafka-connector-guide.md, "Testing and Verification"):
//          ts, c1 INT2, c2 INT4, c3 INT8 (19 digits, beyond 2^53), c4 FLOAT4, c5 FLOAT8, c6 BOOL,
//          primary tag location VARCHAR(64), tag temperature FLOAT4; 5 rows per message (~1.2 KB).
//   light: the earlier benchmark's message: ts, k INT8, big INT8, v FLOAT8, primary tag dev
//          VARCHAR(32); 5 rows per message (~560 B).
import { BASE_TS_MS } from '../test-support/data';

type Plain = number | bigint | boolean | string;

export interface Workload {
  name: 'guide' | 'light';
  /** The `columns` and `tags` definitions of the message, as JSON text (without the braces). */
  definitions: string;
  /** The values of row k, in the table's order (columns, then tags); the first is the timestamp in ms. */
  row(k: number): Plain[];
  /** Names in the same order as row(). */
  names: string[];
}

const GUIDE_COLUMNS =
  '"columns":[{"name":"ts","type":"TIMESTAMPTZ","length":64},{"name":"c1","type":"INT2","length":16},' +
  '{"name":"c2","type":"INT4","length":32},{"name":"c3","type":"INT8","length":64},' +
  '{"name":"c4","type":"FLOAT4","length":32},{"name":"c5","type":"FLOAT8","length":64},' +
  '{"name":"c6","type":"BOOL","length":1}],' +
  '"tags":[{"name":"location","type":"VARCHAR","length":64,"primary":true,"nullable":false},' +
  '{"name":"temperature","type":"FLOAT4","length":64,"primary":false,"nullable":true}]';

export const GUIDE: Workload = {
  name: 'guide',
  definitions: GUIDE_COLUMNS,
  names: ['ts', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'location', 'temperature'],
  // Values of the guide's magnitudes: c3 a 19-digit INT8, c4/c5 with 5 decimals, 16 locations.
  row: (k) => [
    BASE_TS_MS + k,
    11 + (k % 20_000),
    21 + k,
    2_535_208_944_865_431_245n + BigInt(k),
    (k % 100_000) / 100_000 + 1.01635,
    (k % 77_777) / 100_000 + 0.53533,
    k % 2 === 0,
    `tianjin${k % 16}`,
    35.5,
  ],
};

export const LIGHT: Workload = {
  name: 'light',
  definitions:
    '"columns":[{"name":"ts","type":"TIMESTAMPTZ","length":64},{"name":"k","type":"INT8","length":64},' +
    '{"name":"big","type":"INT8","length":64},{"name":"v","type":"FLOAT8","length":64}],' +
    '"tags":[{"name":"dev","type":"VARCHAR","length":32,"primary":true,"nullable":false}]',
  names: ['ts', 'k', 'big', 'v', 'dev'],
  row: (k) => [BASE_TS_MS + k, k, 9_007_199_254_740_993n + BigInt(k), (k % 1000) / 8, `d${k % 16}`],
};

export const WORKLOADS: Record<string, Workload> = { guide: GUIDE, light: LIGHT };

const json = (v: Plain): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/** json_kaiwudb message m of `workload` into `table`: rows m*perMessage .. m*perMessage+perMessage-1. */
export function workloadMessage(workload: Workload, table: string, m: number, perMessage: number): string {
  const data: string[] = [];
  for (let r = 0; r < perMessage; r += 1) {
    const values = workload.row(m * perMessage + r);
    data.push(`{${values.map((v, i) => `"${workload.names[i]}":${json(v)}`).join(',')}}`);
  }
  return `{"table":"${table}",${workload.definitions},"data":[${data.join(',')}]}`;
}

/** Row k as a line of COPY's text format (the values have no tab, newline or backslash). */
export function copyLine(workload: Workload, k: number): string {
  const [ts, ...rest] = workload.row(k);
  return `${new Date(ts as number).toISOString()}\t${rest.map((v) => String(v)).join('\t')}\n`;
}
