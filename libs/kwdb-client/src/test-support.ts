// Helpers for this library's tests only (not exported from index.ts).

import type { Batch, ColumnDef, Row, TagDef } from '@kwdb-connect/formats';
import { loadTestEnv, uniqueName } from '@kwdb-connect/testing';
import pg from 'pg';
import { KwdbClient } from './client';
import type { KwdbClientConfig } from './connection/config';

/** A fresh database on the test environment's PostgreSQL, and a way to drop it. */
export async function freshDatabase(
  prefix: string,
): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const env = loadTestEnv('postgres');
  const name = uniqueName(prefix).replace(/-/g, '_');
  const admin = new pg.Client({ connectionString: env.postgres.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = `postgres://${env.postgres.user}@${env.postgres.host}:${env.postgres.port}/${name}`;
  return {
    name,
    url,
    async drop() {
      const c = new pg.Client({ connectionString: env.postgres.url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function connectTo(url: string, extra: Partial<KwdbClientConfig> = {}): Promise<KwdbClient> {
  return KwdbClient.connect({ url, attempts: 1, backoffMs: 0, ...extra });
}

/** A plain pg client on the same database, to look at what was really stored. */
export async function rawClient(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

/** A json_kaiwudb-like batch: ts + columns, tags; rows given. */
export function makeBatch(
  table: string,
  columns: ColumnDef[],
  tags: TagDef[],
  rows: Row[],
  precision: Batch['precision'] = 'ms',
): Batch {
  return { table, columns, tags, rows, precision, canCreateTable: true };
}

/** The guide's sample table (ts_json_kaiwudb_tb) shape. */
export const GUIDE_COLUMNS: ColumnDef[] = [
  { name: 'ts', type: 'TIMESTAMPTZ', length: 64 },
  { name: 'c1', type: 'INT2', length: 16 },
  { name: 'c2', type: 'INT4', length: 32 },
  { name: 'c3', type: 'INT8', length: 64 },
  { name: 'c4', type: 'FLOAT4', length: 32 },
  { name: 'c5', type: 'FLOAT8', length: 64 },
  { name: 'c6', type: 'BOOL', length: 1 },
];
export const GUIDE_TAGS: TagDef[] = [
  { name: 'location', type: 'VARCHAR', length: 64, primary: true, nullable: false },
  { name: 'temperature', type: 'FLOAT4', length: 64, primary: false, nullable: true },
];
