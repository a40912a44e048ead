// writeBatches with a recording dialect (no database): statement sizes,
// grouping by table, isolation of a bad row, retriable errors thrown, merging
// of rows with one key, tables that gain columns, line_influxdb timestamps.
import { describe, expect, it } from '@jest/globals';
import { LINE_INFLUXDB_TIMESTAMP, type Batch, type Row } from '@kwdb-connect/formats';
import type pg from 'pg';
import type { Dialect } from './dialects/dialect';
import { ConnectionError } from './errors';
import { tableFromBatch } from './schema/definition';
import type { PreparedRow, TableSchema } from './types';
import { chunk, writeBatches } from './writer';

const batchOf = (table: string, rows: Row[]): Batch => ({
  table,
  columns: [
    { name: 'ts', type: 'TIMESTAMPTZ' },
    { name: 'v', type: 'INT4' },
  ],
  tags: [{ name: 'id', type: 'VARCHAR', length: 8, primary: true, nullable: false }],
  rows,
  precision: 'ms',
  canCreateTable: true,
});
const rows = (n: number, id = 'a'): Row[] =>
  Array.from({ length: n }, (_, i) => ({ ts: BigInt(i) * 1_000_000n, v: i, id }));

function recordingDialect(fail?: (rows: PreparedRow[]) => Error | undefined): {
  dialect: Dialect;
  statements: Array<[string, number]>;
  sent: PreparedRow[][];
} {
  const statements: Array<[string, number]> = [];
  const sent: PreparedRow[][] = [];
  const dialect = {
    name: 'postgres',
    async insert(_pool: pg.Pool, schema: TableSchema, prepared: PreparedRow[]) {
      const error = fail?.(prepared);
      if (error) throw error;
      statements.push([schema.name, prepared.length]);
      sent.push(prepared);
      return prepared.length;
    },
  } as unknown as Dialect;
  return { dialect, statements, sent };
}

function context(dialect: Dialect, batchSize: number) {
  return {
    pool: {} as pg.Pool,
    dialect,
    batchSize,
    coerce: () => null,
    schemaFor: async (batch: Batch) => tableFromBatch(batch, 'postgres'),
    forget: () => undefined,
    now: () => 42_000_000n,
  };
}

/** An OpenTSDB-like batch of one metric column (table t, tag1 primary). */
const metric = (column: string, rows: Row[]): Batch => ({
  table: 't',
  columns: [
    { name: 'timestamp', type: 'TIMESTAMPTZ', nullable: false },
    { name: column, type: 'VARCHAR', length: 254 },
  ],
  tags: [{ name: 'tag1', type: 'VARCHAR', length: 128, primary: true, nullable: false }],
  rows,
  precision: 'ms',
  canCreateTable: true,
  canAddColumns: true,
});
const T1 = 1_648_432_611_249_000_000n;
const T2 = 1_648_432_611_250_000_000n;
const OPENTSDB_TABLE: TableSchema = {
  name: 't',
  precision: 'ms',
  columns: [
    { name: 'timestamp', type: 'TIMESTAMPTZ', nullable: false },
    { name: 'c1', type: 'VARCHAR', length: 254, nullable: true },
    { name: 'c2', type: 'VARCHAR', length: 254, nullable: true },
  ],
  tags: [{ name: 'tag1', type: 'VARCHAR', length: 128, nullable: false, primary: true }],
};

describe('writeBatches', () => {
  it.each([
    { batchSize: 1000, rows: 2500, statements: [1000, 1000, 500] },
    { batchSize: 5000, rows: 2500, statements: [2500] },
    { batchSize: 1, rows: 3, statements: [1, 1, 1] },
  ])('sends at most batch.size=$batchSize rows per statement', async ({ batchSize, rows: n, statements }) => {
    const { dialect, statements: sent } = recordingDialect();
    const result = await writeBatches(context(dialect, batchSize), [batchOf('t', rows(n))]);
    expect(sent.map(([, size]) => size)).toEqual(statements);
    expect(result).toEqual({ rowsWritten: n, rejected: [] });
  });

  it('groups rows of several batches by table before chunking', async () => {
    const { dialect, statements } = recordingDialect();
    await writeBatches(context(dialect, 10), [
      batchOf('a', rows(4)),
      batchOf('b', rows(3)),
      batchOf('a', rows(4, 'b')),
    ]);
    expect(statements).toEqual([
      ['a', 8],
      ['b', 3],
    ]);
  });

  it('finds the row at fault when the server refuses a statement, and writes the others', async () => {
    const bad = (p: PreparedRow[]) =>
      p.some((r) => r[1] === 2)
        ? Object.assign(new Error('boom'), { code: '22P02', severity: 'ERROR' })
        : undefined;
    const { dialect, statements } = recordingDialect(bad);
    const result = await writeBatches(context(dialect, 10), [batchOf('t', rows(4))]);
    expect(result.rowsWritten).toBe(3);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]).toMatchObject({
      batch: 0,
      row: 2,
      error: { code: 'VALUE_INVALID', retriable: false },
    });
    expect(statements).toEqual([
      ['t', 1],
      ['t', 1],
      ['t', 1],
    ]);
  });

  it('throws a retriable error instead of rejecting rows', async () => {
    const { dialect } = recordingDialect(() => new Error('Connection terminated unexpectedly'));
    await expect(writeBatches(context(dialect, 10), [batchOf('t', rows(2))])).rejects.toBeInstanceOf(
      ConnectionError,
    );
  });

  it('rejects only the bad rows of a batch, with their indexes', async () => {
    const { dialect } = recordingDialect();
    const input = rows(3);
    input[1] = { ...input[1]!, v: 'x' };
    const result = await writeBatches(context(dialect, 10), [
      batchOf('t', rows(1, 'z')),
      batchOf('t', input),
    ]);
    expect(result.rowsWritten).toBe(3);
    expect(result.rejected.map((r) => [r.batch, r.row, r.error.code])).toEqual([[1, 1, 'VALUE_INVALID']]);
  });

  it('merges rows of one key across batches: later given values override, missing keys keep earlier values', async () => {
    const { dialect, sent } = recordingDialect();
    const result = await writeBatches({ ...context(dialect, 10), schemaFor: async () => OPENTSDB_TABLE }, [
      metric('c1', [{ timestamp: T1, c1: '10.3', tag1: '1' }]),
      metric('c2', [{ timestamp: T1, c2: '219', tag1: '1' }]),
      metric('c1', [{ timestamp: T2, c1: '11.3', tag1: '1' }]),
      metric('c1', [{ timestamp: T1, c1: '10.8', tag1: '1' }]),
      metric('c2', [{ timestamp: T2, c2: null, tag1: '1' }]),
    ]);
    expect(result).toEqual({ rowsWritten: 2, rejected: [] });
    // One row per key, in order of first appearance; undefined = not given, null = given as NULL.
    expect(sent).toEqual([
      [
        [T1, '10.8', '219', '1'],
        [T2, '11.3', null, '1'],
      ],
    ]);
  });

  it('keeps rows of different keys (other primary tag value) apart', async () => {
    const { dialect, sent } = recordingDialect();
    await writeBatches({ ...context(dialect, 10), schemaFor: async () => OPENTSDB_TABLE }, [
      metric('c1', [{ timestamp: T1, c1: '1', tag1: 'a' }]),
      metric('c2', [{ timestamp: T1, c2: '2', tag1: 'b' }]),
    ]);
    expect(sent).toEqual([
      [
        [T1, '1', undefined, 'a'],
        [T1, undefined, '2', 'b'],
      ],
    ]);
  });

  it('rejects every row a merged row came from when the server refuses it', async () => {
    const { dialect } = recordingDialect(() =>
      Object.assign(new Error('boom'), { code: '22P02', severity: 'ERROR' }),
    );
    const result = await writeBatches({ ...context(dialect, 10), schemaFor: async () => OPENTSDB_TABLE }, [
      metric('c1', [{ timestamp: T1, c1: '1', tag1: 'a' }]),
      metric('c2', [{ timestamp: T1, c2: '2', tag1: 'a' }]),
    ]);
    expect(result.rowsWritten).toBe(0);
    expect(result.rejected.map((r) => [r.batch, r.row, r.error.code])).toEqual([
      [0, 0, 'VALUE_INVALID'],
      [1, 0, 'VALUE_INVALID'],
    ]);
  });

  it("checks every batch against its table's schema after a later batch added columns", async () => {
    // The first batch's schema lacks c2; the second batch's call adds it (as KwdbClient.ensureTable does).
    const before: TableSchema = { ...OPENTSDB_TABLE, columns: OPENTSDB_TABLE.columns.slice(0, 2) };
    const schemas = [before, OPENTSDB_TABLE];
    const { dialect, statements, sent } = recordingDialect();
    const result = await writeBatches({ ...context(dialect, 10), schemaFor: async () => schemas.shift()! }, [
      metric('c1', [{ timestamp: T1, c1: '10.3', tag1: '1' }]),
      metric('c2', [{ timestamp: T1, c2: '219', tag1: '1' }]),
    ]);
    expect(result).toEqual({ rowsWritten: 1, rejected: [] });
    expect(statements).toEqual([['t', 1]]);
    expect(sent[0]).toEqual([[T1, '10.3', '219', '1']]);
  });

  it("names line_influxdb's timestamp column after the table's first column and stamps rows without one", async () => {
    const influxTable: TableSchema = {
      name: 'm',
      precision: 'ms',
      columns: [
        { name: 'ts', type: 'TIMESTAMPTZ', nullable: false },
        { name: 'c1', type: 'INT4', nullable: true },
      ],
      tags: [{ name: 'id', type: 'VARCHAR', length: 8, nullable: false, primary: true }],
    };
    const influx: Batch = {
      table: 'm',
      columns: [
        { name: LINE_INFLUXDB_TIMESTAMP, type: 'TIMESTAMPTZ' },
        { name: 'c1', type: 'INT4', inferred: true },
      ],
      tags: [{ name: 'id', type: 'VARCHAR', inferred: true, primary: false, nullable: true }],
      rows: [
        { [LINE_INFLUXDB_TIMESTAMP]: 5_000_000n, c1: 1, id: 'a' },
        { c1: 2, id: 'a' },
      ],
      precision: 'ms',
      canCreateTable: false,
    };
    const { dialect, sent } = recordingDialect();
    const result = await writeBatches(
      { ...context(dialect, 10), coerce: (v) => Number(v.text), schemaFor: async () => influxTable },
      [influx],
    );
    expect(result).toEqual({ rowsWritten: 2, rejected: [] });
    expect(sent[0]).toEqual([
      [5_000_000n, 1, 'a'],
      [42_000_000n, 2, 'a'],
    ]);
  });

  it('chunk splits evenly and keeps order', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
  });
});
