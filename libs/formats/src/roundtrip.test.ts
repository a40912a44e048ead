// Round trips: decode(encode(batch)) gives the batch back, for everything each format can express.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { coerceValue, decode, encode, LINE_INFLUXDB_TIMESTAMP, recordKey, rowValue } from './index';
import type { Batch, ColumnDef, KwdbType, Precision, Row, TagDef, Value } from './index';
import { epochToNanos, nanosPerUnit, timestampRange } from './timestamps';

// FC_RUNS=5000 runs a longer search locally; the default keeps the suite to seconds.
const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 150) };

const nameArb = fc
  .string({ minLength: 1, maxLength: 12 })
  .filter((s) => !/[\n\r]/.test(s) && s !== '__proto__');
const textArb = fc.string({ maxLength: 12 }).filter((s) => !/[\n\r]/.test(s));

function timestampArb(precision: Precision): fc.Arbitrary<bigint> {
  const { min, max } = timestampRange(precision);
  const unit = nanosPerUnit(precision);
  return fc
    .bigInt({ min: min / unit + 1n, max: max / unit - 1n })
    .map((epoch) => epochToNanos(epoch, precision));
}

function valueArb(type: KwdbType, precision: Precision): fc.Arbitrary<Value> {
  switch (type) {
    case 'TIMESTAMP':
    case 'TIMESTAMPTZ':
      return timestampArb(precision);
    case 'INT2':
      return fc.integer({ min: -32768, max: 32767 });
    case 'INT4':
      return fc.integer({ min: -2147483648, max: 2147483647 });
    case 'INT8':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'FLOAT4':
      return fc.float({ noNaN: true, noDefaultInfinity: true }).map((f) => f);
    case 'FLOAT8':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'BOOL':
      return fc.boolean();
    case 'VARBYTES':
      return fc.uint8Array({ maxLength: 8 });
    default:
      return textArb;
  }
}

const COLUMN_TYPES: KwdbType[] = [
  'INT2',
  'INT4',
  'INT8',
  'FLOAT4',
  'FLOAT8',
  'BOOL',
  'CHAR',
  'NCHAR',
  'VARCHAR',
  'NVARCHAR',
  'VARBYTES',
  'GEOMETRY',
  'TIMESTAMP',
];
const PRIMARY_TAG_TYPES: KwdbType[] = ['INT2', 'INT4', 'INT8', 'BOOL', 'CHAR', 'NCHAR', 'VARCHAR'];
const TAG_TYPES: KwdbType[] = [...PRIMARY_TAG_TYPES, 'FLOAT4', 'FLOAT8', 'VARBYTES'];

/** A typed batch as the source reads it from KWDB: timestamp first, one primary tag, unique names. */
function typedBatchArb(
  precisions: readonly Precision[],
  options: { nonEmptyText?: boolean } = {},
): fc.Arbitrary<{ batch: Batch; precision: Precision }> {
  return fc
    .record({
      precision: fc.constantFrom(...precisions),
      table: nameArb.filter((s) => !s.startsWith('#')),
      names: fc.uniqueArray(nameArb, { minLength: 3, maxLength: 9 }),
      tsType: fc.constantFrom<KwdbType>('TIMESTAMP', 'TIMESTAMPTZ'),
      columnTypes: fc.array(fc.constantFrom(...COLUMN_TYPES), { minLength: 8, maxLength: 8 }),
      primaryType: fc.constantFrom(...PRIMARY_TAG_TYPES),
      tagTypes: fc.array(fc.constantFrom(...TAG_TYPES), { minLength: 8, maxLength: 8 }),
      tagCount: fc.integer({ min: 1, max: 3 }),
      seed: fc.integer(),
    })
    .chain(({ precision, table, names, tsType, columnTypes, primaryType, tagTypes, tagCount, seed }) => {
      const tagNames = names.slice(0, Math.min(tagCount, names.length - 2));
      const columnNames = names.slice(tagNames.length);
      const columns: ColumnDef[] = columnNames.map((name, i) =>
        i === 0 ? { name, type: tsType } : { name, type: columnTypes[i] as KwdbType },
      );
      const tags: TagDef[] = tagNames.map((name, i) =>
        i === 0
          ? { name, type: primaryType, primary: true, nullable: false }
          : { name, type: tagTypes[i] as KwdbType, primary: false, nullable: true },
      );
      const cell = (def: ColumnDef, required: boolean): fc.Arbitrary<Value | undefined> => {
        let arb = valueArb(def.type, precision);
        if (options.nonEmptyText) arb = arb.filter((v) => !(typeof v === 'string' && v === ''));
        return required
          ? arb
          : fc
              .option(arb, { nil: undefined, freq: 3 })
              .chain((v) =>
                v === undefined ? fc.constantFrom<Value | undefined>(undefined, null) : fc.constant(v),
              );
      };
      const rowArb = fc
        .tuple(...columns.map((c, i) => cell(c, i === 0 || i === 1)), ...tags.map((t) => cell(t, t.primary)))
        .map((values) => {
          const row: Row = {};
          [...columns, ...tags].forEach((def, i) => {
            if (values[i] !== undefined) row[def.name] = values[i];
          });
          return row;
        });
      return fc.array(rowArb, { maxLength: 5 }).map((rows) => ({
        precision,
        batch: { table, columns, tags, rows, precision, canCreateTable: true } satisfies Batch,
        seed,
      }));
    });
}

/** Rows as [key, value] lists: Jest's type check reads `row.constructor`, which a column may be named. */
const entries = (rows: Row[]) =>
  rows.map((row) => Object.entries(row).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Rows in the order the JSON encoders emit them: grouped by record key, groups in order of first appearance. */
function groupedRows(batch: Batch): Row[] {
  const groups = new Map<string, Row[]>();
  for (const row of batch.rows) {
    const key = recordKey(batch, row);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()].flat();
}

describe('round trips', () => {
  it('json_kaiwudb: decode(encode(batch)) equals the batch', () => {
    fc.assert(
      fc.property(typedBatchArb(['ms', 'us', 'ns']), ({ batch, precision }) => {
        const records = encode('json_kaiwudb', batch, { precision });
        const decoded = records.map((r) => decode('json_kaiwudb', r.value, { precision }));
        expect(decoded.flatMap((d) => d.errors)).toEqual([]);
        expect(entries(decoded.flatMap((d) => d.batches.flatMap((b) => b.rows)))).toStrictEqual(
          entries(groupedRows(batch)),
        );
        for (const { batches } of decoded) {
          expect(batches[0]?.columns).toStrictEqual(batch.columns);
          expect(batches[0]?.tags).toStrictEqual(batch.tags);
          expect(batches[0]?.table).toBe(batch.table);
        }
        for (const record of records)
          expect(record.key).toBe(
            recordKey(batch, decode('json_kaiwudb', record.value, { precision }).batches[0]!.rows[0]!),
          );
      }),
      RUNS,
    );
  });

  it('line_influxdb: every value decodes and coerces back to the original for its column type', () => {
    fc.assert(
      fc.property(typedBatchArb(['ms', 'us', 'ns'], { nonEmptyText: true }), ({ batch, precision }) => {
        const rows = batch.rows.filter((row) =>
          batch.columns
            .slice(1)
            .some((c) => rowValue(row, c.name) !== undefined && rowValue(row, c.name) !== null),
        );
        const encodable = { ...batch, rows };
        const lines = encode('line_influxdb', encodable, { precision }).map((r) => r.value);
        const { batches, errors } = decode('line_influxdb', lines.join('\n'), { precision });
        expect(errors).toEqual([]);
        const decodedRows = batches.flatMap((b) => b.rows);
        expect(decodedRows).toHaveLength(rows.length);
        rows.forEach((row, i) => {
          const decodedRow = decodedRows[i] as Row;
          expect(decodedRow[LINE_INFLUXDB_TIMESTAMP]).toBe(rowValue(row, batch.columns[0]!.name));
          for (const def of [...batch.columns.slice(1), ...batch.tags]) {
            const original = rowValue(row, def.name);
            if (original === undefined || original === null) {
              expect(rowValue(decodedRow, def.name)).toBeUndefined();
              continue;
            }
            const written = rowValue(decodedRow, def.name);
            expect(written).toMatchObject({ kind: 'written' });
            const coerced = coerceValue(written as never, def.type, def.length, precision);
            if (typeof original === 'number' && def.type.startsWith('FLOAT'))
              expect(Object.is(coerced, original)).toBe(true);
            else expect(coerced).toStrictEqual(original);
          }
        });
      }),
      RUNS,
    );
  });

  /** Batches shaped as the OpenTSDB formats decode them: VARCHAR values holding numbers as written. */
  const openTsdbBatchArb = (numbersOnly: boolean) =>
    fc
      .record({
        precision: fc.constantFrom<Precision>('s', 'ms'),
        table: fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/),
        names: fc.uniqueArray(
          fc.stringMatching(/^[a-z][a-z0-9_.-]{0,8}$/).filter((s) => s !== 'timestamp'),
          { minLength: 2, maxLength: 8 },
        ),
        tagCount: fc.integer({ min: 1, max: 6 }),
      })
      .chain(({ precision, table, names, tagCount }) => {
        const tagNames = names.slice(0, Math.min(tagCount, names.length - 1)).sort();
        const columnNames = names.slice(tagNames.length);
        const valueArb = numbersOnly
          ? fc.oneof(
              fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
              fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
              fc.constantFrom('1.50', '1e3', '-0', '-1.5E-7'),
            )
          : fc.oneof(
              fc.string({ minLength: 0, maxLength: 10 }),
              fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
              fc.constantFrom('1.50', '-0', 'true'),
            );
        const tagValueArb = numbersOnly
          ? fc.stringMatching(/^[A-Za-z0-9_./-]{1,8}$/)
          : fc.string({ minLength: 1, maxLength: 8 });
        const rowArb = fc.record({
          ts: timestampArb(precision === 's' ? 'ms' : precision).map(
            (n) => (n / 1_000_000_000n) * 1_000_000_000n,
          ),
          values: fc.array(fc.option(valueArb, { nil: undefined }), {
            minLength: columnNames.length,
            maxLength: columnNames.length,
          }),
          tags: fc.array(tagValueArb, { minLength: tagNames.length, maxLength: tagNames.length }),
        });
        return fc
          .uniqueArray(rowArb, { maxLength: 5, selector: (r) => `${r.ts}|${r.tags.join('|')}` })
          .map((generated) => {
            const rows = generated
              .filter((r) => r.values.some((v) => v !== undefined))
              .map((r) => {
                const row: Row = { timestamp: r.ts };
                columnNames.forEach((name, i) => {
                  if (r.values[i] !== undefined) row[name] = r.values[i];
                });
                tagNames.forEach((name, i) => (row[name] = r.tags[i] as string));
                return row;
              });
            const usedColumns = columnNames.filter((name) =>
              rows.some((row) => rowValue(row, name) !== undefined),
            );
            const batch: Batch = {
              table,
              columns: [
                { name: 'timestamp', type: 'TIMESTAMPTZ', nullable: false },
                ...usedColumns.map((name): ColumnDef => ({ name, type: 'VARCHAR', length: 254 })),
              ],
              tags: tagNames.map((name, i): TagDef =>
                i < 4
                  ? { name, type: 'VARCHAR', length: 128, primary: true, nullable: false }
                  : { name, type: 'VARCHAR', length: 254, primary: false, nullable: true },
              ),
              rows,
              precision: 'ms',
              canCreateTable: true,
            };
            return { batch, precision };
          });
      })
      .filter(({ batch }) => batch.rows.length > 0);

  /** The columns in the order the decoder meets them, which may differ from the batch's order. */
  const sameColumns = (decoded: Batch, batch: Batch) =>
    expect([...decoded.columns].sort((a, b) => a.name.localeCompare(b.name))).toStrictEqual(
      [...batch.columns].sort((a, b) => a.name.localeCompare(b.name)),
    );

  it('json_opentsdb: decode(encode(batch)) equals the batch (values as exact text)', () => {
    fc.assert(
      fc.property(openTsdbBatchArb(false), ({ batch, precision }) => {
        const records = encode('json_opentsdb', batch, { precision });
        const decoded = records.map((r) => decode('json_opentsdb', r.value, { precision }));
        expect(decoded.flatMap((d) => d.errors)).toEqual([]);
        expect(entries(decoded.flatMap((d) => d.batches.flatMap((b) => b.rows)))).toStrictEqual(
          entries(groupedRows(batch)),
        );
        for (const { batches } of decoded) expect(batches[0]?.tags).toStrictEqual(batch.tags);
      }),
      RUNS,
    );
  });

  it('line_opentsdb: decoding all encoded lines as one message gives the batch back', () => {
    fc.assert(
      fc.property(openTsdbBatchArb(true), ({ batch, precision }) => {
        const lines = encode('line_opentsdb', batch, { precision }).map((r) => r.value);
        const { batches, errors } = decode('line_opentsdb', lines.join('\n'), { precision });
        expect(errors).toEqual([]);
        expect(batches).toHaveLength(1);
        expect(entries(batches[0]!.rows)).toStrictEqual(entries(batch.rows));
        sameColumns(batches[0]!, batch);
      }),
      RUNS,
    );
  });

  it.each(['json_kaiwudb', 'json_opentsdb', 'line_influxdb'] as const)(
    '%s: columns named like Object properties (constructor, valueOf) are never read from the prototype (found by fast-check)',
    (format) => {
      const batch: Batch = {
        table: 't',
        columns: [
          { name: 'ts', type: 'TIMESTAMP' },
          { name: 'v', type: 'INT2' },
          { name: 'constructor', type: 'INT2' },
          { name: 'valueOf', type: 'VARCHAR' },
        ],
        tags: [{ name: 'toString', type: 'INT2', primary: true, nullable: false }],
        rows: [{ ts: 1_000_000n, v: 1, toString: 2 }],
        precision: 'ms',
        canCreateTable: true,
      };
      const records = encode(format, batch, { precision: 'ms' });
      expect(records.map((r) => r.value).join('\n')).not.toMatch(
        /"(constructor|valueOf)":|t\.(constructor|valueOf)|(constructor|valueOf)=|function/,
      );
      const { errors, batches } = decode(format, records[0]!.value, { precision: 'ms' });
      expect(errors).toEqual([]);
      expect(Object.keys(batches[0]!.rows[0]!).sort()).toEqual(
        format === 'json_kaiwudb'
          ? ['toString', 'ts', 'v']
          : format === 'json_opentsdb'
            ? ['timestamp', 'toString', 'v']
            : ['', 'toString', 'v'],
      );
    },
  );

  it('encode refuses what a format cannot express instead of writing something else', () => {
    const batch: Batch = {
      table: 't',
      columns: [
        { name: 'ts', type: 'TIMESTAMP' },
        { name: 'f', type: 'FLOAT8' },
      ],
      tags: [{ name: 'k', type: 'VARCHAR', primary: true, nullable: false }],
      rows: [{ ts: 1_500_000n, f: Number.NaN, k: 'a b' }],
      precision: 'ms',
      canCreateTable: true,
    };
    expect(() => encode('json_kaiwudb', batch, { precision: 'ms' })).toThrow(
      expect.objectContaining({ code: 'FORMAT_NOT_REPRESENTABLE' }),
    );
    expect(() =>
      encode('json_kaiwudb', { ...batch, rows: [{ ts: 1_500_000n, f: 1, k: 'a' }] }, { precision: 'ms' }),
    ).toThrow(/not a whole number of ms/);
    expect(() =>
      encode('line_opentsdb', { ...batch, rows: [{ ts: 1_000_000n, f: 1, k: 'a b' }] }, { precision: 'ms' }),
    ).toThrow(/tag value "a b"/);
    expect(() =>
      encode('line_influxdb', { ...batch, rows: [{ ts: 1_000_000n, f: null, k: 'a' }] }, { precision: 'ms' }),
    ).toThrow(/no non-null field/);
  });
});
