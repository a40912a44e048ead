// The guide's flow, step by step, against a running config-api, Kafka and PostgreSQL: used by the
// one-command demo (scripts/demo.sh -> dist/apps/config-api/demo.js) and by the end-to-end test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import pg from 'pg';
import { decode } from '@kwdb-connect/formats';
import { KwdbClient } from '@kwdb-connect/kwdb-client';
import { ensureTopic } from '@kwdb-connect/runtime';

export const SINK_TOPIC = 'kw-tsdb-ts_json_kaiwudb_tb';
export const SOURCE_TOPIC = 'kw-benchmark-cpu_kaiwudb_tb';

/** The guide's INSERT (source "Testing and Verification" step 2), connected to database benchmark. */
export const GUIDE_INSERT =
  'INSERT INTO cpu_kaiwudb_tb (k_timestamp, usage_user, usage_system, usage_idle, usage_nice, usage_iowait, ' +
  'usage_irq, usage_softirq, usage_steal, usage_guest, usage_guest_nice, id, hostname, region, datacenter) ' +
  "VALUES ('2024-01-22 22:22:22.224',1,2,3,4,5,6,7,8,9,10,647470401348904608,'locahost','beijing','center')";

/** The record the guide shows on the source topic: it also defines the source table. */
export const GUIDE_SOURCE_RECORD =
  '{"table":"cpu_kaiwudb_tb","columns":[{"name":"k_timestamp","type":"TIMESTAMP","length":64},{"name":"usage_user","type":"INT8","length":64},{"name":"usage_system","type":"INT8","length":64},{"name":"usage_idle","type":"INT8","length":64},{"name":"usage_nice","type":"INT8","length":64},{"name":"usage_iowait","type":"INT8","length":64},{"name":"usage_irq","type":"INT8","length":64},{"name":"usage_softirq","type":"INT8","length":64},{"name":"usage_steal","type":"INT8","length":64},{"name":"usage_guest","type":"INT8","length":64},{"name":"usage_guest_nice","type":"INT8","length":64}],"data":[{"k_timestamp":1705962142224,"usage_user":1,"usage_system":2,"usage_idle":3,"usage_nice":4,"usage_iowait":5,"usage_irq":6,"usage_softirq":7,"usage_steal":8,"usage_guest":9,"usage_guest_nice":10,"id":647470401348904608,"hostname":"locahost","region":"beijing","datacenter":"center","rack":null,"os":null,"arch":null,"team":null,"service":null,"service_version":null,"service_environment":null}],"tags":[{"name":"id","type":"INT8","length":64,"isPrimary":true,"nullable":false},{"name":"hostname","type":"VARCHAR","length":254,"isPrimary":false,"nullable":false},{"name":"region","type":"VARCHAR","length":254,"isPrimary":false,"nullable":false},{"name":"datacenter","type":"VARCHAR","length":254,"isPrimary":false,"nullable":false},{"name":"rack","type":"VARCHAR","length":254,"isPrimary":false,"nullable":true},{"name":"os","type":"VARCHAR","length":254,"isPrimary":false,"nullable":true},{"name":"arch","type":"VARCHAR","length":254,"isPrimary":false,"nullable":true},{"name":"team","type":"VARCHAR","length":254,"isPrimary":false,"nullable":true},{"name":"service","type":"VARCHAR","length":254,"isPrimary":false,"nullable":true},{"name":"service_version","type":"VARCHAR","length":254,"isPrimary":false,"nullable":true},{"name":"service_environment","type":"VARCHAR","length":254,"isPrimary":false,"nullable":true}]}';

export interface FlowEnv {
  apiUrl: string;
  brokers: string[];
  /** postgres://user@host:port (no database); databases tsdb and benchmark are used under it. */
  postgresUrl: string;
  examplesDir: string;
  log: (line: string) => void;
}

export function databaseUrl(postgresUrl: string, database: string): string {
  const url = new URL(postgresUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** CREATE DATABASE if missing (the guide's prerequisite "Create the target KWDB database"). */
export async function ensureDatabase(postgresUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl(postgresUrl, 'postgres') });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

export async function http(
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const init: RequestInit = { method, headers: { 'Content-Type': 'application/json' } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(url, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, body: parsed };
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export function kafkaOf(brokers: string[]): Kafka {
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
  return new Kafka({ clientId: 'kwdb-connect-demo', brokers, logLevel: logLevel.NOTHING });
}

/** The guide's sink step 1: the topic with 5 partitions. */
export async function createSinkTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopic(admin, topic, { compacted: false, partitions: 5 });
  } finally {
    await admin.disconnect();
  }
}

/** The guide's sample data, produced line by line (what kafka-console-producer does). */
export async function produceSampleData(kafka: Kafka, topic: string, dataFile: string): Promise<number> {
  const lines = readFileSync(dataFile, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: lines.map((value) => ({ value })) });
  } finally {
    await producer.disconnect();
  }
  return lines.length;
}

/** `SELECT * FROM ts_json_kaiwudb_tb` in database tsdb, ordered by time; [] until the table exists. */
export async function sinkRows(
  postgresUrl: string,
  database = 'tsdb',
  table = 'ts_json_kaiwudb_tb',
): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: databaseUrl(postgresUrl, database) });
  await client.connect();
  try {
    const exists = await client.query('SELECT to_regclass($1) AS t', [table]);
    if (exists.rows[0]?.t === null) return [];
    const result = await client.query(`SELECT * FROM "${table}" ORDER BY 1`);
    return result.rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/** Creates benchmark.cpu_kaiwudb_tb with the columns and tags of the guide's source record. */
export async function createSourceTable(postgresUrl: string, database = 'benchmark'): Promise<void> {
  const decoded = decode('json_kaiwudb', GUIDE_SOURCE_RECORD, { precision: 'ms' });
  const batch = decoded.batches[0];
  if (batch === undefined)
    throw new Error(`cannot decode the guide's source record: ${JSON.stringify(decoded.errors)}`);
  const client = await KwdbClient.connect({ url: databaseUrl(postgresUrl, database), database });
  try {
    await client.ensureTable(batch);
  } finally {
    await client.close();
  }
}

export async function insertGuideRow(postgresUrl: string, database = 'benchmark'): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl(postgresUrl, database) });
  await client.connect();
  try {
    await client.query("SET TIME ZONE 'UTC'");
    await client.query(GUIDE_INSERT);
  } finally {
    await client.end();
  }
}

/** Reads the topic from the beginning until `match` accepts a record value; returns it. */
export async function firstRecord(
  kafka: Kafka,
  topic: string,
  match: (value: string) => boolean,
  timeoutMs = 60_000,
): Promise<string> {
  const consumer: Consumer = kafka.consumer({ groupId: `kwdb-connect-demo-${Date.now()}-${Math.random()}` });
  await consumer.connect();
  try {
    await waitFor(
      async () => {
        const admin = kafka.admin();
        await admin.connect();
        try {
          return (await admin.listTopics()).includes(topic) ? true : undefined;
        } finally {
          await admin.disconnect();
        }
      },
      `topic ${topic}`,
      timeoutMs,
    );
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let found: string | undefined;
    await consumer.run({
      eachMessage: async ({ message }) => {
        const value = message.value?.toString('utf8');
        if (found === undefined && value !== undefined && match(value)) found = value;
      },
    });
    return await waitFor(async () => found, `a record on ${topic}`, timeoutMs);
  } finally {
    await consumer.disconnect();
  }
}

export function readExample(examplesDir: string, file: string): unknown {
  return JSON.parse(readFileSync(join(examplesDir, file), 'utf8'));
}

/**
 * Makes a re-run start from scratch: drops the demo's databases, deletes its topics (the guide's
 * two topics and the demo's status and offsets topics) and the sink's consumer group.
 */
export async function resetDemoState(
  kafka: Kafka,
  postgresUrl: string,
  topics: readonly string[],
  groups: readonly string[],
): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl(postgresUrl, 'postgres') });
  await client.connect();
  try {
    for (const db of ['tsdb', 'benchmark'])
      await client.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const doomed = topics.filter((t) => existing.has(t));
    if (doomed.length > 0) await admin.deleteTopics({ topics: doomed });
    await admin.deleteGroups([...groups]).catch(() => undefined);
    await waitFor(
      async () => {
        const left = new Set(await admin.listTopics());
        return doomed.every((t) => !left.has(t)) ? true : undefined;
      },
      'the demo topics to be deleted',
      30_000,
    );
  } finally {
    await admin.disconnect();
  }
}
