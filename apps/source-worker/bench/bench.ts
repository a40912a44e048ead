// Benchmark (Nx target `bench`, issue 6 point 9): one source task (the BUILT worker, a child
// process) on the test PostgreSQL and Kafka. docs/benchmarks.md has the method and the numbers.
//   1. catch-up: a table of ROWS rows (100 devices; ts ms, v INT8, f FLOAT8; tags id INT8 primary,
//      site VARCHAR), seeded in SQL (INSERT ... SELECT generate_series), read by one task with
//      `fetch.max.rows` FETCH; rows/s = records in the topic (end offsets, polled every 100 ms)
//      from the first record to the last, divided by the time.
//   2. latency at a steady RATE rows/s for DURATION s: a writer inserts RATE/100 rows every 10 ms
//      whose timestamp is the insert's wall time; a consumer takes each record's receive time minus
//      its row timestamp (the record timestamp); p50/p99 over the records after a 5 s warm-up.
// Prints one JSON line. Run: node dist/apps/source-worker/bench.js
// Knobs (environment): BENCH_ROWS (1000000), BENCH_FETCH (10000), BENCH_FORMAT (json_kaiwudb),
// BENCH_RATE (1000), BENCH_DURATION_S (30), BENCH_QUERY_INTERVAL_MS (1000), BENCH_PHASES
// ("catchup,latency"), BENCH_WORKER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin } from 'kafkajs';
import pg from 'pg';
import { KwdbClient } from '@kwdb-connect/kwdb-client';
import { workerNodeArgs } from '@kwdb-connect/runtime';
import {
  batch,
  env,
  freshDatabase,
  kafkaClient,
  names,
  sourceConfig,
  WORKER,
  type TestDatabase,
} from '../test/support';

const ROWS = Number(process.env['BENCH_ROWS'] ?? 1_000_000);
const FETCH = Number(process.env['BENCH_FETCH'] ?? 10_000);
const FORMAT = process.env['BENCH_FORMAT'] ?? 'json_kaiwudb';
const RATE = Number(process.env['BENCH_RATE'] ?? 1000);
const DURATION_S = Number(process.env['BENCH_DURATION_S'] ?? 30);
const QUERY_INTERVAL_MS = Number(process.env['BENCH_QUERY_INTERVAL_MS'] ?? 1000);
const PHASES = (process.env['BENCH_PHASES'] ?? 'catchup,latency').split(',');
// The flags the supervisor runs workers with, then the experiment's own (later flags win).
const NODE_ARGS = [
  ...workerNodeArgs('source'),
  ...(process.env['BENCH_WORKER_NODE_ARGS'] ?? '').split(' ').filter(Boolean),
];
const DEVICES = 100;
const WARMUP_MS = 5000;

const COLUMNS = [
  { name: 'ts', type: 'TIMESTAMPTZ' as const, length: 64 },
  { name: 'v', type: 'INT8' as const, length: 64 },
  { name: 'f', type: 'FLOAT8' as const, length: 64 },
];
const TAGS = [
  { name: 'id', type: 'INT8' as const, length: 64, primary: true, nullable: false },
  { name: 'site', type: 'VARCHAR' as const, length: 32, primary: false, nullable: true },
];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Worker {
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

function startWorker(name: string, config: Record<string, unknown>): Worker {
  const n = names(name);
  const file = join(tmpdir(), `${n.name}.json`);
  writeFileSync(file, JSON.stringify({ name: n.name, config, targetState: 'RUNNING' }));
  const child = spawn(process.execPath, [...NODE_ARGS, WORKER], {
    env: {
      PATH: process.env['PATH'] ?? '',
      KAFKA_BOOTSTRAP_SERVERS: env().kafka.brokers.join(','),
      KWDB_CONNECT_CONFIG_FILE: file,
      KWDB_CONNECT_HTTP_HOST: '127.0.0.1',
      KWDB_CONNECT_HTTP_PORT: '0',
      KWDB_CONNECT_OFFSETS_TOPIC: n.offsetsTopic,
      KWDB_CONNECT_STATUS_TOPIC: n.statusTopic,
      KWDB_CONNECT_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return {
    exited: new Promise((r) => child.on('exit', (code) => r(code))),
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

async function topicRecords(admin: Admin, topic: string): Promise<number> {
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  } catch {
    return 0;
  }
}

async function seed(db: TestDatabase, rows: number): Promise<number> {
  const client = await KwdbClient.connect({ url: db.url, attempts: 1, backoffMs: 0 });
  await client.ensureTable(batch('bench', COLUMNS, TAGS, [], 'ms'));
  await client.close();
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  const started = performance.now();
  // ts = base + floor(g / DEVICES) ms, id = g % DEVICES: (ts, id) unique, DEVICES rows per ms.
  await c.query(
    `INSERT INTO bench (ts, v, f, id, site)
     SELECT timestamptz '2024-01-01 00:00:00+00' + (g / ${DEVICES}) * interval '1 millisecond',
            g::int8 * 1000003, g * 0.5, g % ${DEVICES}, 'site-' || (g % ${DEVICES})
     FROM generate_series(0, ${rows - 1}) AS g`,
  );
  await c.query('ANALYZE bench');
  await c.end();
  return (performance.now() - started) / 1000;
}

async function catchUp(): Promise<Record<string, unknown>> {
  const db = await freshDatabase('bench_src_catchup');
  const seedSeconds = await seed(db, ROWS);
  const kafka = kafkaClient();
  const admin = kafka.admin();
  await admin.connect();
  const prefix = names('bench-cu').name;
  const topic = `${prefix}-${db.name}-bench`;
  const t0 = performance.now();
  const worker = startWorker(
    'bench-cu',
    sourceConfig(prefix, db.name, db.url, {
      'topic.prefix': prefix,
      'fetch.max.rows': String(FETCH),
      'query.interval.ms': String(QUERY_INTERVAL_MS),
      'out.format': FORMAT,
    }),
  );
  let first = 0;
  let firstAt = 0;
  let last = 0;
  const deadline = Date.now() + 15 * 60_000;
  while (Date.now() < deadline) {
    const n = await topicRecords(admin, topic);
    if (n > 0 && firstAt === 0) {
      first = n;
      firstAt = performance.now();
    }
    if (n >= ROWS) {
      last = performance.now();
      break;
    }
    await sleep(100);
  }
  worker.kill('SIGTERM');
  const code = await worker.exited;
  await admin.disconnect();
  await db.drop();
  if (last === 0) throw new Error('catch-up did not finish in 15 minutes');
  return {
    rows: ROWS,
    fetchMaxRows: FETCH,
    format: FORMAT,
    seedSeconds: Number(seedSeconds.toFixed(1)),
    catchUpRowsPerSecond: Math.round((ROWS - first) / ((last - firstAt) / 1000)),
    catchUpSecondsFromStart: Number(((last - t0) / 1000).toFixed(1)),
    workerExit: code,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function latency(): Promise<Record<string, unknown>> {
  const db = await freshDatabase('bench_src_latency');
  const client = await KwdbClient.connect({ url: db.url, attempts: 1, backoffMs: 0 });
  await client.ensureTable(batch('live', COLUMNS, TAGS, [], 'ms'));
  const kafka = kafkaClient();
  const prefix = names('bench-lat').name;
  const topic = `${prefix}-${db.name}-live`;
  const worker = startWorker(
    'bench-lat',
    sourceConfig(prefix, db.name, db.url, {
      'topic.prefix': prefix,
      'fetch.max.rows': String(FETCH),
      'query.interval.ms': String(QUERY_INTERVAL_MS),
      'out.format': FORMAT,
    }),
  );
  // Wait for the worker to create the topic (it does at its first claim of the table).
  const admin = kafka.admin();
  await admin.connect();
  for (let i = 0; i < 600 && !(await admin.listTopics()).includes(topic); i++) await sleep(100);
  await admin.disconnect();

  const samples: Array<{ ts: number; latency: number }> = [];
  const consumer = kafka.consumer({ groupId: names('bench-reader').name, maxWaitTimeInMs: 20 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch: b }) => {
      const now = Date.now();
      for (const m of b.messages)
        samples.push({ ts: Number(m.timestamp), latency: now - Number(m.timestamp) });
    },
  });

  // The writer: RATE rows/s as RATE/100 rows every 10 ms, each row's timestamp = its insert time.
  const perTick = Math.max(1, Math.round(RATE / 100));
  const started = Date.now();
  let written = 0;
  let seq = 0;
  let lastTs = 0;
  while (Date.now() - started < DURATION_S * 1000) {
    const tickStart = Date.now();
    let ms = Date.now();
    if (ms <= lastTs) ms = lastTs + 1; // one timestamp per tick, strictly increasing
    lastTs = ms;
    const rows = Array.from({ length: perTick }, (_, i) => ({
      ts: BigInt(ms) * 1_000_000n,
      v: BigInt(seq++),
      f: 0.5,
      id: BigInt(i),
      site: 's',
    }));
    await client.write(batch('live', COLUMNS, TAGS, rows, 'ms'));
    written += rows.length;
    const wait = 10 - (Date.now() - tickStart);
    if (wait > 0) await sleep(wait);
  }
  const writeSeconds = (Date.now() - started) / 1000;
  for (let i = 0; i < 100 && samples.length < written; i++) await sleep(100);
  await consumer.disconnect();
  worker.kill('SIGTERM');
  const code = await worker.exited;
  await client.close();
  await db.drop();
  const measured = samples
    .filter((s) => s.ts >= started + WARMUP_MS)
    .map((s) => s.latency)
    .sort((a, b) => a - b);
  return {
    targetRowsPerSecond: RATE,
    achievedRowsPerSecond: Math.round(written / writeSeconds),
    queryIntervalMs: QUERY_INTERVAL_MS,
    rowsWritten: written,
    recordsReceived: samples.length,
    measured: measured.length,
    p50Ms: percentile(measured, 50),
    p99Ms: percentile(measured, 99),
    maxMs: measured[measured.length - 1],
    workerExit: code,
  };
}

async function main(): Promise<void> {
  const result: Record<string, unknown> = {
    node: process.version,
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    loadavgBefore: loadavg().map((l) => Number(l.toFixed(2))),
  };
  if (PHASES.includes('catchup')) result['catchUp'] = await catchUp();
  if (PHASES.includes('latency')) result['latency'] = await latency();
  result['loadavgAfter'] = loadavg().map((l) => Number(l.toFixed(2)));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
