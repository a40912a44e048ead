// The guide's sink and source flows as the chart's end-to-end test drives them: Kafka topics and
// records, PostgreSQL databases and rows, and HTTP calls to the REST API behind the ingress.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { decode } from '@kwdb-connect/formats';
import { KwdbClient } from '@kwdb-connect/kwdb-client';
import { REPO_ROOT } from './chart';

export const EXAMPLES = join(REPO_ROOT, 'examples');

/** The guide's INSERT (source "Testing and Verification" step 2). */
export const GUIDE_INSERT =
  'INSERT INTO cpu_kaiwudb_tb (k_timestamp, usage_user, usage_system, usage_idle, usage_nice, usage_iowait, ' +
  'usage_irq, usage_softirq, usage_steal, usage_guest, usage_guest_nice, id, hostname, region, datacenter) ' +
  "VALUES ('2024-01-22 22:22:22.224',1,2,3,4,5,6,7,8,9,10,647470401348904608,'locahost','beijing','center')";

/** The record the guide shows on the source topic (verbatim); it also defines the source table. */
export const GUIDE_SOURCE_RECORD = readFileSync(
  join(EXAMPLES, 'kw-json-kaiwudb-source-record.txt'),
  'utf8',
).trim();

/** The c3 (INT8) values of the guide's five sample rows, in time order: above 2^53, exact. */
export const GUIDE_SINK_C3 = [
  '2535208944865431245',
  '6422208944865124578',
  '1542408944865124535',
  '1245658944865439256',
  '5625658944865439256',
];

export function example(file: string): { name: string; config: Record<string, unknown> } {
  return JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as {
    name: string;
    config: Record<string, unknown>;
  };
}

/** The guide's sample data (one JSON message), with every timestamp's leading digits replaced. */
export function guideData(timestampPrefix = '169'): string {
  return readFileSync(join(EXAMPLES, 'kw-json-kaiwudb-data.txt'), 'utf8')
    .trim()
    .replace(/"ts":169/g, `"ts":${timestampPrefix}`);
}

export function kafkaOf(brokers: string[]): Kafka {
  return new Kafka({ clientId: 'kwdb-connect-chart-e2e', brokers, logLevel: logLevel.NOTHING });
}

export async function createTopic(kafka: Kafka, topic: string, partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions }] });
  } finally {
    await admin.disconnect();
  }
}

export async function produce(kafka: Kafka, topic: string, value: string): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ value }] });
  } finally {
    await producer.disconnect();
  }
}

/** Reads the topic from the beginning until a record value contains `needle`. */
export async function recordContaining(
  kafka: Kafka,
  topic: string,
  needle: string,
  timeoutMs: number,
): Promise<string> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    // The source worker creates its topic with its first record: wait for it (and its leaders).
    await eventually(
      async () =>
        (await admin.fetchTopicMetadata({ topics: [topic] })).topics.length === 1 ? true : undefined,
      `topic ${topic}`,
      timeoutMs,
    );
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({ groupId: `chart-e2e-${Date.now()}-${Math.random()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let found: string | undefined;
    await consumer.run({
      eachMessage: async ({ message }) => {
        const value = message.value?.toString('utf8');
        if (found === undefined && value?.includes(needle)) found = value;
      },
    });
    return await eventually(async () => found, `a record containing ${needle} on ${topic}`, timeoutMs);
  } finally {
    await consumer.disconnect();
  }
}

export function databaseUrl(postgresUrl: string, database: string): string {
  const url = new URL(postgresUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function createDatabase(postgresUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl(postgresUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
}

/** c3 of every row of the sink's table, in time order, as text (exact INT8); [] until the table exists. */
export async function sinkC3(postgresUrl: string, database: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl(postgresUrl, database) });
  await client.connect();
  try {
    const exists = await client.query("SELECT to_regclass('ts_json_kaiwudb_tb') AS t");
    if (exists.rows[0]?.t === null) return [];
    const result = await client.query('SELECT c3::text AS c3 FROM ts_json_kaiwudb_tb ORDER BY ts');
    return result.rows.map((r: { c3: string }) => r.c3);
  } finally {
    await client.end();
  }
}

/** The source table, with the columns and tags of the guide's source record. */
export async function createSourceTable(postgresUrl: string, database: string): Promise<void> {
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

/** The guide's INSERT into the source table. */
export async function insertGuideRow(postgresUrl: string, database: string): Promise<void> {
  const insert = new pg.Client({ connectionString: databaseUrl(postgresUrl, database) });
  await insert.connect();
  try {
    await insert.query("SET TIME ZONE 'UTC'");
    await insert.query(GUIDE_INSERT);
  } finally {
    await insert.end();
  }
}

export interface HttpResult {
  status: number;
  body: unknown;
}

export async function http(method: string, url: string, body?: unknown): Promise<HttpResult> {
  const init: RequestInit = { method, headers: { 'Content-Type': 'application/json' } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(url, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed };
}

/** Polls `probe` every 500 ms until it returns a value; throws naming `what` after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
