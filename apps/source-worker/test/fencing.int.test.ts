// Issue 10 point 1 (ADR 0011): a previous owner whose ownership check passed but whose commit is
// held back far longer than any grace period cannot deliver its page once the claim has moved:
// the new owner fences the claim's transactional.id before it reads the cursor, so the stale
// commit is refused by the broker and every row reaches read_committed readers exactly once.
//
// Two SourceWorkers run in this process (real Kafka, real PostgreSQL) so the previous owner's
// commit can be held by a hook (`beforeCommit`) instead of by racing sleeps. Task B's client id
// sorts before task A's, so the deterministic assigner (ADR 0008) gives the one table to B once
// both are members.
import { afterAll, describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import kafkajs, { type Kafka } from 'kafkajs';
import { parseConnectorConfig, type SourceConfig } from '@kwdb-connect/connector-config';
import {
  ActiveTopicsRecorder,
  createLogger,
  ensureTopic,
  OffsetStore,
  StatusPublisher,
} from '@kwdb-connect/runtime';
import { withKafkaRetry } from '../src/kafka-retry';
import { SourceMetrics } from '../src/metrics';
import type { Page } from '../src/produce/emitter';
import { SourceWorker } from '../src/worker';
import {
  batch,
  collect,
  connect,
  duplicates,
  env,
  names,
  rowIds,
  smallRow,
  SMALL_COLUMNS,
  SMALL_TAGS,
  sourceConfig,
  TestResources,
  waitFor,
} from './support';

const { Kafka: KafkaClass, logLevel } = kafkajs;
const resources = new TestResources();
afterAll(() => resources.release());

interface InProcessTask {
  worker: SourceWorker;
  logs: string[];
}

async function startTask(
  clientId: string,
  taskId: number,
  config: SourceConfig,
  topics: { offsetsTopic: string; statusTopic: string },
  beforeCommit?: (page: Page) => Promise<void>,
): Promise<InProcessTask> {
  const kafka: Kafka = new KafkaClass({ clientId, brokers: env().kafka.brokers, logLevel: logLevel.NOTHING });
  const logs: string[] = [];
  const logger = createLogger({
    level: 'info',
    base: { task: taskId },
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(
          ...chunk
            .toString()
            .split('\n')
            .filter((l) => l !== ''),
        );
        done();
      },
    }),
  });
  const admin = kafka.admin();
  await admin.connect();
  resources.onRelease(() => admin.disconnect());
  await withKafkaRetry(() => ensureTopic(admin, topics.offsetsTopic, { compacted: true, partitions: 5 }));
  const client = await connect(config.connection.url);
  resources.onRelease(() => client.close());
  const offsets = new OffsetStore({ kafka, topic: topics.offsetsTopic, logger });
  await offsets.start();
  resources.onRelease(() => offsets.close());
  const status = new StatusPublisher({ kafka, topic: topics.statusTopic, workerId: clientId });
  const worker = new SourceWorker({
    config,
    precision: undefined,
    taskId,
    kafka,
    admin,
    client,
    offsets,
    status,
    metrics: new SourceMetrics(config.name, String(taskId)),
    logger,
    onFatal: (error) => logs.push(`FATAL ${String(error)}`),
    // Topic tracking is not under test here: nothing is published.
    activeTopics: new ActiveTopicsRecorder({
      publisher: { publishTopic: async () => undefined },
      connector: config.name,
      task: taskId,
      logger,
    }),
    ...(beforeCommit === undefined ? {} : { beforeCommit }),
    // Longer than the test: only B's fence, never the broker's transaction timeout, can end A's
    // held transaction (without fencing, B's cursor read would wait for A until the test fails).
    transactionTimeoutMs: 300_000,
  });
  await worker.start();
  resources.onRelease(() => worker.stop().catch(() => undefined));
  return { worker, logs };
}

describe('exactly-once fencing of a claim (ADR 0011)', () => {
  it('a commit held back after its ownership check is refused once the claim moved; no row twice', async () => {
    const { db, client } = await resources.database('fence');
    const n = names('fence');
    const rows = Array.from({ length: 5 }, (_, i) => smallRow(1_700_000_000_000n + BigInt(i), 1n, BigInt(i)));
    await client.write([batch('t0', SMALL_COLUMNS, SMALL_TAGS, rows)]);
    const parsed = parseConnectorConfig({
      name: n.name,
      config: sourceConfig(n.name, db.name, db.url, {
        'tasks.max': '2',
        'topic.per.stable': 'false',
        'query.interval.ms': '100',
        'exactly.once.source.support': 'enabled',
      }),
    });
    if (!parsed.ok || parsed.config.kind !== 'source') throw new Error(JSON.stringify(parsed));
    const config = parsed.config;

    // Task A holds every commit until the test lets it go.
    let release: () => void = () => undefined;
    const released = new Promise<void>((r) => (release = r));
    const held: string[] = [];
    const a = await startTask(`zz-${n.name}-a`, 0, config, n, async (page) => {
      held.push(page.tableKey);
      await released;
    });
    await waitFor('task A holds its first commit', () => held.length === 1, 60_000);

    // B joins: the rebalance moves t0 to B, which fences the claim and delivers the rows itself.
    const b = await startTask(`aa-${n.name}-b`, 1, config, n);
    const seen = await collect(
      new KafkaClass({
        clientId: `${n.name}-reader`,
        brokers: env().kafka.brokers,
        logLevel: logLevel.NOTHING,
      }),
      [`${n.name}-${db.name}`],
      true,
    );
    resources.onRelease(() => seen.stop());
    await waitFor('B delivers the 5 rows', () => rowIds(seen.records).length >= 5, 90_000);
    expect(b.logs.some((l) => l.includes('claim fenced'))).toBe(true);

    // Now A's held commit goes on: the broker refuses it (A's epoch is gone).
    release();
    await waitFor(
      'A reports its stale commit refused',
      () => a.logs.some((l) => l.includes('stale commit refused')),
      60_000,
    );
    // More rows after the refusal: B (the owner) delivers them once; A does not resurrect its page.
    const more = Array.from({ length: 3 }, (_, i) => smallRow(1_700_000_001_000n + BigInt(i), 1n, BigInt(i)));
    await client.write([batch('t0', SMALL_COLUMNS, SMALL_TAGS, more)]);
    await waitFor('B delivers the 3 later rows', () => rowIds(seen.records).length >= 8, 60_000);

    const ids = rowIds(seen.records);
    expect(duplicates(ids)).toEqual([]);
    expect(new Set(ids)).toEqual(
      new Set([...rows, ...more].map((r) => `t0|${String((r['ts'] as bigint) / 1_000_000n)}|1`)),
    );
    expect(a.logs.filter((l) => l.startsWith('FATAL'))).toEqual([]);
    expect(b.logs.filter((l) => l.startsWith('FATAL'))).toEqual([]);
  }, 240_000);
});
