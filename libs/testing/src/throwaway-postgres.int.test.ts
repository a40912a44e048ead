import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startThrowawayPostgres, type ThrowawayPostgres } from './index';

async function select1(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const result = await client.query<{ one: number }>('SELECT 1 AS one');
    return result.rows[0]?.one ?? 0;
  } finally {
    await client.end();
  }
}

describe('startThrowawayPostgres', () => {
  let server: ThrowawayPostgres | undefined;
  afterAll(async () => {
    await server?.destroy();
  }, 60_000);

  it('starts a server of its own that can be stopped and started again', async () => {
    server = await startThrowawayPostgres({ timezone: 'Asia/Shanghai' });
    expect(await select1(server.url)).toBe(1);
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    expect((await client.query<{ TimeZone: string }>('SHOW TimeZone')).rows[0]?.TimeZone).toBe(
      'Asia/Shanghai',
    );
    await client.end();

    await server.stop('immediate');
    await expect(select1(server.url)).rejects.toThrow();
    await server.start();
    expect(await select1(server.url)).toBe(1);
  }, 120_000);
});
