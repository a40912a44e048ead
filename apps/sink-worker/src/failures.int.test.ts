// Issue 5 points 3 and 4 against the real Kafka and PostgreSQL, through the BUILT worker:
// a poison record under errors.tolerance=none and =all, and the SIGTERM drain.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { uniqueName } from '@kwdb-connect/testing';
import type { Admin, Kafka } from 'kafkajs';
import { jsonKaiwudbMessage } from './test-support/data';
import {
  committedOffsets,
  createTopic,
  freshDatabase,
  kafkaClient,
  killAllWorkers,
  metricsText,
  metricValue,
  produce,
  readTopic,
  sinkConfig,
  startWorker,
  taskStates,
  taskStatus,
  testEnv,
  waitFor,
  withPg,
} from './test-support/harness';

const env = testEnv();
let kafka: Kafka;
let admin: Admin;
let db: { name: string; url: string; drop(): Promise<void> };
const statusTopic = uniqueName('sink-status');
const POISON = '{"table": this is not JSON';

function config(topic: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return sinkConfig({
    topics: topic,
    'connection.url': `postgres://${env.postgres.host}:${env.postgres.port}`,
    'connection.database': db.name,
    'protocol.type': 'json_kaiwudb',
    'timestamp.precision': 'ms',
    ...extra,
  });
}

async function rowCount(table: string): Promise<number> {
  return withPg(db.url, async (c) => {
    const r = await c.query(`SELECT count(*)::int AS n FROM "${table}"`).catch(() => ({ rows: [{ n: 0 }] }));
    return r.rows[0]!.n as number;
  });
}

beforeAll(async () => {
  kafka = kafkaClient(env);
  admin = kafka.admin();
  await admin.connect();
  db = await freshDatabase(env, 'sink_failures');
}, 60_000);

afterAll(async () => {
  await killAllWorkers();
  await admin.disconnect();
  await db.drop().catch(() => undefined);
});

describe('poison record, errors.tolerance=none', () => {
  it('fails the task naming topic/partition/offset, exits 2, commits up to the poison only, and resumes from there', async () => {
    const topic = uniqueName('sink-poison-none');
    const table = uniqueName('poison_none').replace(/-/g, '_');
    const connector = uniqueName('sink-none');
    await createTopic(admin, topic, 1);
    const messages = [0, 1, 2].map((m) => ({ value: jsonKaiwudbMessage(table, m, 5) }));
    messages.push({ value: POISON });
    messages.push(...[3, 4].map((m) => ({ value: jsonKaiwudbMessage(table, m, 5) })));
    await produce(kafka, topic, messages);

    const first = startWorker({
      name: connector,
      statusTopic,
      brokers: env.kafka.brokers,
      config: config(topic),
    });
    expect((await first.exit).code).toBe(2);
    const status = await waitFor('FAILED', async () => {
      const s = await taskStatus(kafka, statusTopic, connector);
      return s?.state === 'FAILED' ? s : undefined;
    });
    expect(status.trace).toContain(`topic ${topic}, partition 0, offset 3`);
    expect(status.trace).toContain('FORMAT_INVALID_JSON');
    expect((await committedOffsets(admin, connector, topic)).get(0)).toBe('3');
    expect(await rowCount(table)).toBe(15);
    const failedLine = first.logs.find((l) => l.msg === 'task failed: record failed');
    expect(failedLine).toMatchObject({ connector, task: 0, topic, partition: 0, offset: '3' });

    // Restarted (POST .../restart): it resumes at the committed offset, i.e. at the poison again.
    const second = startWorker({
      name: connector,
      statusTopic,
      brokers: env.kafka.brokers,
      config: config(topic),
    });
    expect((await second.exit).code).toBe(2);
    expect(second.logs.find((l) => l.msg === 'task failed: record failed')).toMatchObject({ offset: '3' });
    expect((await committedOffsets(admin, connector, topic)).get(0)).toBe('3');

    // The operator skips the poison (offsets reset past it): the rest is written.
    await admin.setOffsets({
      groupId: `connect-${connector}`,
      topic,
      partitions: [{ partition: 0, offset: '4' }],
    });
    const third = startWorker({
      name: connector,
      statusTopic,
      brokers: env.kafka.brokers,
      config: config(topic),
    });
    await waitFor('25 rows', async () => (await rowCount(table)) === 25);
    await waitFor(
      'offset 6 committed',
      async () => (await committedOffsets(admin, connector, topic)).get(0) === '6',
    );
    third.kill('SIGTERM');
    expect((await third.exit).code).toBe(0);
  }, 90_000);
});

describe('poison records, errors.tolerance=all', () => {
  it('dead-letters only the bad records with __connect.errors.* headers and writes the good ones', async () => {
    const topic = uniqueName('sink-poison-all');
    const dlq = uniqueName('sink-dlq');
    const table = uniqueName('poison_all').replace(/-/g, '_');
    const connector = uniqueName('sink-all');
    await createTopic(admin, topic, 1);
    // A write-stage failure: the same table with `k` declared as VARCHAR (the table has INT8).
    const wrongType = jsonKaiwudbMessage(table, 9, 1)
      .replace('{"name":"k","type":"INT8","length":64}', '{"name":"k","type":"VARCHAR","length":64}')
      .replace('"k":9,', '"k":"nine",');
    await produce(kafka, topic, [
      { value: jsonKaiwudbMessage(table, 0, 5) },
      { key: 'poison-key', value: POISON, headers: { origin: 'test' } },
      { value: jsonKaiwudbMessage(table, 1, 5) },
    ]);
    const worker = startWorker({
      name: connector,
      statusTopic,
      brokers: env.kafka.brokers,
      config: config(topic, {
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': dlq,
        'errors.deadletterqueue.topic.replication.factor': 1,
        'errors.deadletterqueue.context.headers.enable': true,
        'errors.log.enable': true,
      }),
    });
    await waitFor('10 rows', async () => (await rowCount(table)) === 10);
    // The table exists now; the wrong-typed record fails in the write stage.
    await produce(kafka, topic, [{ value: wrongType }, { value: jsonKaiwudbMessage(table, 2, 5) }]);
    await waitFor('15 rows', async () => (await rowCount(table)) === 15);
    await waitFor(
      'offset 5 committed',
      async () => (await committedOffsets(admin, connector, topic)).get(0) === '5',
    );

    const dead = await waitFor('2 dead letters', async () => {
      const m = await readTopic(kafka, dlq);
      return m.length === 2 ? m : undefined;
    });
    expect(dead[0]).toMatchObject({ key: 'poison-key', value: POISON });
    expect(dead[0]!.headers).toMatchObject({
      origin: 'test',
      '__connect.errors.topic': topic,
      '__connect.errors.partition': '0',
      '__connect.errors.offset': '1',
      '__connect.errors.connector.name': connector,
      '__connect.errors.task.id': '0',
      '__connect.errors.stage': 'TASK_PUT',
      '__connect.errors.class.name': 'com.kaiwudb.kafka.connect.sink.KwdbSinkTask',
      '__connect.errors.exception.class.name': 'FormatError',
    });
    expect(dead[0]!.headers['__connect.errors.exception.message']).toContain('FORMAT_INVALID_JSON');
    expect(dead[0]!.headers['__connect.errors.exception.stacktrace']).toContain('FormatError');
    expect(dead[1]!.value).toBe(wrongType);
    expect(dead[1]!.headers).toMatchObject({
      '__connect.errors.offset': '3',
      '__connect.errors.exception.class.name': 'SchemaMismatchError',
    });
    expect(dead[1]!.headers['__connect.errors.exception.message']).toContain('SCHEMA_MISMATCH');

    const metrics = await metricsText(worker);
    expect(metricValue(metrics, 'kwdb_connect_dead_letter_records_total', { connector })).toBe(2);
    expect(metricValue(metrics, 'kwdb_connect_rows_written_total', { connector })).toBe(15);
    expect(
      worker.logs
        .filter((l) => l.msg === 'record failed; errors.tolerance=all skips it')
        .map((l) => l['offset']),
    ).toEqual(['1', '3']);
    expect((await taskStatus(kafka, statusTopic, connector))?.state).toBe('RUNNING');
    worker.kill('SIGTERM');
    expect((await worker.exit).code).toBe(0);
  }, 90_000);
});

describe('SIGTERM', () => {
  it('drains: exits 0 within the bound, every committed record is in the database, UNASSIGNED published', async () => {
    const topic = uniqueName('sink-drain');
    const table = uniqueName('drain').replace(/-/g, '_');
    const connector = uniqueName('sink-drain');
    await createTopic(admin, topic, 1);
    const total = 6000;
    await produce(
      kafka,
      topic,
      Array.from({ length: total }, (_, m) => ({ value: jsonKaiwudbMessage(table, m, 5) })),
      1000,
    );
    const worker = startWorker({
      name: connector,
      statusTopic,
      brokers: env.kafka.brokers,
      config: config(topic, { 'batch.size': 500 }),
    });
    await waitFor('some rows', async () => (await rowCount(table)) > 0);
    const signalled = Date.now();
    worker.kill('SIGTERM');
    const exit = await worker.exit;
    expect(exit.code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(25_000);
    const committed = Number((await committedOffsets(admin, connector, topic)).get(0));
    expect(committed).toBeGreaterThan(0);
    // Every record below the committed offset is in the database (message m holds keys 5m..5m+4).
    const below = await withPg(
      db.url,
      async (c) =>
        (await c.query(`SELECT count(*)::int AS n FROM "${table}" WHERE k < $1`, [committed * 5])).rows[0]!.n,
    );
    expect(below).toBe(committed * 5);
    expect(worker.logs.some((l) => l.msg === 'sink task stopped' && l['exitCode'] === 0)).toBe(true);
    const states = await taskStates(kafka, statusTopic, connector);
    expect(states[0]).toBe('RUNNING');
    expect(states[states.length - 1]).toBe('UNASSIGNED');
  }, 90_000);
});

describe('a value KWDB would refuse (issue 11), errors.tolerance=all', () => {
  it('dead-letters only the record with a FLOAT4 KWDB refuses; the rows written with it in one batch land', async () => {
    const topic = uniqueName('sink-float4');
    const dlq = uniqueName('sink-float4-dlq');
    const table = uniqueName('float4_range').replace(/-/g, '_');
    const connector = uniqueName('sink-float4');
    await createTopic(admin, topic, 1);
    // KWDB's insert_direct.go convertFloat refuses a non-zero FLOAT4 below 2^-149 (22003), which
    // would fail a whole multi-row INSERT; kwdb-client refuses it for the one record, both dialects.
    const message = (m: number, f4: string): string =>
      `{"table":"${table}","columns":[{"name":"ts","type":"TIMESTAMPTZ"},{"name":"f4","type":"FLOAT4"}],` +
      `"tags":[{"name":"dev","type":"VARCHAR","length":8,"primary":true,"nullable":false}],` +
      `"data":[{"ts":${1_700_000_000_000 + m},"f4":${f4},"dev":"d"}]}`;
    // One produce call: the three records reach the worker in one fetch and are written together.
    await produce(kafka, topic, [
      { value: message(0, '1.5') },
      { value: message(1, '1e-45') },
      { value: message(2, '1.401298464324817e-45') },
    ]);
    const worker = startWorker({
      name: connector,
      statusTopic,
      brokers: env.kafka.brokers,
      config: config(topic, {
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': dlq,
        'errors.deadletterqueue.topic.replication.factor': 1,
        'errors.deadletterqueue.context.headers.enable': true,
      }),
    });
    await waitFor(
      'offset 3 committed',
      async () => (await committedOffsets(admin, connector, topic)).get(0) === '3',
    );
    expect(await rowCount(table)).toBe(2);
    const dead = await waitFor('1 dead letter', async () => {
      const m = await readTopic(kafka, dlq);
      return m.length === 1 ? m : undefined;
    });
    expect(dead[0]!.value).toBe(message(1, '1e-45'));
    expect(dead[0]!.headers).toMatchObject({
      '__connect.errors.topic': topic,
      '__connect.errors.partition': '0',
      '__connect.errors.offset': '1',
      '__connect.errors.exception.class.name': 'ValueError',
    });
    expect(dead[0]!.headers['__connect.errors.exception.message']).toMatch(
      new RegExp(`VALUE_OUT_OF_RANGE.*table "${table}", column "f4": 1e-45 is outside FLOAT4 range`),
    );
    worker.kill('SIGTERM');
    expect((await worker.exit).code).toBe(0);
  }, 90_000);
});
