// Shared inputs for the unit tests (not exported from index.ts).
import { readFileSync } from 'node:fs';

export function readTestdata(name: string): string {
  return readFileSync(new URL(`../testdata/${name}`, import.meta.url), 'utf8');
}

export function readTestdataJson(name: string): Record<string, unknown> {
  return JSON.parse(readTestdata(name)) as Record<string, unknown>;
}

/** The smallest valid sink configuration. */
export const MIN_SINK: Readonly<Record<string, unknown>> = Object.freeze({
  name: 'sink-1',
  'connector.class': 'KwdbSink',
  topics: 'kw-tsdb-ts_json_kaiwudb_tb',
  'connection.url': 'jdbc:kaiwudb://localhost:26257',
  'connection.database': 'tsdb',
  'protocol.type': 'json_kaiwudb',
});

/** The smallest valid source configuration. */
export const MIN_SOURCE: Readonly<Record<string, unknown>> = Object.freeze({
  name: 'source-1',
  'connector.class': 'KwdbSource',
  'connection.url': 'jdbc:kaiwudb://localhost:26257',
  'connection.database': 'benchmark',
  'out.format': 'json_kaiwudb',
});
