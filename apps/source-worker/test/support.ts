// Helpers for the integration tests: databases on the test PostgreSQL, the BUILT worker as a
// child process, and a Kafka reader.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import kafkajs, { type Consumer, type Kafka } from 'kafkajs';
import pg from 'pg';
import type { Batch, ColumnDef, Row, TagDef } from '@kwdb-connect/formats';
import { KwdbClient } from '@kwdb-connect/kwdb-client';
import { workerNodeArgs } from '@kwdb-connect/runtime';
import { loadTestEnv, uniqueName } from '@kwdb-connect/testing';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
const { Kafka: KafkaClass, logLevel } = kafkajs;

export const ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const WORKER = join(ROOT, 'dist', 'apps', 'source-worker', 'main.js');
/** The built sink worker (round-trip tests); `sink-worker:build` makes it. */
export const SINK_WORKER = join(ROOT, 'dist', 'apps', 'sink-worker', 'main.js');

export function env() {
  return loadTestEnv('kafka', 'postgres');
}

export function kafkaClient(): Kafka {
  return new KafkaClass({
    clientId: uniqueName('sw-test'),
    brokers: env().kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function freshDatabase(prefix: string, adminUrl = env().postgres.url): Promise<TestDatabase> {
  const name = uniqueName(prefix).replace(/-/g, '_');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect().catch(() => undefined);
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
      await c.end().catch(() => undefined);
    },
  };
}

export async function connect(url: string): Promise<KwdbClient> {
  return KwdbClient.connect({ url, attempts: 1, backoffMs: 0 });
}

export function batch(
  table: string,
  columns: ColumnDef[],
  tags: TagDef[],
  rows: Row[],
  precision: Batch['precision'] = 'ms',
): Batch {
  return { table, columns, tags, rows, precision, canCreateTable: true };
}

/** A small device table: ts, v INT8; tag id INT8 primary, site VARCHAR. */
export const SMALL_COLUMNS: ColumnDef[] = [
  { name: 'ts', type: 'TIMESTAMPTZ', length: 64 },
  { name: 'v', type: 'INT8', length: 64 },
];
export const SMALL_TAGS: TagDef[] = [
  { name: 'id', type: 'INT8', length: 64, primary: true, nullable: false },
  { name: 'site', type: 'VARCHAR', length: 32, primary: false, nullable: true },
];
export function smallRow(tsMs: bigint, id: bigint, v: bigint): Row {
  return { ts: tsMs * 1_000_000n, v, id, site: 's' };
}

export interface WorkerHandle {
  child: ChildProcess;
  logs: string[];
  configFile: string;
  exited: Promise<number | null>;
  url(): Promise<string>;
  setTargetState(state: 'RUNNING' | 'PAUSED'): void;
  kill(signal?: NodeJS.Signals): void;
}

export interface WorkerOptions {
  name: string;
  config: Record<string, unknown>;
  taskId?: number;
  offsetsTopic: string;
  statusTopic: string;
  targetState?: 'RUNNING' | 'PAUSED';
  extraEnv?: Record<string, string>;
  /** The built worker to run: the source worker (default) or SINK_WORKER. */
  script?: string;
}

export function sourceConfig(
  name: string,
  dbName: string,
  url: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    'connector.class': 'com.kaiwudb.kafka.connect.source.KwdbSourceConnector',
    'tasks.max': '1',
    'connection.url': url,
    'connection.user': 'postgres',
    'connection.database': dbName,
    'poll.interval.ms': '1000',
    'topic.prefix': name,
    'topic.delimiter': '-',
    'fetch.max.rows': '100',
    'query.interval.ms': '200',
    'out.format': 'json_kaiwudb',
    'read.method': 'query',
    ...extra,
  };
}

export function startWorker(options: WorkerOptions): WorkerHandle {
  const dir = mkdtempSync(join(tmpdir(), 'sw-test-'));
  const configFile = join(dir, 'worker.json');
  const write = (state: string): void => {
    writeFileSync(
      `${configFile}.tmp`,
      JSON.stringify({ name: options.name, config: options.config, targetState: state }),
    );
    renameSync(`${configFile}.tmp`, configFile);
  };
  write(options.targetState ?? 'RUNNING');
  const script = options.script ?? WORKER;
  if (!existsSync(script)) {
    throw new Error(`${script} is missing: build it first (node tools/scripts/build-app.mjs apps/<name>)`);
  }
  const child = spawn(
    process.execPath,
    [...workerNodeArgs(script === SINK_WORKER ? 'sink' : 'source'), script],
    {
      env: {
        PATH: process.env['PATH'] ?? '',
        KAFKA_BOOTSTRAP_SERVERS: env().kafka.brokers.join(','),
        KWDB_CONNECT_CONFIG_FILE: configFile,
        KWDB_CONNECT_TASK_ID: String(options.taskId ?? 0),
        KWDB_CONNECT_WORKER_ID: `test-worker-${options.taskId ?? 0}`,
        KWDB_CONNECT_HTTP_HOST: '127.0.0.1',
        KWDB_CONNECT_HTTP_PORT: '0',
        KWDB_CONNECT_OFFSETS_TOPIC: options.offsetsTopic,
        KWDB_CONNECT_STATUS_TOPIC: options.statusTopic,
        KWDB_CONNECT_LOG_LEVEL: 'info',
        ...options.extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logs: string[] = [];
  let urlResolve: (u: string) => void = () => undefined;
  const urlPromise = new Promise<string>((r) => (urlResolve = r));
  const onData = (d: Buffer): void => {
    for (const line of d.toString().split('\n')) {
      if (line === '') continue;
      logs.push(line);
      if (process.env['SW_TEST_LOGS'])
        process.stderr.write(`[${options.name} ${options.taskId ?? 0}] ${line}\n`);
      const m = /"url":"(http:[^"]+)"/.exec(line);
      if (m) urlResolve(m[1]!);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let killedByTest = false;
  const exited = new Promise<number | null>((r) =>
    child.on('exit', (code) => {
      // An exit nobody asked for: show why (the test will usually only see a timeout).
      if (!killedByTest && code !== 0) {
        process.stderr.write(
          `[${options.name} ${options.taskId ?? 0}] exited with ${code}; last lines:\n${logs.slice(-15).join('\n')}\n`,
        );
      }
      r(code);
    }),
  );
  return {
    child,
    logs,
    configFile,
    exited,
    url: () => urlPromise,
    setTargetState: write,
    kill: (signal = 'SIGTERM') => {
      killedByTest = true;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

/** Waits until `predicate` holds, polling every 200 ms. */
export async function waitFor(
  what: string,
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export interface Received {
  topic: string;
  key: string;
  value: string;
  timestamp: string;
  partition: number;
  offset: string;
  /** Wall-clock ms when this reader got the record. */
  receivedAt: number;
}

/** Follows topics from the beginning and collects every record (read_committed by default). */
export async function collect(
  kafka: Kafka,
  topics: string[] | RegExp,
  readCommitted = true,
): Promise<{ records: Received[]; stop(): Promise<void> }> {
  const consumer: Consumer = kafka.consumer({
    groupId: uniqueName('sw-reader'),
    readUncommitted: !readCommitted,
    maxWaitTimeInMs: 100,
  });
  const records: Received[] = [];
  if (Array.isArray(topics)) {
    const admin = kafka.admin();
    await admin.connect();
    await waitFor(`topics ${topics.join(', ')}`, async () => {
      const have = new Set(await admin.listTopics());
      return topics.every((t) => have.has(t));
    });
    await admin.disconnect();
  }
  await consumer.connect();
  await consumer.subscribe({ topics: Array.isArray(topics) ? topics : [topics], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      records.push({
        topic,
        partition,
        offset: message.offset,
        key: message.key?.toString() ?? '',
        value: message.value?.toString() ?? '',
        timestamp: message.timestamp,
        receivedAt: Date.now(),
      });
    },
  });
  return { records, stop: () => consumer.disconnect() };
}

/** Topic and internal topic names unique to one test. */
export function names(prefix: string): { name: string; offsetsTopic: string; statusTopic: string } {
  const name = uniqueName(prefix);
  return { name, offsetsTopic: `${name}-offsets`, statusTopic: `${name}-status` };
}

/** Reads the whole status topic: the latest value per key. */
export async function readStatus(kafka: Kafka, topic: string): Promise<Map<string, string>> {
  const seen = await collect(kafka, [topic], true);
  await new Promise((r) => setTimeout(r, 1500));
  await seen.stop();
  return new Map(seen.records.map((r) => [r.key, r.value]));
}

/** Rows in json_kaiwudb records as `table|ts|id` identities (INT8 read as digit strings). */
export function rowIds(records: Received[]): string[] {
  const ids: string[] = [];
  for (const r of records) {
    const msg = JSON.parse(r.value.replace(/([:[,])(-?\d{16,})(?=[,}\]])/g, '$1"$2"')) as {
      table: string;
      data: Array<Record<string, unknown>>;
    };
    for (const row of msg.data) ids.push(`${msg.table}|${String(row['ts'])}|${String(row['id'])}`);
  }
  return ids;
}

export function duplicates(ids: string[]): string[] {
  const seen = new Set<string>();
  const dups: string[] = [];
  for (const id of ids) {
    if (seen.has(id)) dups.push(id);
    seen.add(id);
  }
  return dups;
}

/**
 * What one test file starts, released in its afterAll: workers killed (SIGKILL), then everything
 * registered with `onRelease` closed, newest first (a client before its database is dropped).
 */
export class TestResources {
  private readonly workers: WorkerHandle[] = [];
  private readonly closers: Array<() => Promise<unknown>> = [];

  startWorker(options: WorkerOptions): WorkerHandle {
    const worker = startWorker(options);
    this.workers.push(worker);
    return worker;
  }

  onRelease(close: () => Promise<unknown>): void {
    this.closers.push(close);
  }

  /** A fresh database and a client on it, both released. */
  async database(prefix: string): Promise<{ db: TestDatabase; client: KwdbClient }> {
    const db = await freshDatabase(prefix);
    this.onRelease(() => db.drop());
    const client = await connect(db.url);
    this.onRelease(() => client.close());
    return { db, client };
  }

  async release(): Promise<void> {
    for (const w of this.workers) w.kill('SIGKILL');
    for (const close of this.closers.reverse()) await close();
  }
}
