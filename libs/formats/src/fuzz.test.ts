// Fuzzing: mutated guide examples and random text never crash a decoder, and whatever a decoder
// accepts is well-formed (every value has its column's type and range, timestamps and primary
// tags are present). Nothing is silently dropped: a non-blank message gives rows or errors.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode, FormatError, LINE_INFLUXDB_TIMESTAMP, rowValue } from './index';
import type { Batch, Precision, Protocol } from './index';
import { isTimestampInRange } from './timestamps';

// FC_RUNS=5000 runs a longer search locally; the default keeps the suite to seconds.
const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 250) };

const EXAMPLES: [Protocol, Precision, string][] = [
  ['json_kaiwudb', 'ms', 'json-kaiwudb/testdata/guide-sink-test-data.txt'],
  ['json_kaiwudb', 'ms', 'json-kaiwudb/testdata/guide-source-output.txt'],
  ['json_opentsdb', 'ms', 'json-opentsdb/testdata/guide-example.txt'],
  ['line_opentsdb', 'ms', 'line-opentsdb/testdata/guide-example.txt'],
  ['line_influxdb', 'ns', 'line-influxdb/testdata/guide-example.txt'],
];

/** Fails the test when an accepted batch holds a value its definition does not allow. */
function expectWellFormed(batch: Batch, protocol: Protocol, precision: Precision): void {
  expect(batch.table.length).toBeGreaterThan(0);
  const defs = [
    ...batch.columns.map((def) => ({ def, tag: false })),
    ...batch.tags.map((def) => ({ def, tag: true })),
  ];
  for (const row of batch.rows) {
    const tsName = batch.columns[0]!.name;
    if (protocol !== 'line_influxdb') expect(typeof rowValue(row, tsName)).toBe('bigint');
    if (rowValue(row, tsName) !== undefined)
      expect(isTimestampInRange(rowValue(row, tsName) as bigint, precision)).toBe(true);
    for (const key of Object.keys(row)) expect(defs.some(({ def }) => def.name === key)).toBe(true);
    for (const { def, tag } of defs) {
      const value = rowValue(row, def.name);
      if (tag && 'primary' in def && def.primary) expect(value).not.toBeUndefined();
      if (value === undefined || value === null) continue;
      if (def.inferred) {
        expect(value).toMatchObject({ kind: 'written' });
        continue;
      }
      switch (def.type) {
        case 'TIMESTAMP':
        case 'TIMESTAMPTZ':
          expect(typeof value).toBe('bigint');
          break;
        case 'INT2':
          expect(Number.isInteger(value) && (value as number) >= -32768 && (value as number) <= 32767).toBe(
            true,
          );
          break;
        case 'INT4':
          expect(Number.isInteger(value) && Math.abs(value as number) <= 2147483648).toBe(true);
          break;
        case 'INT8':
          expect(typeof value === 'bigint' && value >= -(2n ** 63n) && value < 2n ** 63n).toBe(true);
          break;
        case 'FLOAT4':
        case 'FLOAT8':
          expect(Number.isFinite(value)).toBe(true);
          break;
        case 'BOOL':
          expect(typeof value).toBe('boolean');
          break;
        case 'VARBYTES':
          expect(value).toBeInstanceOf(Uint8Array);
          break;
        default:
          expect(typeof value).toBe('string');
      }
    }
  }
}

function checkDecode(protocol: Protocol, precision: Precision, message: string | Uint8Array): void {
  const { batches, errors } = decode(protocol, message, { precision });
  for (const error of errors) {
    expect(error).toBeInstanceOf(FormatError);
    expect(error.line).toBeGreaterThanOrEqual(1);
  }
  for (const batch of batches) expectWellFormed(batch, protocol, precision);
  const text = typeof message === 'string' ? message : Buffer.from(message).toString('latin1');
  const blank = text
    .split('\n')
    .every((line) => line.trim() === '' || (protocol === 'line_influxdb' && line.startsWith('#')));
  const rows = batches.reduce((n, b) => n + b.rows.length, 0);
  if (!blank && protocol !== 'json_kaiwudb') expect(rows + errors.length).toBeGreaterThan(0);
  if (!blank && protocol === 'json_kaiwudb') expect(batches.length + errors.length).toBeGreaterThan(0);
}

/** Random edits of a text: replace, insert or delete characters, or truncate. */
const mutationsArb = fc.array(
  fc.record({
    kind: fc.constantFrom('replace', 'insert', 'delete', 'truncate'),
    at: fc.nat(),
    char: fc.constantFrom(...'{}[]",:0123456789-.eE \\=\'Lxit\n'.split(''), '\u00ff', '\u4e2d'),
  }),
  { minLength: 1, maxLength: 4 },
);

function mutate(text: string, mutations: { kind: string; at: number; char: string }[]): string {
  let out = text;
  for (const { kind, at, char } of mutations) {
    const i = out.length === 0 ? 0 : at % out.length;
    if (kind === 'replace') out = out.slice(0, i) + char + out.slice(i + 1);
    else if (kind === 'insert') out = out.slice(0, i) + char + out.slice(i);
    else if (kind === 'delete') out = out.slice(0, i) + out.slice(i + 1);
    else out = out.slice(0, i);
  }
  return out;
}

describe('fuzzing', () => {
  it.each(EXAMPLES)(
    '%s: mutations of the guide example (%s, %s) never crash and never yield ill-typed rows',
    (protocol, precision, file) => {
      const example = readFileSync(join(import.meta.dirname, file), 'utf8').split('\n')[0] as string;
      fc.assert(
        fc.property(mutationsArb, (mutations) =>
          checkDecode(protocol, precision, mutate(example, mutations)),
        ),
        RUNS,
      );
    },
  );

  it.each(EXAMPLES.map(([p, precision]) => [p, precision] as const))(
    '%s: random text and bytes never crash',
    (protocol, precision) => {
      fc.assert(
        fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.uint8Array({ maxLength: 60 })), (message) =>
          checkDecode(protocol, precision, message),
        ),
        RUNS,
      );
    },
  );

  it('line_influxdb: digit and suffix soup is never accepted with an out-of-range value', () => {
    const token = fc.stringMatching(
      /^-?[0-9]{1,25}(\.[0-9]{0,3})?(e[0-9]{1,3})?(i|i16|i32|i64|f32|f64|u|x)?$/,
    );
    fc.assert(
      fc.property(token, (value) => checkDecode('line_influxdb', 'ms', `m,t=1 f=${value} 1`)),
      RUNS,
    );
  });

  it(`line_influxdb: the timestamp column is named "${LINE_INFLUXDB_TIMESTAMP}" and is the only unnamed key`, () => {
    const { batches } = decode('line_influxdb', 'm f=1 5', { precision: 'ms' });
    expect(Object.keys(batches[0]!.rows[0]!).sort()).toEqual(['', 'f']);
  });
});
