// Source offsets against the real Kafka: plain writes, resets, and exactly-once writes inside
// committed and aborted transactions (read_committed: only the committed ones are read back).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { loadTestEnv, uniqueName } from '@kwdb-connect/testing';
import { ensureTopic } from '../kafka/ensure-topic';
import { OffsetStore } from './offset-store';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';

describe('OffsetStore (real Kafka)', () => {
  const env = loadTestEnv('kafka');
  const kafka = new Kafka({
    clientId: 'runtime-offsets-test',
    brokers: env.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  const topic = uniqueName('connect-offsets');
  const dataTopic = uniqueName('source-data');
  let admin: Admin;
  let store: OffsetStore;
  let txProducer: Producer;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await ensureTopic(admin, topic, { compacted: true, partitions: 1 });
    await ensureTopic(admin, dataTopic, { compacted: false, partitions: 1 });
    store = new OffsetStore({ kafka, topic, catchUpTimeoutMs: 20_000 });
    await store.start();
    txProducer = kafka.producer({
      transactionalId: uniqueName('source-tx'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await txProducer.connect();
  });

  afterAll(async () => {
    await txProducer?.disconnect();
    await store?.close();
    await admin?.disconnect();
  });

  it('writes offsets and reads back the latest per table, kept apart per connector', async () => {
    const connector = uniqueName('src');
    await store.write(connector, 'benchmark.cpu', { ts: '1700000000000000001', tags: ['h1'] });
    await store.write(connector, 'benchmark.cpu', { ts: '1700000000000000002', tags: ['h2'] });
    await store.write(connector, 'benchmark.mem', { ts: '5' });
    await store.write(`${connector}-other`, 'benchmark.cpu', { ts: '9' });

    expect(await store.readAll(connector)).toEqual(
      new Map([
        ['benchmark.cpu', { ts: '1700000000000000002', tags: ['h2'] }],
        ['benchmark.mem', { ts: '5' }],
      ]),
    );
    expect(await store.readAll(uniqueName('unknown'))).toEqual(new Map());
  });

  it('resets one table, then all tables of a connector, leaving other connectors alone', async () => {
    const connector = uniqueName('src');
    const other = uniqueName('src-other');
    await store.write(connector, 'db.a', { ts: '1' });
    await store.write(connector, 'db.b', { ts: '2' });
    await store.write(connector, 'db.c', { ts: '3' });
    await store.write(other, 'db.a', { ts: '7' });

    await store.reset(connector, 'db.b');
    expect([...(await store.readAll(connector)).keys()]).toEqual(['db.a', 'db.c']);

    await store.write(connector, 'db.d', null);
    expect([...(await store.readAll(connector)).keys()]).toEqual(['db.a', 'db.c']);

    await store.reset(connector);
    expect(await store.readAll(connector)).toEqual(new Map());
    expect(await store.readAll(other)).toEqual(new Map([['db.a', { ts: '7' }]]));
  });

  it('reads back only offsets from committed transactions', async () => {
    const connector = uniqueName('src-eos');

    const committed = await txProducer.transaction();
    await committed.send({ topic: dataTopic, messages: [{ key: 'h1', value: 'row-1' }] });
    await store.write(connector, 'db.cpu', { ts: '100' }, { transaction: committed });
    await committed.commit();

    const aborted = await txProducer.transaction();
    await aborted.send({ topic: dataTopic, messages: [{ key: 'h1', value: 'row-2' }] });
    await store.write(connector, 'db.cpu', { ts: '200' }, { transaction: aborted });
    await store.write(connector, 'db.mem', { ts: '200' }, { transaction: aborted });
    await aborted.abort();

    expect(await store.readAll(connector)).toEqual(new Map([['db.cpu', { ts: '100' }]]));

    const next = await txProducer.transaction();
    await store.write(connector, 'db.cpu', { ts: '300' }, { transaction: next });
    await next.commit();
    expect(await store.readAll(connector)).toEqual(new Map([['db.cpu', { ts: '300' }]]));
  });

  it('waits for a transaction still open when readAll is called, then reads its offsets', async () => {
    const connector = uniqueName('src-open');
    const open = await txProducer.transaction();
    await store.write(connector, 'db.cpu', { ts: '400' }, { transaction: open });
    let settled = false;
    const read = store.readAll(connector).finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(settled).toBe(false);
    await open.commit();
    expect(await read).toEqual(new Map([['db.cpu', { ts: '400' }]]));
  });

  it('a store started later (a restarted task) sees the same offsets', async () => {
    const connector = uniqueName('src-restart');
    await store.write(connector, 'db.cpu', { ts: '42', tags: ['a', 1] });
    const aborted = await txProducer.transaction();
    await store.write(connector, 'db.cpu', { ts: '43' }, { transaction: aborted });
    await aborted.abort();

    const restarted = new OffsetStore({ kafka, topic, catchUpTimeoutMs: 20_000 });
    await restarted.start();
    try {
      expect(await restarted.readAll(connector)).toEqual(new Map([['db.cpu', { ts: '42', tags: ['a', 1] }]]));
    } finally {
      await restarted.close();
    }
  });
});
