// Issue 6 points 2 and 4: rows sharing one timestamp across page boundaries, restart from the
// stored cursor, tables created and dropped while running (built worker, real services).
import { afterAll, describe, expect, it } from '@jest/globals';
import type { KwdbClient } from '@kwdb-connect/kwdb-client';
import pg from 'pg';
import {
  batch,
  collect,
  duplicates,
  kafkaClient,
  names,
  rowIds,
  smallRow,
  SMALL_COLUMNS,
  SMALL_TAGS,
  sourceConfig,
  waitFor,
  TestResources,
  type TestDatabase,
} from './support';

const kafka = kafkaClient();
const resources = new TestResources();

afterAll(() => resources.release());

async function setup(
  prefix: string,
): Promise<{ db: TestDatabase; client: KwdbClient; n: ReturnType<typeof names> }> {
  const { db, client } = await resources.database(prefix);
  return { db, client, n: names(prefix) };
}

describe('cursors', () => {
  it('5,000 rows sharing one timestamp with fetch.max.rows 100: every row exactly once', async () => {
    const { db, client, n } = await setup('sameTs');
    const ts = 1_700_000_000_000n;
    const rows = Array.from({ length: 5000 }, (_, i) =>
      smallRow(ts, BigInt(i) + 9_007_199_254_740_993n, BigInt(i)),
    );
    await client.write(batch('same_ts', SMALL_COLUMNS, SMALL_TAGS, rows));
    const w = resources.startWorker({
      ...n,
      config: sourceConfig(n.name, db.name, db.url, { 'fetch.max.rows': '100' }),
    });
    const seen = await collect(kafka, [`${n.name}-${db.name}-same_ts`]);
    await waitFor('5000 rows', () => seen.records.length >= 5000, 90_000);
    await new Promise((r) => setTimeout(r, 1500)); // nothing more may come
    await seen.stop();
    const ids = rowIds(seen.records);
    expect(ids).toHaveLength(5000);
    expect(duplicates(ids)).toEqual([]);
    expect(new Set(ids)).toEqual(new Set(rows.map((r) => `same_ts|${ts}|${String(r['id'])}`)));
    // The last id is above 2^53 and exact.
    expect(ids).toContain(`same_ts|${ts}|${9_007_199_254_740_993n + 4999n}`);
    w.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  }, 150_000);

  it('a restarted task resumes from the stored cursor: acknowledged rows are not delivered again', async () => {
    const { db, client, n } = await setup('restart');
    const config = sourceConfig(n.name, db.name, db.url, { 'fetch.max.rows': '50' });
    const first = Array.from({ length: 300 }, (_, i) =>
      smallRow(1_700_000_000_000n + BigInt(i), 1n, BigInt(i)),
    );
    await client.write(batch('resume', SMALL_COLUMNS, SMALL_TAGS, first));
    const topic = `${n.name}-${db.name}-resume`;
    const w1 = resources.startWorker({ ...n, config });
    const seen = await collect(kafka, [topic]);
    await waitFor('first 300 rows', () => seen.records.length >= 300, 60_000);
    w1.kill('SIGTERM');
    expect(await w1.exited).toBe(0);

    const second = Array.from({ length: 200 }, (_, i) =>
      smallRow(1_700_000_001_000n + BigInt(i), 2n, BigInt(i)),
    );
    await client.write(batch('resume', SMALL_COLUMNS, SMALL_TAGS, second));
    const w2 = resources.startWorker({ ...n, config });
    await waitFor('all 500 rows', () => seen.records.length >= 500, 60_000);
    await new Promise((r) => setTimeout(r, 2000));
    await seen.stop();
    const ids = rowIds(seen.records);
    expect(ids).toHaveLength(500);
    expect(duplicates(ids)).toEqual([]);
    expect(w2.logs.some((l) => l.includes('"stored":true') && l.includes('"table":"resume"'))).toBe(true);
    w2.kill('SIGTERM');
    expect(await w2.exited).toBe(0);
  }, 150_000);

  it('a table created while running is streamed (from timestamp.initial); a dropped table stops without failing the task', async () => {
    const { db, client, n } = await setup('discover');
    await client.write(batch('keep', SMALL_COLUMNS, SMALL_TAGS, [smallRow(1_700_000_000_000n, 1n, 1n)]));
    await client.write(batch('gone', SMALL_COLUMNS, SMALL_TAGS, [smallRow(1_700_000_000_000n, 1n, 1n)]));
    const config = sourceConfig(n.name, db.name, db.url, {
      'poll.interval.ms': '500',
      'timestamp.initial': '2023-11-14 22:13:20', // = 1_700_000_000_000 ms: rows before it are not read
    });
    const w = resources.startWorker({ ...n, config });
    const seen = await collect(kafka, [`${n.name}-${db.name}-keep`, `${n.name}-${db.name}-gone`]);
    await waitFor('first rows', () => seen.records.length >= 2, 60_000);

    // Drop `gone` (and its recorded definition), create `fresh` with one row before timestamp.initial.
    const raw = new pg.Client({ connectionString: db.url });
    await raw.connect();
    await raw.query('DROP TABLE gone');
    await raw.end();
    await client.write(
      batch('fresh', SMALL_COLUMNS, SMALL_TAGS, [
        smallRow(1_699_999_999_999n, 1n, 0n),
        smallRow(1_700_000_000_500n, 1n, 1n),
      ]),
    );
    const freshTopic = `${n.name}-${db.name}-fresh`;
    const seenFresh = await collect(kafka, [freshTopic]);
    await waitFor('the new table', () => seenFresh.records.length >= 1, 60_000);
    await client.write(batch('keep', SMALL_COLUMNS, SMALL_TAGS, [smallRow(1_700_000_000_001n, 1n, 2n)]));
    await waitFor('keep goes on', () => seen.records.length >= 3, 30_000);
    await waitFor(
      'drop logged',
      () => w.logs.some((l) => l.includes('table dropped') || l.includes('no longer exists')),
      30_000,
    );
    await new Promise((r) => setTimeout(r, 1000));
    await seen.stop();
    await seenFresh.stop();
    expect(rowIds(seenFresh.records)).toEqual([`fresh|1700000000500|1`]);
    expect(w.child.exitCode).toBeNull();
    const metrics = await (await fetch(`${await w.url()}/metrics`)).text();
    expect(metrics).toMatch(/kwdb_connect_source_tables_discovered_total\{[^}]*event="added"\} 3/);
    expect(metrics).toMatch(/kwdb_connect_source_tables_discovered_total\{[^}]*event="dropped"\} [1-9]/);
    expect((await fetch(`${await w.url()}/healthz`)).status).toBe(200);
    w.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  }, 150_000);
});
