// Issue 5 point 6 (1): the guide's sink flow for each of the four formats, with the guide's own
// sample data (src/testdata/, one Kafka record per line as kafka-console-producer sends them),
// through the BUILT worker into the real PostgreSQL. Every value is checked exactly, INT8 values
// above 2^53 included.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KwdbClient } from '@kwdb-connect/kwdb-client';
import { uniqueName } from '@kwdb-connect/testing';
import type { Kafka } from 'kafkajs';
import {
  createTopic,
  freshDatabase,
  kafkaClient,
  killAllWorkers,
  metricsText,
  metricValue,
  produce,
  sinkConfig,
  startWorker,
  taskStatus,
  testEnv,
  waitFor,
  withPg,
  type WorkerHandle,
} from './test-support/harness';

const env = testEnv();
const FORMATS = ['json_kaiwudb', 'json_opentsdb', 'line_opentsdb', 'line_influxdb'] as const;
type Format = (typeof FORMATS)[number];
const PRECISION: Record<Format, string> = {
  json_kaiwudb: 'ms',
  json_opentsdb: 'ms',
  line_opentsdb: 'ms',
  line_influxdb: 'ns',
};
const PASSWORD = 'S3cret-pw-never-logged';

interface Run {
  db: { name: string; url: string; drop(): Promise<void> };
  topic: string;
  connector: string;
  worker: WorkerHandle;
}

let kafka: Kafka;
const statusTopic = uniqueName('sink-status');
const runs = new Map<Format, Run>();

function sampleLines(format: Format): string[] {
  const text = readFileSync(join(import.meta.dirname, 'testdata', `${format}.txt`), 'utf8');
  return text.split('\n').filter((line) => line.trim() !== '');
}

/** line_influxdb cannot create tables: the table exists beforehand, with the real types of the guide's columns. */
async function createInfluxTable(url: string, database: string): Promise<void> {
  const client = await KwdbClient.connect({ url, database, attempts: 1 });
  try {
    await client.ensureTable({
      table: 'ts_line_influxdb_tb',
      columns: [
        { name: 'ts', type: 'TIMESTAMPTZ' },
        { name: 'c1', type: 'INT2' },
        { name: 'c2', type: 'INT4' },
        { name: 'c3', type: 'INT8' },
        { name: 'c4', type: 'FLOAT4' },
        { name: 'c5', type: 'FLOAT8' },
        { name: 'c6', type: 'BOOL' },
        { name: 'c7', type: 'VARBYTES', length: 64 },
        { name: 'c8', type: 'VARBYTES', length: 64 },
        { name: 'c9', type: 'CHAR', length: 1 },
        { name: 'c10', type: 'NCHAR', length: 1 },
        { name: 'c11', type: 'VARCHAR', length: 64 },
        { name: 'c12', type: 'NVARCHAR', length: 64 },
        { name: 'c13', type: 'TIMESTAMP' },
      ],
      tags: [{ name: 'tag_name', type: 'VARCHAR', length: 64, primary: true, nullable: false }],
      rows: [],
      precision: 'ns',
      canCreateTable: true,
    });
  } finally {
    await client.close();
  }
}

/**
 * The Kafka records of a format's sample, exactly as kafka-console-producer sends them: one record
 * per line, in order, all to one partition (its sticky partitioner), so later lines override
 * earlier ones in order. line_opentsdb: 8 records of one point each; record 1 creates
 * ts_line_opentsdb_tb with c1, record 2 adds c2, and c1 and c2 of a timestamp share one row.
 */
function sampleMessages(format: Format): { value: string; partition: number }[] {
  return sampleLines(format).map((value) => ({ value, partition: 0 }));
}

async function rows(format: Format, sql: string): Promise<Record<string, unknown>[]> {
  const run = runs.get(format)!;
  return withPg(run.db.url, async (c) => {
    await c.query(`SET TIME ZONE 'UTC'`);
    return (await c.query(sql)).rows as Record<string, unknown>[];
  });
}

async function count(format: Format, table: string): Promise<number> {
  const r = await rows(format, `SELECT count(*)::int AS n FROM "${table}"`);
  return r[0]!['n'] as number;
}

beforeAll(async () => {
  kafka = kafkaClient(env);
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const format of FORMATS) {
      const db = await freshDatabase(env, `sink_${format}`);
      if (format === 'line_influxdb') await createInfluxTable(db.url, db.name);
      // The guide's topic: 5 partitions (tasks.max 5); one worker claims all of them here.
      const topic = uniqueName(`kw-tsdb-${format.replace(/_/g, '-')}`);
      await createTopic(admin, topic, 5);
      await produce(kafka, topic, sampleMessages(format));
      const connector = uniqueName(`sink-${format.replace(/_/g, '-')}`);
      const worker = startWorker({
        name: connector,
        statusTopic,
        brokers: env.kafka.brokers,
        password: PASSWORD,
        config: sinkConfig({
          topics: topic,
          'connection.url': `postgres://${env.postgres.host}:${env.postgres.port}`,
          'connection.database': db.name,
          'protocol.type': format,
          'timestamp.precision': PRECISION[format],
        }),
      });
      runs.set(format, { db, topic, connector, worker });
    }
  } finally {
    await admin.disconnect();
  }
}, 120_000);

afterAll(async () => {
  await killAllWorkers();
  for (const run of runs.values()) await run.db.drop().catch(() => undefined);
});

describe('guide sink flow, one worker per format', () => {
  it('json_kaiwudb: creates ts_json_kaiwudb_tb and stores the 5 rows exactly, INT8 above 2^53 included', async () => {
    await waitFor(
      '5 rows',
      async () => (await count('json_kaiwudb', 'ts_json_kaiwudb_tb').catch(() => 0)) === 5,
    );
    const got = await rows(
      'json_kaiwudb',
      `SELECT (extract(epoch FROM ts) * 1000)::bigint::text AS ts, c1, c2, c3::text AS c3, c4, c5, c6, location, temperature
       FROM ts_json_kaiwudb_tb ORDER BY ts`,
    );
    expect(got).toEqual([
      {
        ts: '1690855924005',
        c1: 11,
        c2: 21,
        c3: '2535208944865431245',
        c4: 6.14545,
        c5: 5.15656,
        c6: true,
        location: 'tianjin',
        temperature: 35.5,
      },
      {
        ts: '1691853703011',
        c1: 12,
        c2: 22,
        c3: '6422208944865124578',
        c4: 1.01635,
        c5: 0.53533,
        c6: false,
        location: 'tianjin',
        temperature: 35.5,
      },
      {
        ts: '1692065524004',
        c1: 13,
        c2: 23,
        c3: '1542408944865124535',
        c4: 3.25456,
        c5: 2.56356,
        c6: true,
        location: 'tianjin',
        temperature: 35.5,
      },
      {
        ts: '1692199303011',
        c1: 14,
        c2: 24,
        c3: '1245658944865439256',
        c4: 2.72652,
        c5: 5.83533,
        c6: false,
        location: 'tianjin',
        temperature: 35.5,
      },
      {
        ts: '1692285703011',
        c1: 15,
        c2: 25,
        c3: '5625658944865439256',
        c4: 5.71635,
        c5: 1.26562,
        c6: false,
        location: 'tianjin',
        temperature: 35.5,
      },
    ]);
  });

  it('json_opentsdb: creates ts_json_opentsdb_tb with VARCHAR values and the 4 points', async () => {
    const run = runs.get('json_opentsdb')!;
    expect(sampleMessages('json_opentsdb')).toHaveLength(1); // the guide's message is one line
    await waitFor(
      'the record consumed',
      async () => metricValue(await metricsText(run.worker), 'kwdb_connect_records_consumed_total') === 1,
    );
    await waitFor(
      '4 rows',
      async () => (await count('json_opentsdb', 'ts_json_opentsdb_tb').catch(() => 0)) === 4,
    );
    const got = await rows(
      'json_opentsdb',
      `SELECT (extract(epoch FROM "timestamp") * 1000)::bigint::text AS ts, c1, c2, tag_name
       FROM ts_json_opentsdb_tb ORDER BY "timestamp"`,
    );
    expect(got).toEqual([
      { ts: '1648432611249', c1: '10.3', c2: null, tag_name: 'tag_value' },
      { ts: '1648432611250', c1: null, c2: '218', tag_name: 'tag_value' },
      { ts: '1648432611339', c1: null, c2: '219', tag_name: 'tag_value' },
      { ts: '1648432611340', c1: '12.6', c2: null, tag_name: 'tag_value' },
    ]);
    expect(metricValue(await metricsText(run.worker), 'kwdb_connect_errors_total')).toBe(0);
  });

  it('line_opentsdb: the 8 records (one line each) become 2 rows of ts_line_opentsdb_tb, c1 and c2 of a timestamp in one row, later points overriding earlier ones', async () => {
    const run = runs.get('line_opentsdb')!;
    expect(sampleMessages('line_opentsdb')).toHaveLength(8);
    await waitFor(
      'the 8 records consumed',
      async () => metricValue(await metricsText(run.worker), 'kwdb_connect_records_consumed_total') === 8,
    );
    await waitFor(
      'every record written (committed)',
      async () =>
        (
          await rows(
            'line_opentsdb',
            `SELECT count(*)::int AS n FROM ts_line_opentsdb_tb WHERE c1 = '10.8' AND c2 = '221'`,
          ).catch(() => [{ n: 0 }])
        )[0]!['n'] === 1,
    );
    await waitFor(
      '2 rows',
      async () => (await count('line_opentsdb', 'ts_line_opentsdb_tb').catch(() => 0)) === 2,
    );
    const got = await rows(
      'line_opentsdb',
      `SELECT (extract(epoch FROM "timestamp") * 1000)::bigint::text AS ts, c1, c2, tag1
       FROM ts_line_opentsdb_tb ORDER BY "timestamp"`,
    );
    expect(got).toEqual([
      { ts: '1648432611249', c1: '10.8', c2: '221', tag1: '1' },
      { ts: '1648432611250', c1: '11.3', c2: '217', tag1: '1' },
    ]);
    // No record failed (the table gained c2 after record 1 created it; nothing was a mismatch).
    expect(metricValue(await metricsText(run.worker), 'kwdb_connect_errors_total')).toBe(0);
  });

  it('line_influxdb: writes the 4 lines into the existing table, typed by its real columns', async () => {
    const run = runs.get('line_influxdb')!;
    await waitFor(
      '4 records consumed',
      async () => metricValue(await metricsText(run.worker), 'kwdb_connect_records_consumed_total') === 4,
    );
    await waitFor(
      '2 rows',
      async () => (await count('line_influxdb', 'ts_line_influxdb_tb').catch(() => 0)) === 2,
    );
    const got = await rows(
      'line_influxdb',
      `SELECT ts::text AS ts, c1, c2, c3::text AS c3, c4, c5, c6, encode(c7, 'hex') AS c7,
              encode(c8, 'hex') AS c8, c9, c10, c11, c12, c13::text AS c13, tag_name
       FROM ts_line_influxdb_tb ORDER BY ts`,
    );
    // Lines 1 and 2 (and 3 and 4) share timestamp and primary tag: the later line overrides the earlier.
    // c7/c8 are VARBYTES: "123563" is stored as its ASCII bytes, "\\x6173646666" as the bytes it spells.
    expect(got).toEqual([
      {
        ts: '1648432611249000000',
        c1: 12,
        c2: 22,
        c3: '32',
        c4: 12.8,
        c5: 0.29,
        c6: false,
        c7: '313233353633',
        c8: '323133363231',
        c9: 'b',
        c10: '2',
        c11: 'wsx',
        c12: 'yhn',
        c13: '1691755930249000000',
        tag_name: 'tag_value',
      },
      {
        ts: '1648432611250000000',
        c1: 14,
        c2: 24,
        c3: '34',
        c4: 14.8,
        c5: 0.45,
        c6: false,
        c7: '343536',
        c8: '6173646666',
        c9: 'd',
        c10: '4',
        c11: 'rfv',
        c12: 'ikl',
        c13: '1691755930250000000',
        tag_name: 'tag_value',
      },
    ]);
  });

  it('publishes RUNNING for every task, serves /healthz and /readyz, and never logs the password', async () => {
    for (const [format, run] of runs) {
      const url = await run.worker.url();
      expect({ format, healthz: (await fetch(`${url}/healthz`)).status }).toEqual({ format, healthz: 200 });
      await waitFor('ready', async () => (await fetch(`${url}/readyz`)).status === 200);
      const status = await waitFor('RUNNING', async () => {
        const s = await taskStatus(kafka, statusTopic, run.connector);
        return s?.state === 'RUNNING' ? s : undefined;
      });
      expect(status.worker_id).toBe('test-worker-0');
      expect(run.worker.raw.join('\n')).not.toContain(PASSWORD);
      expect(run.worker.logs.some((l) => l['connector'] === run.connector && l['task'] === 0)).toBe(true);
    }
  });
});
