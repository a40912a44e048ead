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
  const rows: string[] = [];
  for (let i = 0; i < count; i++) {
    rows.push(
      `{"ts":${1690855924005 + i},"c1":${i % 30000},"c2":${i},"c3":${2535208944865431245n + BigInt(i)},"c4":6.14545,"c5":5.15656,"c6":${i % 2 === 0},"location":"tianjin","temperature":35.5}`,
    );
  }
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
    name: 'line_influxdb, 1 typical line per message (2 tags, 3 fields)',
    protocol: 'line_influxdb',
    precision: 'ns',
    message: bytes(
      'cpu,host=server01,region=us-west usage_user=1.5,usage_system=2i,usage_idle=97.25 1700000000000000000',
    ),
  },
  {
    name: 'line_influxdb, 100 guide lines per message',
    protocol: 'line_influxdb',
    precision: 'ns',
    message: bytes(Array.from({ length: 100 }, (_, i) => influxLines[i % 4]).join('\n')),
  },
];

/** Rows as each format counts them: data points for OpenTSDB (one per point or line), lines for influx, rows for json_kaiwudb. */
function rowsOf(workload: Workload): number {
  const { batches, errors } = decode(workload.protocol, workload.message, { precision: workload.precision });
  if (errors.length > 0) throw new Error(`${workload.name}: ${errors.map(String).join('; ')}`);
  const text = Buffer.from(workload.message).toString('utf8');
  if (workload.protocol === 'json_opentsdb') return (JSON.parse(text) as unknown[]).length;
  if (workload.protocol === 'line_opentsdb')
    return text.split('\n').filter((line) => line.trim() !== '').length;
  return batches.reduce((n, b) => n + b.rows.length, 0);
}

/**
 * Messages decoded per CPU second of this process (process.cpuUsage), after a warm-up. CPU time
 * rather than wall time, because the machine is shared: other processes steal wall time, not CPU
 * time. Node runs the decoder on one thread, so this is the rate of one core.
 */
function measure(workload: Workload, seconds: number): { messagesPerSecond: number } {
  const run = (count: number) => {
    for (let i = 0; i < count; i++)
      decode(workload.protocol, workload.message, { precision: workload.precision });
  };
  // Warm up, and size the batch of calls to about 10 ms.
  let batch = 10;
  for (;;) {
    const start = performance.now();
    run(batch);
    if (performance.now() - start > 10) break;
    batch *= 2;
  }
  const cpuStart = process.cpuUsage();
  let messages = 0;
  let cpuSeconds = 0;
  while (cpuSeconds < seconds) {
    run(batch);
    messages += batch;
    const cpu = process.cpuUsage(cpuStart);
    cpuSeconds = (cpu.user + cpu.system) / 1e6;
  }
  return { messagesPerSecond: messages / cpuSeconds };
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
// Reference: native JSON.parse (lossy for c3) on the guide message, measured the same way.
{
  const message = workloads[0]!.message;
  const cpuStart = process.cpuUsage();
  let n = 0;
  let cpuSeconds = 0;
  while (cpuSeconds < seconds) {
    for (let i = 0; i < 1000; i++) JSON.parse(Buffer.from(message).toString('utf8'));
    n += 1000;
    const cpu = process.cpuUsage(cpuStart);
    cpuSeconds = (cpu.user + cpu.system) / 1e6;
  }
  const rate = n / cpuSeconds;
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  console.log(
    `| reference: Buffer.toString + JSON.parse (lossy: c3 wrong), guide message | ${message.length} | 5 | ${fmt(rate)} | ${fmt(rate * 5)} | ${((rate * message.length) / 1e6).toFixed(1)} |`,
  );
}
