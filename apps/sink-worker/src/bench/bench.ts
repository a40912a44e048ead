// Benchmark (Nx target `bench`, issues 5 and 17): one worker, json_kaiwudb messages of 5 rows on a
// 6-partition topic pre-filled with ROWS rows, into the test PostgreSQL. docs/benchmarks.md has the method.
// Per workload (BENCH_WORKLOADS, default "guide,light": the guide's 9-field rows, then the earlier
// light 5-field rows; bench/workloads.ts):
//   1. bulk: one worker catches up on the pre-filled topic: sustained rows/s (its rows_written
//      metric), its CPU seconds per million rows (utime + stime of the worker process from
//      /proc/<pid>/stat over the same window as the rows) and its peak RSS (VmHWM);
//   2. raw loader, same run, same messages: the worker's own pipeline
//      (processRecords: decode -> planWrite -> kwdb-client write) without Kafka, with as many
//      concurrent lanes as the worker has partitions in flight, each lane taking steps of the
//      worker's mean records per partition batch, same batch.size, same pool size; its CPU is
//      this process's process.cpuUsage();
//   3. copy: `COPY table FROM STDIN` of the same rows (text format, generated before the clock) into
//      a table of the same definition: what the database takes when the client costs nothing;
//   each phase also reports the PostgreSQL server's CPU seconds per million rows (its postmaster and
//   every child process, from /proc: the server runs on this host in the test environment);
//   before each phase, the tables of the earlier ones are vacuumed and analyzed and the server
//   checkpoints (settle), so no phase shares the cores with the cleanup of another;
// Then, once (light message shape, at half the first workload's sustained rate):
//   4. latency at half the sustained rate: a fresh worker on a fresh topic, fed for WARMUP + 20 s
//      by one producer sending every TICK ms; every row carries its send time (column `sent`) and
//      the table has a bench-only column `landed DEFAULT clock_timestamp()`, so each row's
//      latency is exact (landed - sent); p50/p99 over the rows sent after the warm-up.
// Prints one JSON line. Run: node dist/apps/sink-worker/bench.js [rows]
// Experiment knobs (environment): BENCH_WORKLOADS (default "guide,light"), BENCH_TICKS_MS (default
// "10,100"), BENCH_PHASES (default "bulk,raw,copy,latency"), BENCH_WORKER_NODE_ARGS (e.g. "--trace-gc"), BENCH_WORKER_ENV (JSON object
// added to the worker environment), BENCH_LOG_DIR (write each worker's raw output there),
// BENCH_RATE (half-load base rate when the bulk phase is skipped), BENCH_KEEP_DB=1 (keep the database),
// BENCH_PRODUCER_BATCH_BYTES (bytes of one partition's record batch when the topic is filled; default
// 16384, the Java producer's batch.size that kafka-console-producer and most clients send with).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { decode } from '@kwdb-connect/formats';
import { KwdbClient } from '@kwdb-connect/kwdb-client';
import { parentPid, processCpuSeconds, processTreeCpuSeconds, uniqueName } from '@kwdb-connect/testing';
import { PARTITIONS_CONSUMED_CONCURRENTLY } from '../consumer/consumer-options';
import { processRecords } from '../pipeline/process-records';
import type { SinkRecord } from '../pipeline/record';
import { BASE_TS_MS } from '../test-support/data';
import { copyFrom } from './copy-from';
import { copyLine, WORKLOADS, workloadMessage, type Workload } from './workloads';
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
  withPg,
  type WorkerHandle,
} from '../test-support/harness';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const PER_MESSAGE = 5;
const MESSAGES = Math.ceil(ROWS / PER_MESSAGE);
const BATCH_SIZE = 1000;
/** connection.pool.max's default: the worker's pool size in this benchmark. */
const POOL_SIZE = 4;
const WARMUP_MS = 5_000;
const MEASURE_MS = 20_000;
const TICKS_MS = (process.env['BENCH_TICKS_MS'] ?? '10,100').split(',').map(Number);
const PHASES = new Set((process.env['BENCH_PHASES'] ?? 'bulk,raw,copy,latency').split(','));
const WORKLOAD_NAMES = (process.env['BENCH_WORKLOADS'] ?? 'guide,light').split(',');
const WORKER_NODE_ARGS = (process.env['BENCH_WORKER_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
const WORKER_ENV = JSON.parse(process.env['BENCH_WORKER_ENV'] ?? '{}') as Record<string, string>;
const LOG_DIR = process.env['BENCH_LOG_DIR'];
/** The Java producer's default batch.size: the record batches users' producers write to the topic. */
const PRODUCER_BATCH_BYTES = Number(process.env['BENCH_PRODUCER_BATCH_BYTES'] ?? 16_384);
const PARTITIONS = 6;
const env = testEnv();
const kafka = kafkaClient(env);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** The PostgreSQL server's postmaster pid: the parent of this session's backend (same host). */
async function postmasterPid(url: string): Promise<number> {
  // Read while the session is open: its backend process ends with it.
  return withPg(url, async (c) =>
    parentPid(Number((await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid)),
  );
}

/** CPU seconds the PostgreSQL server has used so far (the postmaster and all its children). */
const serverCpuSeconds = processTreeCpuSeconds;

const ownCpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** CPU seconds per million rows and rows per CPU second. */
function cpuCost(
  cpuSeconds: number,
  rows: number,
): { cpuSecondsPerMillionRows: number; rowsPerCpuSecond: number } {
  return {
    cpuSecondsPerMillionRows: Math.round((cpuSeconds / rows) * 1e6 * 100) / 100,
    rowsPerCpuSecond: Math.round(rows / cpuSeconds),
  };
}

function dumpLog(worker: WorkerHandle, name: string): void {
  if (LOG_DIR === undefined) return;
  mkdirSync(LOG_DIR, { recursive: true });
  writeFileSync(join(LOG_DIR, `${name}.log`), worker.raw.join('\n') + '\n');
}

/** A quantile from a Prometheus histogram, interpolated linearly inside its bucket (coarse). */
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

/** json_kaiwudb message m of the latency table: like jsonKaiwudbMessage, plus the send time. */
function latencyMessage(table: string, message: number, sentMs: number): string {
  const data: string[] = [];
  for (let r = 0; r < PER_MESSAGE; r += 1) {
    const k = message * PER_MESSAGE + r;
    data.push(`{"ts":${BASE_TS_MS + k},"k":${k},"sent":${sentMs},"dev":"d${k % 16}"}`);
  }
  return (
    `{"table":"${table}","columns":[{"name":"ts","type":"TIMESTAMPTZ","length":64},{"name":"k","type":"INT8","length":64},` +
    `{"name":"sent","type":"INT8","length":64}],` +
    `"tags":[{"name":"dev","type":"VARCHAR","length":32,"primary":true,"nullable":false}],"data":[${data.join(',')}]}`
  );
}

async function produceAll(
  topic: string,
  workload: Workload,
  table: string,
  first: number,
  count: number,
): Promise<number> {
  const producer = kafka.producer();
  await producer.connect();
  // One send writes one record batch per partition: about PRODUCER_BATCH_BYTES each, as a Java
  // producer with the default batch.size would. (Sends of 2,000 messages, 417 KB record batches,
  // made every fetch carry a cut-off batch the worker read and dropped: issue 17.)
  const bytes = Buffer.byteLength(workloadMessage(workload, table, first, PER_MESSAGE));
  const chunk = PARTITIONS * Math.max(1, Math.floor(PRODUCER_BATCH_BYTES / bytes));
  const inFlight: Promise<unknown>[] = [];
  for (let m = first; m < first + count; m += chunk) {
    const messages = [];
    for (let i = m; i < Math.min(first + count, m + chunk); i += 1) {
      messages.push({ value: workloadMessage(workload, table, i, PER_MESSAGE), partition: i % PARTITIONS });
    }
    inFlight.push(producer.send({ topic, acks: 1, messages }));
    if (inFlight.length >= 16) await inFlight.shift();
  }
  await Promise.all(inFlight);
  await producer.disconnect();
  return chunk / PARTITIONS;
}

/**
 * The ceiling: the worker's pipeline without Kafka. `lanes` concurrent loops (the worker's
 * partitionsConsumedConcurrently), each taking `perStep` messages at a time (the worker's mean
 * partition batch) through processRecords with the worker's decode call and one kwdb-client
 * (same batch.size and pool size). Messages are generated before the clock starts.
 */
async function rawLoader(
  url: string,
  database: string,
  workload: Workload,
  table: string,
  messages: number,
  lanes: number,
  perStep: number,
  postmaster: number,
): Promise<{
  rowsPerSec: number;
  cpuSecondsPerMillionRows: number;
  rowsPerCpuSecond: number;
  databaseCpuSecondsPerMillionRows: number;
}> {
  const client = await KwdbClient.connect({
    url,
    database,
    user: 'postgres',
    batchSize: BATCH_SIZE,
    poolSize: POOL_SIZE,
    attempts: 1,
  });
  const values = Array.from({ length: messages }, (_, m) =>
    Buffer.from(workloadMessage(workload, table, m, PER_MESSAGE)),
  );
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < values.length) {
      const start = next;
      next += perStep;
      const records: SinkRecord[] = values.slice(start, start + perStep).map((value, i) => ({
        topic: 'raw',
        partition: 0,
        offset: String(start + i),
        key: null,
        value,
        headers: {},
        timestamp: '0',
      }));
      const result = await processRecords(records, {
        batchSize: BATCH_SIZE,
        stopAtFirstFailure: true,
        decode: (record) =>
          decode('json_kaiwudb', record.value!, {
            precision: 'ms',
            source: { name: `raw/0@${record.offset}` },
          }),
        write: (batches) => client.write(batches),
      });
      if (result.failures.length > 0) throw result.failures[0]!.error;
    }
  };
  const started = performance.now();
  const cpuBefore = ownCpuSeconds();
  const serverBefore = serverCpuSeconds(postmaster);
  await Promise.all(Array.from({ length: lanes }, lane));
  const cpu = ownCpuSeconds() - cpuBefore;
  const server = serverCpuSeconds(postmaster) - serverBefore;
  const seconds = (performance.now() - started) / 1000;
  await client.close();
  const rows = messages * PER_MESSAGE;
  return {
    rowsPerSec: Math.round(rows / seconds),
    ...cpuCost(cpu, rows),
    databaseCpuSecondsPerMillionRows: cpuCost(server, rows).cpuSecondsPerMillionRows,
  };
}

/**
 * The ceiling: the same rows as COPY text (made before the clock), one `COPY FROM STDIN` per
 * 10,000 rows, into a table created by kwdb-client from the workload's own message (same columns,
 * same primary key). Server-side cost only, as far as a client can get.
 */
async function copyCeiling(
  url: string,
  database: string,
  workload: Workload,
  table: string,
  rows: number,
  postmaster: number,
): Promise<{ rowsPerSec: number; databaseCpuSecondsPerMillionRows: number }> {
  const client = await KwdbClient.connect({ url, database, user: 'postgres', attempts: 1 });
  await client.ensureTable(
    decode('json_kaiwudb', Buffer.from(workloadMessage(workload, table, 0, 1)), { precision: 'ms' })
      .batches[0]!,
  );
  await client.close();
  const chunks: Buffer[] = [];
  for (let start = 0; start < rows; start += 10_000) {
    let text = '';
    for (let k = start; k < Math.min(rows, start + 10_000); k += 1) text += copyLine(workload, k);
    chunks.push(Buffer.from(text));
  }
  const columns = workload.names.map((n) => `"${n}"`).join(', ');
  return withPg(url, async (c) => {
    const started = performance.now();
    const serverBefore = serverCpuSeconds(postmaster);
    let copied = 0;
    for (const chunk of chunks) copied += await copyFrom(c, `"${table}" (${columns})`, [chunk]);
    const seconds = (performance.now() - started) / 1000;
    const server = serverCpuSeconds(postmaster) - serverBefore;
    if (copied !== rows) throw new Error(`COPY wrote ${copied} rows, expected ${rows}`);
    return {
      rowsPerSec: Math.round(rows / seconds),
      databaseCpuSecondsPerMillionRows: cpuCost(server, rows).cpuSecondsPerMillionRows,
    };
  });
}

interface LatencyResult {
  tickMs: number;
  rateRowsPerSec: number;
  rowsMeasured: number;
  rowsLanded: number;
  rowsSent: number;
  table: string;
  measureFrom: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** Same percentiles including the warm-up rows. */
  withWarmup: { p50Ms: number; p99Ms: number; maxMs: number };
  /** The 3 seconds (from the measure start) with the highest max latency: where the tail is. */
  worstSeconds: { second: number; rows: number; p99Ms: number; maxMs: number }[];
  histogramP50Ms: number;
  histogramP99Ms: number;
  peakRssMb: number;
  producer: { maxSendMs: number; maxLateMs: number; ticksLateOver50Ms: number };
}

async function latencyRun(
  dbUrl: string,
  dbName: string,
  connection: Record<string, unknown>,
  statusTopic: string,
  rowsPerSecond: number,
  tickMs: number,
): Promise<LatencyResult> {
  const admin = kafka.admin();
  await admin.connect();
  const topic = uniqueName('sink-bench-lat');
  await createTopic(admin, topic, 6);
  await admin.disconnect();
  const table = uniqueName('lat').replace(/-/g, '_');
  // The table exists before the worker starts, with a bench-only column the worker never writes:
  // landed = the time PostgreSQL inserted the row.
  const client = await KwdbClient.connect({ url: dbUrl, database: dbName, user: 'postgres', attempts: 1 });
  await client.ensureTable(
    decode('json_kaiwudb', Buffer.from(latencyMessage(table, 0, 0)), { precision: 'ms' }).batches[0]!,
  );
  await client.close();
  await withPg(dbUrl, (c) =>
    c.query(`ALTER TABLE "${table}" ADD COLUMN landed TIMESTAMPTZ DEFAULT clock_timestamp()`),
  );
  const worker = startWorker({
    name: uniqueName('bench-lat'),
    statusTopic,
    brokers: env.kafka.brokers,
    config: sinkConfig({ topics: topic, ...connection }),
    nodeArgs: WORKER_NODE_ARGS,
    env: WORKER_ENV,
  });
  await worker.url();
  await worker.waitForLog((l) => l.msg === 'joined the consumer group');
  await sleep(1000);
  const producer = kafka.producer();
  await producer.connect();
  // Messages per tick, carried over in fractions so the mean rate is exact at any tick.
  const perTick = rowsPerSecond / PER_MESSAGE / (1000 / tickMs);
  let m = 0;
  let owed = 0;
  const started = Date.now();
  const measureFrom = started + WARMUP_MS;
  const end = measureFrom + MEASURE_MS;
  let tick = started;
  // Producer-side stalls (this process or the broker starved of CPU): they show up as latency too,
  // and a late tick sends the messages it owes at once (a burst), so they are reported.
  let maxLateMs = 0;
  let lateTicks = 0;
  let maxSendMs = 0;
  while (Date.now() < end) {
    const late = Date.now() - tick;
    maxLateMs = Math.max(maxLateMs, late);
    if (late > 50) lateTicks += 1;
    owed += perTick;
    const n = Math.floor(owed);
    owed -= n;
    if (n > 0) {
      const sent = Date.now();
      const messages = [];
      for (let i = 0; i < n; i += 1, m += 1) messages.push({ value: latencyMessage(table, m, sent) });
      await producer.send({ topic, acks: 1, messages });
      maxSendMs = Math.max(maxSendMs, Date.now() - sent);
    }
    tick += tickMs;
    await sleep(Math.max(0, tick - Date.now()));
  }
  await producer.disconnect();
  const rowsSent = m * PER_MESSAGE;
  let landed = 0;
  for (let waited = 0; waited < 30_000 && landed < rowsSent; waited += 500) {
    await sleep(500);
    landed = await withPg(dbUrl, async (c) =>
      Number((await c.query(`SELECT count(*) AS n FROM "${table}"`)).rows[0].n),
    );
  }
  const latencyMs = `(extract(epoch FROM landed) * 1000 - sent)`;
  const stats = await withPg(dbUrl, async (c) => {
    const pct = async (where: string) =>
      (
        await c.query(
          `SELECT count(*)::int AS n,
             percentile_disc(ARRAY[0.5, 0.9, 0.99, 0.999]) WITHIN GROUP (ORDER BY ${latencyMs}) AS p,
             max(${latencyMs}) AS max
           FROM "${table}" WHERE ${where}`,
        )
      ).rows[0] as { n: number; p: number[]; max: number };
    const measured = await pct(`sent >= ${measureFrom}`);
    const all = await pct('true');
    const worst = (
      await c.query(
        `SELECT floor((sent - ${measureFrom}) / 1000.0)::int AS second, count(*)::int AS rows,
           percentile_disc(0.99) WITHIN GROUP (ORDER BY ${latencyMs}) AS p99, max(${latencyMs}) AS max
         FROM "${table}" WHERE sent >= ${measureFrom} GROUP BY 1 ORDER BY max DESC LIMIT 3`,
      )
    ).rows as { second: number; rows: number; p99: number; max: number }[];
    return { measured, all, worst };
  });
  const text = await metricsText(worker);
  const rss = peakRssMb(worker.child.pid!);
  worker.kill('SIGTERM');
  await worker.exit;
  dumpLog(worker, `latency-${tickMs}ms`);
  const r = (x: number | undefined): number => Math.round(Number(x));
  return {
    tickMs,
    rateRowsPerSec: Math.round(rowsPerSecond),
    rowsMeasured: stats.measured.n,
    rowsLanded: landed,
    rowsSent,
    table,
    measureFrom,
    p50Ms: r(stats.measured.p[0]),
    p90Ms: r(stats.measured.p[1]),
    p99Ms: r(stats.measured.p[2]),
    p999Ms: r(stats.measured.p[3]),
    maxMs: r(stats.measured.max),
    withWarmup: { p50Ms: r(stats.all.p[0]), p99Ms: r(stats.all.p[2]), maxMs: r(stats.all.max) },
    worstSeconds: stats.worst.map((w) => ({
      second: w.second,
      rows: w.rows,
      p99Ms: r(w.p99),
      maxMs: r(w.max),
    })),
    histogramP50Ms: r(histogramQuantile(text, 'kwdb_connect_end_to_end_latency_seconds', 0.5) * 1000),
    histogramP99Ms: r(histogramQuantile(text, 'kwdb_connect_end_to_end_latency_seconds', 0.99) * 1000),
    peakRssMb: rss,
    producer: { maxSendMs, maxLateMs, ticksLateOver50Ms: lateTicks },
  };
}

/**
 * Vacuums and analyzes the tables the earlier phases filled, then checkpoints: otherwise
 * autovacuum (1M new rows pass its insert threshold) and the checkpointer work on them during the
 * next phase, on the same two cores. It made COPY ceilings of 290-580k rows/s on a quiet machine.
 */
async function settle(url: string, tables: readonly string[]): Promise<void> {
  await withPg(url, async (c) => {
    for (const table of tables) await c.query(`VACUUM (ANALYZE) "${table}"`);
    await c.query('CHECKPOINT');
  });
}

/** Bulk, raw loader and COPY of one workload, in that order; the load average around each. */
async function benchWorkload(
  workload: Workload,
  db: { name: string; url: string },
  connection: Record<string, unknown>,
  statusTopic: string,
  bigTables: string[],
): Promise<Record<string, unknown>> {
  const load = (): number[] => loadavg().map((x) => Math.round(x * 100) / 100);
  const out: Record<string, unknown> = { workload: workload.name };
  const postmaster = await postmasterPid(db.url);
  let perStep = 700;
  let bulkBytes = 0;
  if (PHASES.has('bulk')) {
    await settle(db.url, bigTables);
    const admin = kafka.admin();
    await admin.connect();
    const topic = uniqueName('sink-bench');
    const table = uniqueName(`bench-${workload.name}`).replace(/-/g, '_');
    bigTables.push(table);
    await createTopic(admin, topic, PARTITIONS);
    await admin.disconnect();
    bulkBytes = Buffer.byteLength(workloadMessage(workload, table, 0, PER_MESSAGE));
    let t = performance.now();
    out['producerBatchMessages'] = await produceAll(topic, workload, table, 0, MESSAGES);
    out['produceSeconds'] = Math.round((performance.now() - t) / 1000);
    out['bytesPerMessage'] = bulkBytes;
    const loadBefore = load();
    const worker: WorkerHandle = startWorker({
      name: uniqueName('bench'),
      statusTopic,
      brokers: env.kafka.brokers,
      config: sinkConfig({ topics: topic, ...connection }),
      nodeArgs: WORKER_NODE_ARGS,
      env: WORKER_ENV,
    });
    await worker.url();
    const pid = worker.child.pid!;
    let firstAt = 0;
    let firstRows = 0;
    let firstCpu = 0;
    let firstServer = 0;
    let written = 0;
    let text = '';
    t = performance.now();
    while (written < ROWS && performance.now() - t < 600_000) {
      await sleep(500);
      text = await metricsText(worker);
      written = metricValue(text, 'kwdb_connect_rows_written_total');
      if (firstAt === 0 && written > 0) {
        firstAt = performance.now();
        firstRows = written;
        firstCpu = processCpuSeconds(pid);
        firstServer = serverCpuSeconds(postmaster);
      }
    }
    const cpu = processCpuSeconds(pid) - firstCpu;
    const server = serverCpuSeconds(postmaster) - firstServer;
    const rows = written - firstRows;
    const sustained = Math.round(rows / ((performance.now() - firstAt) / 1000));
    const consumed = metricValue(text, 'kwdb_connect_records_consumed_total');
    const batches = metricValue(text, 'kwdb_connect_write_batch_duration_seconds_count');
    perStep = Math.max(1, Math.round(consumed / Math.max(1, batches)));
    out['workerRowsPerSec'] = sustained;
    Object.assign(out, { worker: { ...cpuCost(cpu, rows), cpuSecondsTotal: processCpuSeconds(pid) } });
    out['databaseCpuSecondsPerMillionRows'] = cpuCost(server, rows).cpuSecondsPerMillionRows;
    out['peakRssMb'] = peakRssMb(pid);
    out['meanRecordsPerPartitionBatch'] = perStep;
    out['loadavgBulk'] = [loadBefore, load()];
    worker.kill('SIGTERM');
    await worker.exit;
    dumpLog(worker, `bulk-${workload.name}`);
  }

  // The raw loader on the same messages (a table of its own), right after the worker.
  if (PHASES.has('raw')) {
    await settle(db.url, bigTables);
    const lanes = PARTITIONS_CONSUMED_CONCURRENTLY;
    const loadBefore = load();
    const rawTable = uniqueName('raw').replace(/-/g, '_');
    bigTables.push(rawTable);
    const raw = await rawLoader(db.url, db.name, workload, rawTable, MESSAGES, lanes, perStep, postmaster);
    out['rawLoader'] = {
      lanes,
      messagesPerStep: perStep,
      batchSize: BATCH_SIZE,
      poolSize: POOL_SIZE,
      ...raw,
    };
    out['loadavgRaw'] = [loadBefore, load()];
    const workerRate = out['workerRowsPerSec'];
    if (typeof workerRate === 'number')
      out['ratioToRaw'] = Math.round((workerRate / raw.rowsPerSec) * 100) / 100;
  }

  // The ceiling: COPY of the same rows.
  if (PHASES.has('copy')) {
    await settle(db.url, bigTables);
    const loadBefore = load();
    const copyTable = uniqueName(`copy-${workload.name}`).replace(/-/g, '_');
    bigTables.push(copyTable);
    const ceiling = await copyCeiling(
      db.url,
      db.name,
      workload,
      copyTable,
      MESSAGES * PER_MESSAGE,
      postmaster,
    );
    const copy = ceiling.rowsPerSec;
    out['copyRowsPerSec'] = copy;
    out['copyDatabaseCpuSecondsPerMillionRows'] = ceiling.databaseCpuSecondsPerMillionRows;
    out['loadavgCopy'] = [loadBefore, load()];
    const workerRate = out['workerRowsPerSec'];
    if (typeof workerRate === 'number') out['ratioToCopy'] = Math.round((workerRate / copy) * 100) / 100;
  }
  return out;
}

async function main(): Promise<void> {
  const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100);
  const db = await freshDatabase(env, 'sink_bench');
  const connection = {
    'connection.url': `postgres://${env.postgres.host}:${env.postgres.port}`,
    'connection.database': db.name,
    'connection.pool.max': POOL_SIZE,
    'protocol.type': 'json_kaiwudb',
    'timestamp.precision': 'ms',
    'batch.size': BATCH_SIZE,
  };
  const statusTopic = uniqueName('sink-status');
  const out: Record<string, unknown> = { rows: ROWS, loadavgBefore: loadBefore };

  const bigTables: string[] = [];
  let sustained = Number(process.env['BENCH_RATE'] ?? 0);
  const workloads: Record<string, unknown>[] = [];
  for (const name of WORKLOAD_NAMES) {
    const workload = WORKLOADS[name];
    if (workload === undefined) throw new Error(`BENCH_WORKLOADS: unknown workload ${name}`);
    const result = await benchWorkload(workload, db, connection, statusTopic, bigTables);
    if (sustained === 0 && typeof result['workerRowsPerSec'] === 'number')
      sustained = result['workerRowsPerSec'];
    workloads.push(result);
  }
  out['workloads'] = workloads;

  // Latency at half the first workload's sustained rate, once per producer tick.
  if (PHASES.has('latency')) {
    // The 1M-row tables above would be autovacuumed/analyzed in the middle of the latency runs
    // (seen in pg_stat_user_tables during the first runs: 200-400 ms p99 seconds): drop them
    // and write the dirty buffers out first, so the latency runs measure the worker.
    await withPg(db.url, async (c) => {
      for (const table of bigTables) await c.query(`DROP TABLE IF EXISTS "${table}"`);
      await c.query('CHECKPOINT');
    });
    const latency = [];
    for (const tickMs of TICKS_MS) {
      latency.push(await latencyRun(db.url, db.name, connection, statusTopic, sustained / 2, tickMs));
    }
    out['latency'] = latency;
  }
  await killAllWorkers();
  if (process.env['BENCH_KEEP_DB'] === '1') out['database'] = db.name;
  else await db.drop();
  out['loadavgAfter'] = loadavg().map((x) => Math.round(x * 100) / 100);
  out['cpus'] = cpus().length;
  out['node'] = process.version;
  console.log(JSON.stringify(out));
}

main().catch(async (error: unknown) => {
  console.error(error);
  await killAllWorkers();
  process.exit(1);
});
