// Benchmark (Nx target `bench`, issue 5 point 7): one worker, json_kaiwudb messages of 5 rows on a
// 6-partition topic pre-filled with ROWS rows, into the test PostgreSQL.
//   1. raw loader: the same decode + kwdb-client write path without Kafka, on the same messages (ceiling);
//   2. sustained rows/s of the worker (from its rows_written metric) and its peak RSS;
//   3. end-to-end latency p50/p99 at half the sustained rate (from its latency histogram).
// Prints one JSON line with the numbers. Run: node dist/apps/sink-worker/bench.js [rows]
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { decode, type Batch } from '@kwdb-connect/formats';
import { KwdbClient } from '@kwdb-connect/kwdb-client';
import { uniqueName } from '@kwdb-connect/testing';
import { jsonKaiwudbMessage } from '../test-support/data';
import {
  createTopic,
  freshDatabase,
  kafkaClient,
  killAllWorkers,
  metricsText,
  metricValue,
  sinkConfig,
  startWorker,
  testEnv,
  type WorkerHandle,
} from '../test-support/harness';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const PER_MESSAGE = 5;
const MESSAGES = Math.ceil(ROWS / PER_MESSAGE);
const env = testEnv();
const kafka = kafkaClient(env);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** A quantile from a Prometheus histogram, interpolated linearly inside its bucket. */
function histogramQuantile(text: string, name: string, q: number): number {
  const buckets: [number, number][] = [];
  for (const line of text.split('\n')) {
    const m = new RegExp(`^${name}_bucket\\{.*le="([^"]+)".*\\} (\\S+)$`).exec(line);
    if (m) buckets.push([m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2])]);
  }
  buckets.sort((a, b) => a[0] - b[0]);
  const total = buckets[buckets.length - 1]?.[1] ?? 0;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const [le, count] of buckets) {
    if (count >= rank) {
      if (le === Infinity) return prevLe;
      return prevLe + ((le - prevLe) * (rank - prevCount)) / Math.max(1, count - prevCount);
    }
    prevLe = le;
    prevCount = count;
  }
  return NaN;
}

async function produceAll(topic: string, table: string, first: number, count: number): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  const chunk = 2000;
  const inFlight: Promise<unknown>[] = [];
  for (let m = first; m < first + count; m += chunk) {
    const messages = [];
    for (let i = m; i < Math.min(first + count, m + chunk); i += 1) {
      messages.push({ value: jsonKaiwudbMessage(table, i, PER_MESSAGE), partition: i % 6 });
    }
    inFlight.push(producer.send({ topic, acks: 1, messages }));
    if (inFlight.length >= 4) await inFlight.shift();
  }
  await Promise.all(inFlight);
  await producer.disconnect();
}

async function rawLoader(url: string, database: string, table: string, rows: number): Promise<number> {
  const client = await KwdbClient.connect({ url, database, batchSize: 1000, attempts: 1 });
  const messages = Array.from({ length: Math.ceil(rows / PER_MESSAGE) }, (_, m) =>
    Buffer.from(jsonKaiwudbMessage(table, m, PER_MESSAGE)),
  );
  const started = performance.now();
  // Same work per step as the worker: ~700 messages (1 MiB) decoded, then one write call.
  for (let i = 0; i < messages.length; i += 700) {
    const batches: Batch[] = [];
    for (const value of messages.slice(i, i + 700))
      batches.push(...decode('json_kaiwudb', value, { precision: 'ms' }).batches);
    await client.write(batches);
  }
  const seconds = (performance.now() - started) / 1000;
  await client.close();
  return Math.round(rows / seconds);
}

async function main(): Promise<void> {
  const db = await freshDatabase(env, 'sink_bench');
  const admin = kafka.admin();
  await admin.connect();
  const topic = uniqueName('sink-bench');
  const table = uniqueName('bench').replace(/-/g, '_');
  await createTopic(admin, topic, 6);
  let t = performance.now();
  await produceAll(topic, table, 0, MESSAGES);
  const produceSeconds = (performance.now() - t) / 1000;

  const raw = await rawLoader(db.url, db.name, uniqueName('raw').replace(/-/g, '_'), Math.min(ROWS, 300_000));

  const connection = {
    'connection.url': `postgres://${env.postgres.host}:${env.postgres.port}`,
    'connection.database': db.name,
    'protocol.type': 'json_kaiwudb',
    'timestamp.precision': 'ms',
    'batch.size': 1000,
  };
  const statusTopic = uniqueName('sink-status');
  const worker: WorkerHandle = startWorker({
    name: uniqueName('bench'),
    statusTopic,
    brokers: env.kafka.brokers,
    config: sinkConfig({ topics: topic, ...connection }),
  });
  await worker.url();
  let firstAt = 0;
  let firstRows = 0;
  let written = 0;
  t = performance.now();
  while (written < ROWS && performance.now() - t < 600_000) {
    await sleep(500);
    written = metricValue(await metricsText(worker), 'kwdb_connect_rows_written_total');
    if (firstAt === 0 && written > 0) {
      firstAt = performance.now();
      firstRows = written;
    }
  }
  const sustained = Math.round((written - firstRows) / ((performance.now() - firstAt) / 1000));
  const rss = peakRssMb(worker.child.pid!);
  worker.kill('SIGTERM');
  await worker.exit;

  // Latency at half the sustained rate: a fresh topic fed at rate/2 for 20 s by one producer.
  const latencyTopic = uniqueName('sink-bench-lat');
  await createTopic(admin, latencyTopic, 6);
  const latencyWorker = startWorker({
    name: uniqueName('bench-lat'),
    statusTopic,
    brokers: env.kafka.brokers,
    config: sinkConfig({ topics: latencyTopic, ...connection }),
  });
  await sleep(5000);
  const producer = kafka.producer();
  await producer.connect();
  const rowsPerSecond = sustained / 2;
  const msgsPer100ms = Math.max(1, Math.round(rowsPerSecond / PER_MESSAGE / 10));
  const latTable = uniqueName('lat').replace(/-/g, '_');
  let m = 0;
  const end = Date.now() + 20_000;
  while (Date.now() < end) {
    const tick = Date.now();
    const messages = [];
    for (let i = 0; i < msgsPer100ms; i += 1, m += 1)
      messages.push({ value: jsonKaiwudbMessage(latTable, m, PER_MESSAGE) });
    await producer.send({ topic: latencyTopic, acks: 1, messages });
    await sleep(Math.max(0, 100 - (Date.now() - tick)));
  }
  await producer.disconnect();
  await sleep(2000);
  const latencyMetrics = await metricsText(latencyWorker);
  const p50 = histogramQuantile(latencyMetrics, 'kwdb_connect_end_to_end_latency_seconds', 0.5);
  const p99 = histogramQuantile(latencyMetrics, 'kwdb_connect_end_to_end_latency_seconds', 0.99);
  const latencyRss = peakRssMb(latencyWorker.child.pid!);
  await killAllWorkers();
  await admin.disconnect();
  await db.drop();

  console.log(
    JSON.stringify({
      rows: ROWS,
      produceSeconds: Math.round(produceSeconds),
      rawLoaderRowsPerSec: raw,
      workerRowsPerSec: sustained,
      ratioToRaw: Math.round((sustained / raw) * 100) / 100,
      peakRssMb: rss,
      latency: {
        rateRowsPerSec: Math.round(rowsPerSecond),
        messages: m,
        p50Ms: Math.round(p50 * 1000),
        p99Ms: Math.round(p99 * 1000),
        peakRssMb: latencyRss,
      },
      cpus: cpus().length,
      node: process.version,
    }),
  );
}

main().catch(async (error: unknown) => {
  console.error(error);
  await killAllWorkers();
  process.exit(1);
});
