// Checks one value against the real column it goes to, and normalises its JS
// representation (INT2/INT4 -> number, INT8 -> bigint). Nothing is truncated,
// rounded or replaced: a value the column cannot hold exactly is a ValueError.
//
// Limits: kwdb-rules.ts (KWDB's direct-insert value checks, kwbase/pkg/sql/insert_direct.go, and
// data-type-ts-db.md), the same for both dialects, so a record KWDB would refuse fails alone.

import type { Precision, Value } from '@kwdb-connect/formats';
import { ValueError } from '../errors';
import { FLOAT4_RANGE, INT_RANGE, LENGTH_IN_CHARACTERS } from '../kwdb-rules';
import { fractionDigits, timestampRange } from '../timestamps';
import type { TableColumn, TableSchema } from '../types';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be stored unchanged, or undefined when it can. */
export function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character, which the database cannot store';
  if (LONE_SURROGATE.test(text)) return 'is not valid UTF-8 (unpaired surrogate)';
  return undefined;
}

function typeName(value: Value): string {
  if (value instanceof Uint8Array) return 'bytes';
  if (value !== null && typeof value === 'object') return `a written value (${value.form})`;
  return typeof value;
}

/** Nanoseconds per unit of a table's timestamp precision: a stored timestamp is a multiple of it. */
const TIMESTAMP_UNIT_NS: Record<Precision, bigint> = {
  s: 10n ** BigInt(9 - fractionDigits('s')),
  ms: 10n ** BigInt(9 - fractionDigits('ms')),
  us: 10n ** BigInt(9 - fractionDigits('us')),
  ns: 10n ** BigInt(9 - fractionDigits('ns')),
};

type ValueErrorCode = ConstructorParameters<typeof ValueError>[0];

// Module-level rather than closures inside checkValue: checkValue runs once per value written
// (the closures were allocated every call, issue 17).
function fail(code: ValueErrorCode, schema: TableSchema, column: TableColumn, message: string): never {
  throw new ValueError(code, schema.name, column.name, message);
}

function wrongType(value: Value, schema: TableSchema, column: TableColumn): never {
  return fail('VALUE_INVALID', schema, column, `${column.type} cannot hold ${typeName(value)}`);
}

/**
 * Returns the value as it will be stored in `column` of `schema`, or throws a
 * ValueError (code VALUE_INVALID, VALUE_OUT_OF_RANGE, VALUE_TOO_LONG,
 * TEXT_INVALID, NULL_NOT_ALLOWED) naming table and column.
 */
export function checkValue(value: Value | undefined, column: TableColumn, schema: TableSchema): Value {
  if (value === null || value === undefined) {
    if (!column.nullable) fail('NULL_NOT_ALLOWED', schema, column, 'NULL is not allowed');
    return null;
  }
  switch (column.type) {
    case 'TIMESTAMP':
    case 'TIMESTAMPTZ': {
      if (typeof value !== 'bigint') return wrongType(value, schema, column);
      const range = timestampRange(schema.precision);
      if (value < range.min || value > range.max) {
        fail(
          'VALUE_OUT_OF_RANGE',
          schema,
          column,
          `timestamp ${value} ns is outside ${range.text} for precision ${schema.precision}`,
        );
      }
      const unit = TIMESTAMP_UNIT_NS[schema.precision];
      if (value % unit !== 0n) {
        fail(
          'VALUE_OUT_OF_RANGE',
          schema,
          column,
          `timestamp ${value} ns has more precision than the column's (${schema.precision})`,
        );
      }
      return value;
    }
    case 'INT2':
    case 'INT4':
    case 'INT8': {
      const [min, max] = INT_RANGE[column.type];
      if (typeof value === 'number' && Number.isInteger(value)) {
        if (!Number.isSafeInteger(value))
          fail('VALUE_OUT_OF_RANGE', schema, column, `${value} is not an exact integer`);
        // INT2/INT4 (the usual case) stay numbers: no BigInt per value. -0 is stored as 0.
        if (column.type !== 'INT8') {
          if (value < Number(min) || value > Number(max))
            fail(
              'VALUE_OUT_OF_RANGE',
              schema,
              column,
              `${value} is outside ${column.type} range ${min}..${max}`,
            );
          return value === 0 ? 0 : value;
        }
      } else if (typeof value !== 'bigint') return wrongType(value, schema, column);
      const big = typeof value === 'bigint' ? value : BigInt(value);
      if (big < min || big > max)
        fail('VALUE_OUT_OF_RANGE', schema, column, `${big} is outside ${column.type} range ${min}..${max}`);
      return column.type === 'INT8' ? big : Number(big);
    }
    case 'FLOAT4':
    case 'FLOAT8': {
      if (typeof value !== 'number') return wrongType(value, schema, column);
      if (!Number.isFinite(value))
        fail('VALUE_OUT_OF_RANGE', schema, column, `${value} is not a finite number`);
      const magnitude = Math.abs(value);
      if (
        column.type === 'FLOAT4' &&
        magnitude !== 0 &&
        (magnitude < FLOAT4_RANGE.minNonZero || magnitude > FLOAT4_RANGE.max)
      ) {
        fail(
          'VALUE_OUT_OF_RANGE',
          schema,
          column,
          `${value} is outside FLOAT4 range (0, or ${FLOAT4_RANGE.minNonZero} to ${FLOAT4_RANGE.max} in magnitude: ` +
            'KWDB refuses it, insert_direct.go convertFloat)',
        );
      }
      return value;
    }
    case 'BOOL':
      return typeof value === 'boolean' ? value : wrongType(value, schema, column);
    case 'VARBYTES': {
      if (!(value instanceof Uint8Array)) return wrongType(value, schema, column);
      if (column.length !== undefined && value.byteLength > column.length) {
        fail('VALUE_TOO_LONG', schema, column, `${value.byteLength} bytes exceed VARBYTES(${column.length})`);
      }
      return value;
    }
    case 'CHAR':
    case 'VARCHAR':
    case 'NCHAR':
    case 'NVARCHAR':
    case 'GEOMETRY': {
      if (typeof value !== 'string') return wrongType(value, schema, column);
      const problem = textProblem(value);
      if (problem) fail('TEXT_INVALID', schema, column, `text ${problem}`);
      if (column.length !== undefined && column.type !== 'GEOMETRY') {
        const byChars = LENGTH_IN_CHARACTERS.includes(column.type);
        const size = byChars ? [...value].length : Buffer.byteLength(value, 'utf8');
        if (size > column.length) {
          const unit = byChars ? 'characters' : 'bytes';
          fail('VALUE_TOO_LONG', schema, column, `${size} ${unit} exceed ${column.type}(${column.length})`);
        }
      }
      return value;
    }
  }
}
