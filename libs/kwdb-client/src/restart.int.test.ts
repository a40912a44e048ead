// A server restart during a write: the client reports a retriable error, then
// reconnects by itself and the replayed write lands exactly once. Uses its own
// throwaway PostgreSQL (never the shared one), started like
// scripts/testenv/postgres.sh does, with a non-UTC server time zone to show
// that sessions are pinned to UTC.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Row } from '@kwdb-connect/formats';
import { freePort, startThrowawayPostgres, type ThrowawayPostgres } from '@kwdb-connect/testing';
import { KwdbClient } from './client';
import { openPool } from './connection/connect';
import { ConnectionError } from './errors';
import { GUIDE_COLUMNS, GUIDE_TAGS, makeBatch } from './test-support';

describe('server restart during a write (own throwaway PostgreSQL)', () => {
  let server: ThrowawayPostgres;
  let port = 0;
  let client: KwdbClient;

  beforeAll(async () => {
    server = await startThrowawayPostgres({ timezone: 'Asia/Shanghai' });
    port = server.port;
    client = await KwdbClient.connect({ url: server.url, attempts: 1, batchSize: 500 });
  }, 120_000);

  afterAll(async () => {
    await client?.close().catch(() => undefined);
    await server?.destroy();
  }, 60_000);

  it('pins every session to UTC even when the server default is not', async () => {
    const { pool } = await openPool({ url: `postgres://postgres@127.0.0.1:${port}/postgres`, attempts: 1 });
    try {
      const r = await pool.query<{ TimeZone: string }>('SHOW TimeZone');
      expect(r.rows[0]?.TimeZone).toBe('UTC');
    } finally {
      await pool.end();
    }
  });

  it('reports a retriable error when the server goes away mid-write, then recovers and the replay lands once', async () => {
    const rows: Row[] = Array.from({ length: 60_000 }, (_, i) => ({
      ts: (1_700_000_000_000n + BigInt(i)) * 1_000_000n,
      c1: i % 30000,
      location: `l${i % 7}`,
    }));
    const batch = makeBatch('restarted', GUIDE_COLUMNS, GUIDE_TAGS, rows);
    await client.ensureTable(batch);

    const writing = client.write(batch);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await server.stop('immediate');
    const error = await writing.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ retriable: true });

    // While the server is down: still retriable.
    await expect(client.write(batch)).rejects.toMatchObject({ retriable: true });

    await server.start();
    const result = await client.write(batch);
    expect(result).toEqual({ rowsWritten: 60_000, rejected: [] });
    const again = await client.write(batch);
    expect(again.rejected).toEqual([]);
    const page = await client.readAfter('restarted', null, 100_000);
    expect(page.rows).toHaveLength(60_000);
  }, 120_000);

  it('fails to connect with a retriable ConnectionError after connection.attempts tries', async () => {
    const closed = await freePort();
    const started = Date.now();
    const error = await KwdbClient.connect({
      url: `jdbc:kaiwudb://127.0.0.1:${closed}/defaultdb`,
      attempts: 3,
      backoffMs: 100,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toMatch(/after 3 attempt\(s\)/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it('does not retry a permanent connection error (unknown database)', async () => {
    const error = await KwdbClient.connect({
      url: `postgres://postgres@127.0.0.1:${port}/no_such_db`,
      attempts: 5,
      backoffMs: 10_000,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ retriable: false, sqlState: '3D000' });
  });
});
