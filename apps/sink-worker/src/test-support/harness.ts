// Integration test helpers: run the BUILT worker (dist/apps/sink-worker/main.js) as a child process
// exactly as the supervisor would (environment + worker config file), and look at Kafka and
// PostgreSQL directly. Only the integration tests import this file.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Kafka, logLevel, type Admin, type Message } from 'kafkajs';
import pg from 'pg';
import { ensureTopic, workerNodeArgs } from '@kwdb-connect/runtime';
import { loadTestEnv, uniqueName, type TestEnv } from '@kwdb-connect/testing';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';

/** The workspace root: the nearest folder above this file holding nx.json (works from src/ and from dist/). */
function workspaceRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'nx.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
export const ROOT = workspaceRoot();
export const WORKER_JS = join(ROOT, 'dist', 'apps', 'sink-worker', 'main.js');
export const SINK_CLASS = 'com.kaiwudb.kafka.connect.sink.KwdbSinkConnector';

export function testEnv(): TestEnv {
  const env = loadTestEnv('kafka', 'postgres');
  if (!existsSync(WORKER_JS)) {
    throw new Error(
      `${WORKER_JS} is missing: run \`node tools/scripts/build-app.mjs apps/sink-worker\` first`,
    );
  }
  return env;
}

export function kafkaClient(env: TestEnv): Kafka {
  return new Kafka({
    clientId: uniqueName('sink-test'),
    brokers: env.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
}

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface WorkerHandle {
  child: ChildProcess;
  logs: LogLine[];
  /** Every stdout/stderr line as text (for the "no password anywhere" checks). */
  raw: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited: boolean;
  /** The metrics/health URL, once the worker logged it. */
  url(): Promise<string>;
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  kill(signal: NodeJS.Signals): void;
}

const running = new Set<WorkerHandle>();

export interface WorkerOptions {
  name: string;
  config: Record<string, unknown>;
  targetState?: 'RUNNING' | 'PAUSED';
  taskId?: number;
  statusTopic: string;
  brokers: string[];
  dir?: string;
  password?: string;
  env?: Record<string, string>;
  /** Extra node flags after workerNodeArgs() (the benchmark's --trace-gc / --cpu-prof experiments). */
  nodeArgs?: string[];
}

/** Writes the worker config file atomically (temp file + rename), as the supervisor does. */
export function writeWorkerFile(
  path: string,
  name: string,
  config: Record<string, unknown>,
  targetState: string,
): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify({ name, config, targetState }));
  renameSync(tmp, path);
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `${prefix}-`));
}

export function startWorker(options: WorkerOptions): WorkerHandle & { configFile: string } {
  const dir = options.dir ?? tempDir('sink-worker');
  const configFile = join(dir, `worker-${options.taskId ?? 0}.json`);
  writeWorkerFile(configFile, options.name, options.config, options.targetState ?? 'RUNNING');
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    KAFKA_BOOTSTRAP_SERVERS: options.brokers.join(','),
    KWDB_CONNECT_CONFIG_FILE: configFile,
    KWDB_CONNECT_TASK_ID: String(options.taskId ?? 0),
    KWDB_CONNECT_WORKER_ID: `test-worker-${options.taskId ?? 0}`,
    KWDB_CONNECT_HTTP_HOST: '127.0.0.1',
    KWDB_CONNECT_HTTP_PORT: '0',
    KWDB_CONNECT_STATUS_TOPIC: options.statusTopic,
    KWDB_CONNECT_LOG_LEVEL: 'info',
    ...(options.password !== undefined ? { KWDB_CONNECT_PASSWORD: options.password } : {}),
    ...options.env,
  };
  // The flags the supervisor runs workers with; later flags (options.nodeArgs) override them.
  const child = spawn(process.execPath, [...workerNodeArgs('sink'), ...(options.nodeArgs ?? []), WORKER_JS], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const raw: string[] = [];
  const waiters = new Set<() => void>();
  const onLine = (line: string): void => {
    if (line.trim() === '') return;
    raw.push(line);
    try {
      logs.push(JSON.parse(line) as LogLine);
    } catch {
      logs.push({ level: 'raw', msg: line });
    }
    for (const w of waiters) w();
  };
  for (const stream of [child.stdout!, child.stderr!]) {
    let buffer = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        onLine(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
      }
    });
  }
  const handle: WorkerHandle & { configFile: string } = {
    child,
    logs,
    raw,
    configFile,
    exited: false,
    exit: new Promise((resolveExit) => {
      child.on('exit', (code, signal) => {
        handle.exited = true;
        running.delete(handle);
        for (const w of waiters) w();
        resolveExit({ code, signal });
      });
    }),
    waitForLog(predicate, timeoutMs = 30_000) {
      return new Promise((resolveLog, reject) => {
        const check = (): void => {
          const found = logs.find(predicate);
          if (found) {
            cleanup();
            resolveLog(found);
          } else if (handle.exited) {
            cleanup();
            reject(
              new Error(
                `worker exited before the expected log line; last lines:\n${raw.slice(-15).join('\n')}`,
              ),
            );
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for a log line; last lines:\n${raw.slice(-15).join('\n')}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async url() {
      const line = await handle.waitForLog((l) => typeof l['url'] === 'string');
      return line['url'] as string;
    },
    kill(signal) {
      if (!handle.exited) child.kill(signal);
    },
  };
  running.add(handle);
  return handle;
}

/** Kills every worker still running (afterAll). */
export async function killAllWorkers(): Promise<void> {
  const all = [...running];
  for (const w of all) w.kill('SIGKILL');
  await Promise.all(all.map((w) => w.exit));
}

export async function createTopic(admin: Admin, topic: string, partitions: number): Promise<void> {
  await ensureTopic(admin, topic, { compacted: false, partitions, replicationFactor: 1 });
}

export async function produce(kafka: Kafka, topic: string, messages: Message[], chunk = 500): Promise<void> {
  // Idempotent: a retried send must not write its records twice (tests count records).
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += chunk) {
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + chunk) });
    }
  } finally {
    await producer.disconnect();
  }
}

export interface ReadMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/** Every message of a topic, read from the beginning up to the current end. */
export async function readTopic(kafka: Kafka, topic: string, timeoutMs = 20_000): Promise<ReadMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map(ends.filter((e) => e.high !== e.low).map((e) => [e.partition, BigInt(e.high)]));
  const out: ReadMessage[] = [];
  if (remaining.size === 0) return out;
  const consumer = kafka.consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolveRead, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out reading ${topic}`)), timeoutMs);
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        out.push({
          partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? null,
          value: message.value?.toString('utf8') ?? null,
          headers,
        });
        if (BigInt(message.offset) + 1n >= (remaining.get(partition) ?? 0n)) remaining.delete(partition);
        if (remaining.size === 0) {
          clearTimeout(timer);
          resolveRead();
        }
      },
    });
  });
  await consumer.disconnect();
  return out;
}

/** The latest status value of a task, from the status topic. */
export async function taskStatus(
  kafka: Kafka,
  statusTopic: string,
  connector: string,
  taskId = 0,
): Promise<{ state: string; trace: string | null; worker_id: string } | undefined> {
  const key = `status-task-${connector}-${taskId}`;
  const messages = await readTopic(kafka, statusTopic);
  const mine = messages.filter((m) => m.key === key && m.value !== null);
  const last = mine[mine.length - 1];
  return last
    ? (JSON.parse(last.value!) as { state: string; trace: string | null; worker_id: string })
    : undefined;
}

/** Every state this task published, in order. */
export async function taskStates(
  kafka: Kafka,
  statusTopic: string,
  connector: string,
  taskId = 0,
): Promise<string[]> {
  const key = `status-task-${connector}-${taskId}`;
  const messages = await readTopic(kafka, statusTopic);
  return messages
    .filter((m) => m.key === key && m.value !== null)
    .map((m) => (JSON.parse(m.value!) as { state: string }).state);
}

/** Committed offsets of the connector's consumer group, per partition (-1: none). */
export async function committedOffsets(
  admin: Admin,
  connector: string,
  topic: string,
): Promise<Map<number, string>> {
  const [entry] = await admin.fetchOffsets({ groupId: `connect-${connector}`, topics: [topic] });
  return new Map((entry?.partitions ?? []).map((p) => [p.partition, p.offset]));
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A fresh database on the test PostgreSQL (table names of the guide's samples stay unique per test). */
export async function freshDatabase(
  env: TestEnv,
  prefix: string,
): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = uniqueName(prefix).replace(/-/g, '_');
  await withPg(env.postgres.url, (c) => c.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: `postgres://${env.postgres.user}@${env.postgres.host}:${env.postgres.port}/${name}`,
    drop: () =>
      withPg(env.postgres.url, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

export async function withPg<T>(url: string, action: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

/** The sink config the tests start from (the guide's sink file, pointed at the test database). */
export function sinkConfig(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    'connector.class': SINK_CLASS,
    'tasks.max': '1',
    'connection.user': 'postgres',
    'connection.attempts': 3,
    'connection.backoff.ms': 500,
    'max.retries': 3,
    'retry.backoff.ms': 300,
    'batch.size': 1000,
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    ...overrides,
  };
}

export async function metricsText(worker: WorkerHandle): Promise<string> {
  const res = await fetch(`${await worker.url()}/metrics`);
  return res.text();
}

/** The sum of a metric's samples whose labels contain every given label. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labelText = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) sum += Number(m[3]);
  }
  return sum;
}
