// Source-side introspection on the real PostgreSQL: tables, columns, tags,
// primary tags, and paging with a (timestamp, primary tags) cursor.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ColumnDef, Row, TagDef } from '@kwdb-connect/formats';
import type pg from 'pg';
import type { KwdbClient } from './client';
import { TableNotFoundError } from './errors';
import type { Cursor } from './types';
import { connectTo, freshDatabase, makeBatch, rawClient } from './test-support';

const COLUMNS: ColumnDef[] = [
  { name: 'k_timestamp', type: 'TIMESTAMPTZ' },
  { name: 'v', type: 'INT8' },
];
const TAGS: TagDef[] = [
  { name: 'host', type: 'VARCHAR', length: 20, primary: true, nullable: false },
  { name: 'rack', type: 'INT4', primary: true, nullable: false },
  { name: 'region', type: 'VARCHAR', length: 20, primary: false, nullable: true },
];

/** Reads the whole table page by page. */
async function readAll(
  client: KwdbClient,
  table: string,
  pageSize: number,
  start: Cursor | null = null,
): Promise<Row[]> {
  const out: Row[] = [];
  let cursor = start;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await client.readAfter(table, cursor, pageSize);
    expect(page.rows.length).toBeLessThanOrEqual(pageSize);
    out.push(...page.rows);
    if (page.rows.length < pageSize) return out;
    cursor = page.cursor;
  }
  throw new Error('too many pages');
}

describe('introspection (postgres)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let client: KwdbClient;
  let raw: pg.Client;
  const rows: Row[] = [];

  beforeAll(async () => {
    db = await freshDatabase('kwc_intro');
    client = await connectTo(db.url);
    raw = await rawClient(db.url);
    // 3 timestamps x 7 devices: many rows share one timestamp; ns precision.
    for (const t of [1_700_000_000_000_000_001n, 1_700_000_000_000_000_002n, 1_700_000_001_000_000_000n]) {
      for (let d = 0; d < 7; d++) {
        rows.push({
          k_timestamp: t,
          v: BigInt(d) * 10n ** 17n,
          host: `h${d % 3}`,
          rack: d,
          region: d % 2 ? 'east' : null,
        });
      }
    }
    const shuffled = [...rows].reverse();
    const result = await client.write(makeBatch('metrics', COLUMNS, TAGS, shuffled, 'ns'));
    expect(result.rejected).toEqual([]);
    await client.write(
      makeBatch('other', COLUMNS, TAGS.slice(0, 1), [{ k_timestamp: 0n, v: 1n, host: 'a' }], 'ms'),
    );
  });
  afterAll(async () => {
    await raw?.end();
    await client?.close();
    await db?.drop();
  });

  const sorted = (): Row[] =>
    [...rows].sort((a, b) => {
      const ta = a['k_timestamp'] as bigint;
      const tb = b['k_timestamp'] as bigint;
      if (ta !== tb) return ta < tb ? -1 : 1;
      const ha = a['host'] as string;
      const hb = b['host'] as string;
      if (ha !== hb) return ha < hb ? -1 : 1;
      return (a['rack'] as number) - (b['rack'] as number);
    });

  it('lists tables, and describes columns, tags and primary tags in order', async () => {
    expect(await client.listTables()).toEqual(['metrics', 'other']);
    const schema = await client.describeTable('metrics');
    expect(schema).toEqual({
      name: 'metrics',
      precision: 'ns',
      columns: [
        { name: 'k_timestamp', type: 'TIMESTAMPTZ', length: 64, nullable: false },
        { name: 'v', type: 'INT8', length: 64, nullable: true },
      ],
      tags: [
        { name: 'host', type: 'VARCHAR', length: 20, primary: true, nullable: false },
        { name: 'rack', type: 'INT4', length: 32, primary: true, nullable: false },
        { name: 'region', type: 'VARCHAR', length: 20, primary: false, nullable: true },
      ],
    });
  });

  it('stores ns timestamps exactly as int8 epoch nanoseconds', async () => {
    const r = await raw.query(`SELECT k_timestamp::text AS ts FROM metrics ORDER BY k_timestamp LIMIT 1`);
    expect(r.rows[0].ts).toBe('1700000000000000001');
  });

  it.each([1, 2, 3, 5, 7, 8, 100])(
    'pages through rows sharing timestamps without skips or repeats (page size %i)',
    async (size) => {
      const all = await readAll(client, 'metrics', size);
      expect(all).toEqual(sorted());
    },
  );

  // Timestamps and INT8 tags are selected as text: pages must still follow their numeric order
  // (ids of different digit counts, negative ids, times before 1970), or the cursor skips rows.
  it.each([1, 5, 7, 100])(
    'pages in numeric order through INT8 primary tags and pre-1970 timestamps (page size %i)',
    async (size) => {
      const ids = [...Array.from({ length: 21 }, (_, i) => BigInt(i)), 100n, 1000n, -5n, -12n];
      const times = [-86_400_000n, 0n, 1_705_962_142_224n];
      const numeric: Row[] = times.flatMap((t) =>
        [...ids].sort((a, b) => (a < b ? -1 : 1)).map((id) => ({ ts: t * 1_000_000n, v: id * 7n, id })),
      );
      const table = `numeric_${size}`;
      const written = await client.write(
        makeBatch(
          table,
          [
            { name: 'ts', type: 'TIMESTAMPTZ' },
            { name: 'v', type: 'INT8' },
          ],
          [{ name: 'id', type: 'INT8', primary: true, nullable: false }],
          [...numeric].reverse(),
          'ms',
        ),
      );
      expect(written.rejected).toEqual([]);
      expect(await readAll(client, table, size)).toEqual(numeric);
    },
  );

  it('starts after a timestamp alone (cursor without primary tags)', async () => {
    const all = await readAll(client, 'metrics', 4, { ts: 1_700_000_000_000_000_001n });
    expect(all).toEqual(sorted().filter((r) => (r['k_timestamp'] as bigint) > 1_700_000_000_000_000_001n));
  });

  it('returns the input cursor when there is nothing new, and sees rows written later', async () => {
    const end = await client.readAfter('metrics', null, 1000);
    const again = await client.readAfter('metrics', end.cursor, 10);
    expect(again).toEqual({ rows: [], cursor: end.cursor });
    await client.write(
      makeBatch(
        'metrics',
        COLUMNS,
        TAGS,
        [{ k_timestamp: 1_800_000_000_000_000_000n, v: 1n, host: 'z', rack: 0 }],
        'ns',
      ),
    );
    const next = await client.readAfter('metrics', end.cursor, 10);
    expect(next.rows.map((r) => r['host'])).toEqual(['z']);
    expect(next.cursor).toEqual({ ts: 1_800_000_000_000_000_000n, primaryTags: ['z', 0] });
  });

  it('reads only rows with timestamp <= until (inclusive), in the query, page by page', async () => {
    const until = 1_700_000_000_000_000_002n;
    const expected = sorted().filter((r) => (r['k_timestamp'] as bigint) <= until);
    expect(expected).toHaveLength(14);
    const out: Row[] = [];
    let cursor: Cursor | null = null;
    for (let i = 0; i < 20; i++) {
      const page = await client.readAfter('metrics', cursor, 3, { until });
      out.push(...page.rows);
      cursor = page.cursor;
      if (page.rows.length < 3) break;
    }
    expect(out).toEqual(expected);
    // Nothing above the bound, even with room in the page.
    expect((await client.readAfter('metrics', cursor, 100, { until })).rows).toEqual([]);
    // A bound below every row: nothing; the bound exactly at a row's timestamp includes it.
    expect((await client.readAfter('metrics', null, 100, { until: 0n })).rows).toEqual([]);
    const exact = await client.readAfter('metrics', null, 100, { until: 1_700_000_000_000_000_001n });
    expect(exact.rows).toHaveLength(7);
  });

  it('bounds a ms table (timestamptz(3)) inclusively at sub-ms bounds', async () => {
    await client.write(
      makeBatch(
        'ms_bound',
        COLUMNS,
        TAGS.slice(0, 1),
        [1_000n, 1_001n, 1_002n].map((ms) => ({ k_timestamp: ms * 1_000_000n, v: ms, host: 'a' })),
        'ms',
      ),
    );
    const ts = async (until: bigint): Promise<unknown[]> =>
      (await client.readAfter('ms_bound', null, 10, { until })).rows.map((r) => r['k_timestamp']);
    expect(await ts(1_001_000_000n)).toEqual([1_000_000_000n, 1_001_000_000n]);
    expect(await ts(1_001_999_999n)).toEqual([1_000_000_000n, 1_001_000_000n]);
    expect(await ts(1_000_999_999n)).toEqual([1_000_000_000n]);
  });

  it('readAfter and describeTable on a missing or dropped table throw TableNotFoundError', async () => {
    await expect(client.readAfter('never_there', null, 10)).rejects.toBeInstanceOf(TableNotFoundError);
    await client.write(
      makeBatch(
        'doomed',
        COLUMNS,
        TAGS.slice(0, 1),
        [{ k_timestamp: 1n * 1_000_000n, v: 1n, host: 'a' }],
        'ms',
      ),
    );
    expect((await client.readAfter('doomed', null, 10)).rows).toHaveLength(1); // schema now cached
    await raw.query('DROP TABLE doomed');
    const error = await client.readAfter('doomed', null, 10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TableNotFoundError);
    expect(error).toMatchObject({ code: 'TABLE_NOT_FOUND', retriable: false, table: 'doomed' });
    expect(((error as Error).cause as { code?: string }).code).toBe('42P01');
    // The cached schema was forgotten: describe asks the database again.
    await expect(client.describeTable('doomed')).rejects.toBeInstanceOf(TableNotFoundError);
  });

  it('refuses a cursor with the wrong number of primary tags', async () => {
    await expect(client.readAfter('metrics', { ts: 0n, primaryTags: ['h0'] }, 1)).rejects.toThrow(/2/);
  });

  it('describes a table that does not exist as TABLE_NOT_FOUND', async () => {
    await expect(client.describeTable('nope')).rejects.toMatchObject({
      code: 'TABLE_NOT_FOUND',
      retriable: false,
    });
  });

  it('describes a hand-made table without recorded metadata from its primary key', async () => {
    await raw.query(
      'CREATE TABLE manual (ts timestamptz(6) NOT NULL, dev int8 NOT NULL, temp float8, PRIMARY KEY (ts, dev))',
    );
    await raw.query(`INSERT INTO manual VALUES ('2024-01-01 00:00:00.123456+00', 1, 1.5)`);
    const schema = await client.describeTable('manual');
    expect(schema).toEqual({
      name: 'manual',
      precision: 'us',
      columns: [
        { name: 'ts', type: 'TIMESTAMPTZ', length: 64, nullable: false },
        { name: 'temp', type: 'FLOAT8', length: 64, nullable: true },
      ],
      tags: [{ name: 'dev', type: 'INT8', length: 64, nullable: false, primary: true }],
    });
    const page = await client.readAfter('manual', null, 10);
    expect(page.rows).toEqual([{ ts: 1_704_067_200_123_456_000n, temp: 1.5, dev: 1n }]);
  });
});
