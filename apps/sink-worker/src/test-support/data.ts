// Generated json_kaiwudb data for the integration tests and the benchmark: message m holds rows
// with keys m*rowsPerMessage .. m*rowsPerMessage+rowsPerMessage-1; every key is a distinct row
// (its own timestamp), so a count plus a sum of keys proves "every row exactly once".

export const BASE_TS_MS = 1_700_000_000_000;

export function jsonKaiwudbMessage(table: string, message: number, rowsPerMessage: number): string {
  const data: string[] = [];
  for (let r = 0; r < rowsPerMessage; r += 1) {
    const k = message * rowsPerMessage + r;
    data.push(
      `{"ts":${BASE_TS_MS + k},"k":${k},"big":${9_007_199_254_740_993n + BigInt(k)},"v":${(k % 1000) / 8},"dev":"d${k % 16}"}`,
    );
  }
  return (
    `{"table":"${table}","columns":[{"name":"ts","type":"TIMESTAMPTZ","length":64},{"name":"k","type":"INT8","length":64},` +
    `{"name":"big","type":"INT8","length":64},{"name":"v","type":"FLOAT8","length":64}],` +
    `"tags":[{"name":"dev","type":"VARCHAR","length":32,"primary":true,"nullable":false}],"data":[${data.join(',')}]}`
  );
}

/** Sum of keys 0 .. rows-1 as a decimal string (what `sum(k)` must give). */
export function keySum(rows: number): string {
  const n = BigInt(rows);
  return ((n * (n - 1n)) / 2n).toString();
}
