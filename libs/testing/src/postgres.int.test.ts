// Smoke test: the test environment's PostgreSQL is a real server.
import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { loadTestEnv, uniqueName } from './index';

describe('PostgreSQL (real server)', () => {
  const env = loadTestEnv('postgres');
  const client = new pg.Client({ connectionString: env.postgres.url });
  const table = uniqueName('smoke').replace(/-/g, '_');

  afterAll(async () => {
    await client.query(`DROP TABLE IF EXISTS "${table}"`);
    await client.end();
  });

  it('creates a table, writes and reads it back', async () => {
    await client.connect();
    const version = await client.query<{ server_version_num: string }>('SHOW server_version_num');
    expect(Number(version.rows[0]?.server_version_num)).toBeGreaterThanOrEqual(150000);

    await client.query(`CREATE TABLE "${table}" (ts TIMESTAMPTZ NOT NULL, id INT8 NOT NULL, name TEXT)`);
    await client.query(`INSERT INTO "${table}" VALUES ($1, $2, $3), ($4, $5, $6)`, [
      '2024-01-22 22:22:22.224+00',
      '647470401348904608',
      'a',
      '2024-01-22 22:22:23.001+00',
      '9223372036854775807',
      'b',
    ]);
    const rows = await client.query(`SELECT id::text, name FROM "${table}" ORDER BY ts`);
    expect(rows.rows).toEqual([
      { id: '647470401348904608', name: 'a' },
      { id: '9223372036854775807', name: 'b' },
    ]);
  });
});
