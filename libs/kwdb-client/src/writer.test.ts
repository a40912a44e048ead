// writeBatches with a recording dialect (no database): statement sizes,
// grouping by table, isolation of a bad row, retriable errors thrown.
import { describe, expect, it } from '@jest/globals';
import type { Batch, Row } from '@kwdb-connect/formats';
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
} {
  const statements: Array<[string, number]> = [];
  const dialect = {
    name: 'postgres',
    async insert(_pool: pg.Pool, schema: TableSchema, prepared: PreparedRow[]) {
      const error = fail?.(prepared);
      if (error) throw error;
      statements.push([schema.name, prepared.length]);
      return prepared.length;
    },
  } as unknown as Dialect;
  return { dialect, statements };
}

function context(dialect: Dialect, batchSize: number) {
  return {
    pool: {} as pg.Pool,
    dialect,
    batchSize,
    coerce: () => null,
    schemaFor: async (batch: Batch) => tableFromBatch(batch, 'postgres'),
    forget: () => undefined,
  };
}

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
    const result = await writeBatches(context(dialect, 10), [batchOf('t', rows(1)), batchOf('t', input)]);
    expect(result.rowsWritten).toBe(3);
    expect(result.rejected.map((r) => [r.batch, r.row, r.error.code])).toEqual([[1, 1, 'VALUE_INVALID']]);
  });

  it('chunk splits evenly and keeps order', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
  });
});
