// Decode throughput per format on one core (Node is single-threaded), exact INT8 path.
// Run: npx nx run formats:bench   (bundles this file with esbuild, then runs it with node)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from '../src/index';
import type { Precision, Protocol } from '../src/index';

const src = join(process.cwd(), 'libs', 'formats', 'src');
const guide = (file: string) => readFileSync(join(src, file), 'utf8');

interface Workload {
  name: string;
  protocol: Protocol;
  precision: Precision;
  /** Message values as Kafka hands them over (bytes). */
  message: Uint8Array;
}

const sinkMessage = guide('json-kaiwudb/testdata/guide-sink-test-data.txt').trim();
/** The guide's line_influxdb lines in plain line-protocol form (quotes not escaped). */
const influxLines = guide('line-influxdb/testdata/guide-example.txt')
  .trim()
  .split('\n')
  .map((line) =>
    line
      .replace(/\\"/g, '"')
      .replace(/\\\\/g, '\\')
      .replace(/",?$/, '')
      .replace(/(\d)"$/, '$1'),
  );

function kaiwudbRows(count: number): string {
  const parsed = JSON.parse(sinkMessage) as { data: unknown[] };
  const rows: string[] = [];
  for (let i = 0; i < count; i++) {
    rows.push(
      `{"ts":${1690855924005 + i},"c1":${i % 30000},"c2":${i},"c3":${2535208944865431245n + BigInt(i)},"c4":6.14545,"c5":5.15656,"c6":${i % 2 === 0},"location":"tianjin","temperature":35.5}`,
    );
  }
  void parsed;
  return sinkMessage.replace(/"data":\[.*\]\}$/, `"data":[${rows.join(',')}]}`);
}

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

const workloads: Workload[] = [
  {
    name: 'json_kaiwudb, guide message (5 rows)',
    protocol: 'json_kaiwudb',
    precision: 'ms',
    message: bytes(sinkMessage),
  },
  {
    name: 'json_kaiwudb, 100 rows per message',
    protocol: 'json_kaiwudb',
    precision: 'ms',
    message: bytes(kaiwudbRows(100)),
  },
  {
    name: 'json_opentsdb, guide message (4 points)',
    protocol: 'json_opentsdb',
    precision: 'ms',
    message: bytes(guide('json-opentsdb/testdata/guide-example.txt').trim()),
  },
  {
    name: 'line_opentsdb, guide message (8 lines)',
    protocol: 'line_opentsdb',
    precision: 'ms',
    message: bytes(guide('line-opentsdb/testdata/guide-example.txt')),
  },
  {
    name: 'line_influxdb, 1 guide line per message',
    protocol: 'line_influxdb',
    precision: 'ns',
    message: bytes(influxLines[0] as string),
  },
  {
    name: 'line_influxdb, 100 guide lines per message',
    protocol: 'line_influxdb',
    precision: 'ns',
    message: bytes(Array.from({ length: 100 }, (_, i) => influxLines[i % 4]).join('\n')),
  },
];

function rowsOf(workload: Workload): number {
  const { batches, errors } = decode(workload.protocol, workload.message, { precision: workload.precision });
  if (errors.length > 0) throw new Error(`${workload.name}: ${errors.map(String).join('; ')}`);
  // Rows as the format counts them: data points for OpenTSDB (points of one timestamp merge into a row), lines for influx.
  if (workload.protocol === 'json_opentsdb' || workload.protocol === 'line_opentsdb') {
    return batches.reduce(
      (n, b) => n + b.rows.reduce((m, r) => m + Object.keys(r).length - 1 - b.tags.length, 0),
      0,
    );
  }
  return batches.reduce((n, b) => n + b.rows.length, 0);
}

function measure(workload: Workload, seconds: number): { messagesPerSecond: number } {
  const deadline = performance.now() + seconds * 1000;
  let messages = 0;
  let start = performance.now();
  // Warm up for a quarter of the time, then measure.
  const warmUntil = start + (seconds * 1000) / 4;
  while (performance.now() < warmUntil)
    for (let i = 0; i < 100; i++)
      decode(workload.protocol, workload.message, { precision: workload.precision });
  start = performance.now();
  while (performance.now() < deadline) {
    for (let i = 0; i < 100; i++)
      decode(workload.protocol, workload.message, { precision: workload.precision });
    messages += 100;
  }
  return { messagesPerSecond: messages / ((performance.now() - start) / 1000) };
}

const seconds = Number(process.env.BENCH_SECONDS ?? '3');
console.log(`| Workload | bytes/msg | rows/msg | msg/s | rows/s | MB/s |`);
console.log(`|---|---|---|---|---|---|`);
for (const workload of workloads) {
  const rows = rowsOf(workload);
  const { messagesPerSecond } = measure(workload, seconds);
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(
    `| ${workload.name} | ${workload.message.length} | ${rows} | ${fmt(messagesPerSecond)} | ${fmt(messagesPerSecond * rows)} | ${((messagesPerSecond * workload.message.length) / 1e6).toFixed(1)} |`,
  );
}
// Reference: native JSON.parse (lossy for c3) on the guide message.
{
  const text = sinkMessage;
  const deadline = performance.now() + seconds * 1000;
  let n = 0;
  const start = performance.now();
  while (performance.now() < deadline) {
    for (let i = 0; i < 100; i++) JSON.parse(Buffer.from(workloads[0]!.message).toString('utf8'));
    n += 100;
  }
  const rate = n / ((performance.now() - start) / 1000);
  console.log(
    `| reference: Buffer.toString + JSON.parse (lossy), guide message | ${text.length} | 5 | ${Math.round(rate).toLocaleString('en-US')} | ${Math.round(rate * 5).toLocaleString('en-US')} | ${((rate * text.length) / 1e6).toFixed(1)} |`,
  );
}
