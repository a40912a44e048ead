// Issue 5 point 3: PostgreSQL unavailable for 10 s mid-stream, then back: nothing lost, nothing
// committed while it is down. The shared test PostgreSQL is never touched: this test runs its own
// throwaway server (startThrowawayPostgres from @kwdb-connect/testing).
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startThrowawayPostgres, uniqueName, type ThrowawayPostgres } from '@kwdb-connect/testing';
import type { Admin, Kafka } from 'kafkajs';
import { jsonKaiwudbMessage, keySum } from './test-support/data';
import {
  committedOffsets,
  createTopic,
  kafkaClient,
  killAllWorkers,
  produce,
  sinkConfig,
  startWorker,
  testEnv,
  waitFor,
  withPg,
} from './test-support/harness';

const env = testEnv();
let kafka: Kafka;
let admin: Admin;
let server: ThrowawayPostgres;

beforeAll(async () => {
  kafka = kafkaClient(env);
  admin = kafka.admin();
  await admin.connect();
  server = await startThrowawayPostgres({ timezone: 'UTC' });
}, 120_000);

afterAll(async () => {
  await killAllWorkers();
  await admin.disconnect();
  await server.destroy();
});

it('PostgreSQL down for 10 s mid-stream: retries, commits nothing while down, loses nothing', async () => {
  const url = server.url;
  const topic = uniqueName('sink-outage');
  const table = uniqueName('outage').replace(/-/g, '_');
  const connector = uniqueName('sink-outage');
  await createTopic(admin, topic, 2);
  const message = (m: number): { value: string; partition: number } => ({
    value: jsonKaiwudbMessage(table, m, 5),
    partition: m % 2,
  });
  await produce(
    kafka,
    topic,
    Array.from({ length: 1000 }, (_, m) => message(m)),
  );

  const worker = startWorker({
    name: connector,
    statusTopic: uniqueName('sink-status'),
    brokers: env.kafka.brokers,
    config: sinkConfig({
      topics: topic,
      'connection.url': `postgres://127.0.0.1:${server.port}`,
      'connection.database': 'postgres',
      'protocol.type': 'json_kaiwudb',
      'timestamp.precision': 'ms',
      'max.retries': 30,
      'retry.backoff.ms': 1000,
    }),
  });
  const count = (): Promise<number> =>
    withPg(
      url,
      async (c) => (await c.query(`SELECT count(*)::int AS n FROM "${table}"`)).rows[0]!.n as number,
    );
  await waitFor('the first 5000 rows', async () => (await count()) === 5000);

  await server.stop();
  const downAt = Date.now();
  const committedWhenDown = await committedOffsets(admin, connector, topic);
  await produce(
    kafka,
    topic,
    Array.from({ length: 1000 }, (_, m) => message(1000 + m)),
  );
  await worker.waitForLog((l) => l.msg === 'transient database error; retrying', 20_000);
  await new Promise((r) => setTimeout(r, Math.max(0, 10_000 - (Date.now() - downAt))));
  expect(await committedOffsets(admin, connector, topic)).toEqual(committedWhenDown);
  expect(worker.exited).toBe(false);
  await server.start();

  await waitFor('all 10000 rows', async () => (await count()) === 10_000, 60_000);
  const check = await withPg(
    url,
    async (c) => (await c.query(`SELECT sum(k)::text AS s FROM "${table}"`)).rows[0]!.s,
  );
  expect(check).toBe(keySum(10_000));
  await waitFor('both partitions committed to 1000', async () => {
    const offsets = await committedOffsets(admin, connector, topic);
    return offsets.get(0) === '1000' && offsets.get(1) === '1000';
  });
  const url2 = await worker.url();
  expect((await fetch(`${url2}/healthz`)).status).toBe(200);
  worker.kill('SIGTERM');
  expect((await worker.exit).code).toBe(0);
}, 150_000);
