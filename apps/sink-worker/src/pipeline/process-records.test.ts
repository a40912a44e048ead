import { describe, expect, it } from '@jest/globals';
import type { Batch } from '@kwdb-connect/formats';
import { processRecords, type DecodeOutput } from './process-records';
import type { SinkRecord } from './record';

function record(offset: number, value: string | null): SinkRecord {
  return {
    topic: 't',
    partition: 0,
    offset: String(offset),
    key: null,
    value: value === null ? null : Buffer.from(value),
    headers: {},
    timestamp: '0',
  };
}

/** A fake decoder: "rows:a:3" gives 3 rows of table a, "bad" fails, "half:a" gives 1 row and 1 error. */
function decode(r: SinkRecord): DecodeOutput {
  const text = r.value!.toString();
  const batchOf = (table: string, n: number): Batch => ({
    table,
    columns: [{ name: 'ts', type: 'TIMESTAMPTZ' }],
    tags: [],
    rows: Array.from({ length: n }, (_, i) => ({ ts: BigInt(i) })),
    precision: 'ms',
    canCreateTable: true,
  });
  if (text === 'bad') return { batches: [], errors: [new Error('undecodable')] };
  if (text.startsWith('half:'))
    return { batches: [batchOf(text.slice(5), 1)], errors: [new Error('line 2 bad')] };
  const [, table, n] = text.split(':');
  return { batches: [batchOf(table!, Number(n))], errors: [] };
}

describe('processRecords', () => {
  it('writes every good row and reports nothing when all is well', async () => {
    let written = 0;
    const result = await processRecords([record(0, 'rows:a:2'), record(1, 'rows:a:3')], {
      decode,
      batchSize: 1000,
      stopAtFirstFailure: false,
      write: async (batches) => {
        written = batches.reduce((n, b) => n + b.rows.length, 0);
        return { rejected: [] };
      },
    });
    expect(written).toBe(5);
    expect(result.failures).toEqual([]);
    expect(result.written).toEqual([true, true]);
    expect(result.rowsPerTable.get('a')).toBe(5);
  });

  it('tolerance=all: decode and write failures are traced to their records; good records are written', async () => {
    const result = await processRecords(
      [record(0, 'rows:a:2'), record(1, 'bad'), record(2, 'rows:b:1'), record(3, 'rows:a:1')],
      {
        decode,
        batchSize: 1000,
        stopAtFirstFailure: false,
        // The database rejects the only row of table b (record 2).
        write: async (batches) => ({
          rejected: [
            { batch: batches.findIndex((b) => b.table === 'b'), row: 0, error: new Error('table missing') },
          ],
        }),
      },
    );
    expect(result.firstFailures.map((f) => [f.index, f.stage])).toEqual([
      [1, 'decode'],
      [2, 'write'],
    ]);
    expect(result.written).toEqual([true, false, false, true]);
  });

  it('tolerance=none: nothing after the first undecodable record is decoded or written', async () => {
    const decoded: string[] = [];
    let writtenRows = 0;
    const result = await processRecords([record(0, 'rows:a:2'), record(1, 'half:a'), record(2, 'rows:a:4')], {
      decode: (r) => {
        decoded.push(r.offset);
        return decode(r);
      },
      batchSize: 1000,
      stopAtFirstFailure: true,
      write: async (batches) => {
        writtenRows = batches.reduce((n, b) => n + b.rows.length, 0);
        return { rejected: [] };
      },
    });
    expect(decoded).toEqual(['0', '1']);
    expect(writtenRows).toBe(2);
    expect(result.written).toEqual([true, false, false]);
  });

  it('a tombstone (null value) is done without a write', async () => {
    const result = await processRecords([record(0, null)], {
      decode,
      batchSize: 10,
      stopAtFirstFailure: true,
      write: async () => {
        throw new Error('must not write');
      },
    });
    expect(result.written).toEqual([true]);
  });

  it('writes in chunks of about batch.size rows, in record order', async () => {
    const calls: number[] = [];
    const result = await processRecords(
      [record(0, 'rows:a:2'), record(1, 'rows:a:2'), record(2, 'rows:b:3'), record(3, 'rows:a:1')],
      {
        decode,
        batchSize: 4,
        stopAtFirstFailure: false,
        write: async (batches) => {
          calls.push(batches.reduce((n, b) => n + b.rows.length, 0));
          return { rejected: [] };
        },
      },
    );
    expect(calls).toEqual([4, 4]);
    expect(result.rowsPerTable).toEqual(
      new Map([
        ['a', 5],
        ['b', 3],
      ]),
    );
    expect(result.written).toEqual([true, true, true, true]);
  });

  it('tolerance=none: a row rejected in one chunk stops the later chunks', async () => {
    const calls: number[] = [];
    const result = await processRecords(
      [record(0, 'rows:a:2'), record(1, 'rows:b:2'), record(2, 'rows:a:2')],
      {
        decode,
        batchSize: 2,
        stopAtFirstFailure: true,
        write: async (batches) => {
          calls.push(batches.length);
          // The first chunk's only row batch is rejected at row 1.
          return calls.length === 1
            ? { rejected: [{ batch: 0, row: 1, error: new Error('too long') }] }
            : { rejected: [] };
        },
      },
    );
    expect(calls).toEqual([1]);
    expect(result.firstFailures.map((f) => [f.index, f.stage])).toEqual([[0, 'write']]);
    expect(result.written).toEqual([false, false, false]);
  });
});
