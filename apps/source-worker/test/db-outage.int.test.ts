// Issue 6: the database down for 10 s. A throwaway PostgreSQL of this test (never the shared
// one; startThrowawayPostgres of @kwdb-connect/testing) is stopped and started again; the task
// retries with backoff, skips nothing, recovers.
import { afterAll, describe, expect, it } from '@jest/globals';
import { startThrowawayPostgres, type ThrowawayPostgres } from '@kwdb-connect/testing';
import type { KwdbClient } from '@kwdb-connect/kwdb-client';
import {
  batch,
  collect,
  connect,
  duplicates,
  kafkaClient,
  names,
  rowIds,
  smallRow,
  SMALL_COLUMNS,
  SMALL_TAGS,
  sourceConfig,
  startWorker,
  waitFor,
  type WorkerHandle,
} from './support';

const kafka = kafkaClient();
let pgServer: ThrowawayPostgres | undefined;
let worker: WorkerHandle | undefined;
let client: KwdbClient | undefined;

afterAll(async () => {
  worker?.kill('SIGKILL');
  await client?.close().catch(() => undefined);
  await pgServer?.destroy();
});

describe('database outage', () => {
  it('the database down for 10 s: retried with backoff, nothing skipped, the task recovers by itself', async () => {
    pgServer = await startThrowawayPostgres({ timezone: 'UTC' });
    client = await connect(pgServer.url);
    const n = names('outage');
    const rowsAt = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) =>
        smallRow(1_700_000_000_000n + BigInt(from + i), 1n, BigInt(from + i)),
      );
    await client.write(batch('m', SMALL_COLUMNS, SMALL_TAGS, rowsAt(0, 100)));
    worker = startWorker({
      ...n,
      config: sourceConfig(n.name, 'postgres', pgServer.url, { 'query.interval.ms': '200' }),
    });
    const seen = await collect(kafka, [`${n.name}-postgres-m`]);
    await waitFor('first 100 rows', () => seen.records.length >= 100, 60_000);

    await client.close();
    client = undefined;
    await pgServer.stop('immediate');
    await new Promise((r) => setTimeout(r, 10_000));
    expect(worker.child.exitCode).toBeNull();
    await pgServer.start();

    client = await connect(pgServer.url);
    await client.write(batch('m', SMALL_COLUMNS, SMALL_TAGS, rowsAt(100, 100)));
    await waitFor('rows after the outage', () => seen.records.length >= 200, 60_000);
    await new Promise((r) => setTimeout(r, 1000));
    await seen.stop();
    const ids = rowIds(seen.records);
    expect(ids).toHaveLength(200);
    expect(duplicates(ids)).toEqual([]);
    expect(worker.logs.some((l) => l.includes('transient query error; retrying'))).toBe(true);
    const metrics = await (await fetch(`${await worker.url()}/metrics`)).text();
    expect(metrics).toMatch(/kwdb_connect_errors_total\{[^}]*kind="query"\} [1-9]/);
    expect((await fetch(`${await worker.url()}/healthz`)).status).toBe(200);
    worker.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  }, 180_000);
});
