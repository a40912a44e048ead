// timestamp.delay.interval.ms (issue 6 point 1): rows newer than now - delay are not emitted
// until they are old enough, then exactly once. The bound is in the query (readAfter's
// inclusive `until`), so held-back rows are not even read: rows polled = rows emitted.
import { afterAll, describe, expect, it } from '@jest/globals';
import type { KwdbClient } from '@kwdb-connect/kwdb-client';
import {
  batch,
  collect,
  connect,
  duplicates,
  freshDatabase,
  kafkaClient,
  names,
  rowIds,
  smallRow,
  SMALL_COLUMNS,
  SMALL_TAGS,
  sourceConfig,
  startWorker,
  waitFor,
  type TestDatabase,
  type WorkerHandle,
} from './support';

const kafka = kafkaClient();
let db: TestDatabase | undefined;
let client: KwdbClient | undefined;
let worker: WorkerHandle | undefined;

afterAll(async () => {
  worker?.kill('SIGKILL');
  await client?.close();
  await db?.drop();
});

describe('timestamp.delay.interval.ms', () => {
  it('holds back rows newer than now - delay until they are old enough, then emits each exactly once', async () => {
    const DELAY = 3000;
    db = await freshDatabase('delay');
    client = await connect(db.url);
    const n = names('delay');
    const t0 = BigInt(Date.now());
    // 10 old rows (a minute ago) and 10 new ones, 100 ms apart, from now on.
    const old = Array.from({ length: 10 }, (_, i) => smallRow(t0 - 60_000n + BigInt(i), 1n, BigInt(i)));
    const fresh = Array.from({ length: 10 }, (_, i) => smallRow(t0 + BigInt(i) * 100n, 2n, BigInt(i)));
    await client.write(batch('late', SMALL_COLUMNS, SMALL_TAGS, [...old, ...fresh]));

    worker = startWorker({
      ...n,
      config: sourceConfig(n.name, db.name, db.url, {
        'timestamp.delay.interval.ms': String(DELAY),
        // The record timestamp is the row's time, so arrivals can be compared with row times.
        'record.timestamp': 'row_time',
        'query.interval.ms': '100',
        'fetch.max.rows': '4',
      }),
    });
    const seen = await collect(kafka, [`${n.name}-${db.name}-late`]);
    await waitFor('the 10 old rows', () => seen.records.length >= 10, 60_000);
    await waitFor('all 20 rows', () => seen.records.length >= 20, 30_000);
    await new Promise((r) => setTimeout(r, 1500)); // nothing more may come
    await seen.stop();

    const ids = rowIds(seen.records);
    expect(ids).toHaveLength(20);
    expect(duplicates(ids)).toEqual([]);
    expect(new Set(ids)).toEqual(
      new Set([...old, ...fresh].map((r) => `late|${(r['ts']! as bigint) / 1_000_000n}|${r['id']}`)),
    );
    // No record arrived before its row was `delay` old (record timestamp = row timestamp in ms).
    for (const r of seen.records) {
      expect(r.receivedAt).toBeGreaterThanOrEqual(Number(r.timestamp) + DELAY);
    }
    // The new rows did wait: the first of them arrived at least DELAY after it was written.
    const firstFresh = seen.records.find((r) => BigInt(r.timestamp) >= t0)!;
    expect(firstFresh.receivedAt - Number(t0)).toBeGreaterThanOrEqual(DELAY);

    // Held-back rows were never read: the bound is in the query.
    const metrics = await (await fetch(`${await worker.url()}/metrics`)).text();
    expect(metrics).toMatch(/kwdb_connect_source_rows_polled_total\{[^}]*table="late"[^}]*\} 20\n/);
    worker.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  }, 120_000);
});
