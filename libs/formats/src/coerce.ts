// coerceValue: a line_influxdb WrittenValue -> the Value of the table's real column type.
// The writer calls it once it has read the table's schema. Pure; throws FormatError.
import { FormatError, describeFound } from './errors';
import type { FormatErrorCode } from './errors';
import type { KwdbType, Precision, Value, WrittenValue } from './model';
import { epochToNanos, isTimestampInRange, parseTimestampText } from './timestamps';
import {
  ValueProblem,
  bytesFromText,
  checkFloat,
  checkText,
  integerFromText,
  isIntegerText,
  isJsonNumberText,
} from './values';

/**
 * Coerces a written value to a column of `type`:
 * - numbers (any suffix or none) -> INT2/INT4/INT8 when written as an integer and in range;
 *   -> FLOAT4/FLOAT8; -> TIMESTAMP/TIMESTAMPTZ as an integer epoch in `precision` (default ms, the
 *   unit KWDB documents for integer timestamps; kwdb-client passes ms whatever the column's
 *   precision, docs/formats.md "Integer timestamps");
 * - quoted strings -> CHAR/NCHAR/VARCHAR/NVARCHAR/GEOMETRY (length-checked: bytes, or characters
 *   for N types); -> VARBYTES from `\x` hex (else the text's UTF-8 bytes); -> TIMESTAMP from
 *   "YYYY-MM-DD HH:MI:SS.fff";
 * - booleans -> BOOL;
 * - bare tag values -> whatever the type needs, parsed from the text.
 * Anything else throws FormatError (FORMAT_WRONG_TYPE, FORMAT_INT_OVERFLOW, FORMAT_VALUE_TOO_LONG...).
 */
export function coerceValue(
  value: WrittenValue,
  type: KwdbType,
  length?: number,
  precision: Precision = 'ms',
): Value {
  const result = coerce(value, type, length, precision);
  if (result instanceof ValueProblem) {
    throw new FormatError({
      code: result.code,
      format: 'line_influxdb',
      expected: result.expected,
      found: value.text,
      message: result.message,
    });
  }
  return result;
}

function coerce(
  value: WrittenValue,
  type: KwdbType,
  length: number | undefined,
  precision: Precision,
): Value | ValueProblem {
  const { form, text } = value;
  const isNumber =
    form === 'int2' ||
    form === 'int4' ||
    form === 'int8' ||
    form === 'float4' ||
    form === 'float8' ||
    form === 'number';
  const isString = form === 'string' || form === 'nstring';
  const isBare = form === 'bare';
  switch (type) {
    case 'INT2':
    case 'INT4':
    case 'INT8':
      if (isNumber || isBare) return integerFromText(text, type);
      return mismatch(value, type);
    case 'FLOAT4':
    case 'FLOAT8':
      if (isNumber || (isBare && isJsonNumberText(text))) return checkFloat(Number(text), type, text);
      return mismatch(value, type);
    case 'BOOL':
      if (form === 'bool' || isBare) {
        const lower = text.toLowerCase();
        if (lower === 'true') return true;
        if (lower === 'false') return false;
      }
      return mismatch(value, type);
    case 'TIMESTAMP':
    case 'TIMESTAMPTZ': {
      let nanos: bigint | undefined;
      if ((isNumber || isBare) && isIntegerText(text)) nanos = epochToNanos(BigInt(text), precision);
      else if (isString || isBare) nanos = parseTimestampText(text);
      if (nanos === undefined) {
        return problem(
          'FORMAT_INVALID_TIMESTAMP',
          'an integer epoch or "YYYY-MM-DD HH:MI:SS.fff"',
          `invalid timestamp ${describeFound(text)}`,
        );
      }
      if (!isTimestampInRange(nanos, precision)) {
        return problem(
          'FORMAT_INVALID_TIMESTAMP',
          `a timestamp within KWDB's range for precision ${precision}`,
          `timestamp ${describeFound(text)} is outside KWDB's range`,
        );
      }
      return nanos;
    }
    case 'VARBYTES':
      if (isString || isBare) return bytesFromText(text, length);
      return mismatch(value, type);
    default:
      if (isString || isBare) return checkText(text, type, length);
      return mismatch(value, type);
  }
}

function problem(code: FormatErrorCode, expected: string, message: string): ValueProblem {
  return new ValueProblem(code, expected, message);
}

function mismatch(value: WrittenValue, type: KwdbType): ValueProblem {
  const written =
    value.form === 'string' || value.form === 'nstring'
      ? 'a string'
      : value.form === 'bool'
        ? 'a boolean'
        : value.form === 'bare'
          ? 'a tag value'
          : 'a number';
  return problem(
    'FORMAT_WRONG_TYPE',
    `a value for a ${type} column`,
    `${written} (${describeFound(value.text)}) cannot go into a ${type} column`,
  );
}
