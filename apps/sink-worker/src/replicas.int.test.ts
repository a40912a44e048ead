// Issue 5 point 4: 3 replicas of one connector on a 6-partition topic with 200k rows; one replica
// is SIGKILLed mid-stream and another restarted. In the end every row is in the database exactly
// once (count, distinct keys and the sum of keys) and every partition is committed to its end.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { uniqueName } from '@kwdb-connect/testing';
import type { Admin, Kafka } from 'kafkajs';
import { jsonKaiwudbMessage, keySum } from './test-support/data';
import {
  committedOffsets,
  createTopic,
  freshDatabase,
  kafkaClient,
  killAllWorkers,
  produce,
  sinkConfig,
  startWorker,
  testEnv,
  waitFor,
  withPg,
  type WorkerHandle,
} from './test-support/harness';

const env = testEnv();
const ROWS_PER_MESSAGE = 5;
const MESSAGES = 40_000; // 200k rows
let kafka: Kafka;
let admin: Admin;
let db: { name: string; url: string; drop(): Promise<void> };

beforeAll(async () => {
  kafka = kafkaClient(env);
  admin = kafka.admin();
  await admin.connect();
  db = await freshDatabase(env, 'sink_replicas');
});

afterAll(async () => {
  await killAllWorkers();
  await admin.disconnect();
  await db.drop().catch(() => undefined);
});

async function stats(table: string): Promise<{ n: number; distinct: number; sum: string }> {
  return withPg(db.url, async (c) => {
    const r = await c
      .query(
        `SELECT count(*)::int AS n, count(DISTINCT k)::int AS distinct, coalesce(sum(k), 0)::text AS sum FROM "${table}"`,
      )
      .catch(() => ({ rows: [{ n: 0, distinct: 0, sum: '0' }] }));
    return r.rows[0] as { n: number; distinct: number; sum: string };
  });
}

it('3 replicas, 6 partitions, 200k rows, one SIGKILLed and one restarted: every row exactly once', async () => {
  const topic = uniqueName('sink-replicas');
  const table = uniqueName('replicas').replace(/-/g, '_');
  const connector = uniqueName('sink-replicas');
  await createTopic(admin, topic, 6);
  const messages = Array.from({ length: MESSAGES }, (_, m) => ({
    value: jsonKaiwudbMessage(table, m, ROWS_PER_MESSAGE),
    partition: m % 6,
  }));
  await produce(kafka, topic, messages, 4000);

  const config = sinkConfig({
    topics: topic,
    'tasks.max': '3',
    'connection.url': `postgres://${env.postgres.host}:${env.postgres.port}`,
    'connection.database': db.name,
    'protocol.type': 'json_kaiwudb',
    'timestamp.precision': 'ms',
    'batch.size': 1000,
  });
  // Small fetches so the work is spread over many batches and the kill lands mid-stream.
  const small = { KWDB_CONNECT_MAX_BUFFERED_BYTES: String(1024 * 1024) };
  const start = (taskId: number): WorkerHandle =>
    startWorker({
      name: connector,
      taskId,
      statusTopic: uniqueName('sink-status'),
      brokers: env.kafka.brokers,
      config,
      env: small,
    });
  const workers = [start(0), start(1), start(2)];

  await waitFor('20k rows', async () => (await stats(table)).n >= 20_000, 60_000, 100);
  workers[1]!.kill('SIGKILL');
  expect((await workers[1]!.exit).signal).toBe('SIGKILL');

  await waitFor('80k rows', async () => (await stats(table)).n >= 80_000, 60_000, 100);
  workers[2]!.kill('SIGTERM');
  expect((await workers[2]!.exit).code).toBe(0);
  workers[2] = start(2);

  const final = await waitFor(
    'all 200k rows',
    async () => {
      const s = await stats(table);
      return s.n >= MESSAGES * ROWS_PER_MESSAGE ? s : undefined;
    },
    90_000,
    250,
  );
  expect(final).toEqual({ n: 200_000, distinct: 200_000, sum: keySum(200_000) });
  const committed = await waitFor(
    'every partition committed to its end',
    async () => {
      const offsets = await committedOffsets(admin, connector, topic);
      // Partition p holds messages p, p+6, ...: ceil((MESSAGES - p) / 6) of them.
      const complete = [0, 1, 2, 3, 4, 5].every(
        (p) => offsets.get(p) === String(Math.ceil((MESSAGES - p) / 6)),
      );
      return complete ? offsets : undefined;
    },
    30_000,
  );
  expect(committed.size).toBe(6);
  // The survivors and the restarted replica share the partitions: each partition has one owner.
  // When the rows are all written before the killed replica's session expired (10 s), the last
  // assignment still names it: wait for the rebalance that drops it.
  const latestAssignment = (w: WorkerHandle): number[] => {
    const joins = w.logs.filter((l) => l.msg === 'joined the consumer group');
    return (
      (joins[joins.length - 1]?.['memberAssignment'] as Record<string, number[]> | undefined)?.[topic] ?? []
    );
  };
  const owned = await waitFor(
    'the live replicas to own all 6 partitions',
    async () => {
      const all = [...latestAssignment(workers[0]!), ...latestAssignment(workers[2]!)].sort();
      return all.length === 6 ? all : undefined;
    },
    30_000,
  );
  expect(owned).toEqual([0, 1, 2, 3, 4, 5]);
}, 240_000);
