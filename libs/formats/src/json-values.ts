// Converting one JSON value to a typed cell Value (decoders of JSON formats) and one cell Value
// to JSON text (encoders). INT8 values and timestamps stay exact: they arrive as safe integers or
// JsonBigInt digits and leave as bigint digits.
import { FormatError } from './errors';
import type { JsonValue } from './exact-json';
import { JsonBigInt, jsonString } from './exact-json';
import type { ColumnDef, Precision, Protocol, Value, WrittenValue } from './model';
import {
  epochToNanos,
  formatEpoch,
  isTimestampInRange,
  nanosToEpochExact,
  parseTimestampText,
} from './timestamps';
import {
  ValueProblem,
  bytesFromText,
  bytesToHexText,
  checkFloat,
  checkText,
  floatText,
  integerFromNumber,
  integerFromText,
  isJsonNumberText,
} from './values';
import { describeFound } from './errors';

/**
 * A JSON value -> the Value of a column of `def.type` (epochs in `precision`). Null stays null (the
 * caller checks nullability). For an inferred column (line_influxdb), returns a WrittenValue.
 */
export function valueFromJson(
  json: JsonValue,
  def: ColumnDef,
  precision: Precision,
  isTag: boolean,
): Value | ValueProblem {
  if (json === null) return null;
  if (def.inferred === true) return writtenValueFromJson(json, def, isTag);
  switch (def.type) {
    case 'TIMESTAMP':
    case 'TIMESTAMPTZ':
      return timestampFromJson(json, precision);
    case 'INT2':
    case 'INT4':
    case 'INT8':
      if (typeof json === 'number') return integerFromNumber(json, def.type);
      if (json instanceof JsonBigInt) return integerFromText(json.text, def.type);
      return wrongType(json, `an ${def.type} integer`);
    case 'FLOAT4':
    case 'FLOAT8':
      if (typeof json === 'number') return checkFloat(json, def.type);
      if (json instanceof JsonBigInt) return checkFloat(Number(json.text), def.type, json.text);
      return wrongType(json, `a ${def.type} number`);
    case 'BOOL':
      return typeof json === 'boolean' ? json : wrongType(json, 'true or false');
    case 'VARBYTES':
      return typeof json === 'string' ? bytesFromText(json, def.length) : wrongType(json, 'a \\x hex string');
    default:
      return typeof json === 'string'
        ? checkText(json, def.type, def.length)
        : wrongType(json, `a ${def.type} string`);
  }
}

/** An epoch integer in `precision` (or a `YYYY-MM-DD HH:MI:SS.fff` string) -> epoch nanoseconds, range-checked. */
export function timestampFromJson(json: JsonValue, precision: Precision): bigint | ValueProblem {
  let nanos: bigint | undefined;
  if (typeof json === 'number') {
    if (!Number.isSafeInteger(json)) return wrongType(json, `an integer epoch in ${precision}`);
    nanos = epochToNanos(BigInt(json), precision);
  } else if (json instanceof JsonBigInt) {
    nanos = epochToNanos(BigInt(json.text), precision);
  } else if (typeof json === 'string') {
    nanos = parseTimestampText(json);
    if (nanos === undefined) {
      return new ValueProblem(
        'FORMAT_INVALID_TIMESTAMP',
        'an epoch integer or "YYYY-MM-DD HH:MI:SS.fff"',
        `invalid timestamp ${describeFound(json)}`,
      );
    }
  } else {
    return wrongType(json, `an integer epoch in ${precision}`);
  }
  if (!isTimestampInRange(nanos, precision)) {
    return new ValueProblem(
      'FORMAT_INVALID_TIMESTAMP',
      `a timestamp within KWDB's range for precision ${precision}`,
      `timestamp ${describeFound(jsonText(json))} is outside KWDB's range for precision ${precision}`,
    );
  }
  return nanos;
}

function writtenValueFromJson(json: JsonValue, def: ColumnDef, isTag: boolean): WrittenValue | ValueProblem {
  if (typeof json === 'string') {
    const form = isTag ? 'bare' : def.type === 'NCHAR' || def.type === 'NVARCHAR' ? 'nstring' : 'string';
    return { kind: 'written', form, text: json };
  }
  if (typeof json === 'boolean') return { kind: 'written', form: 'bool', text: json ? 'true' : 'false' };
  if (typeof json === 'number' || json instanceof JsonBigInt) {
    const text = typeof json === 'number' ? floatText(json) : json.text;
    const form =
      def.type === 'INT2'
        ? 'int2'
        : def.type === 'INT4'
          ? 'int4'
          : def.type === 'INT8'
            ? 'int8'
            : def.type === 'FLOAT4'
              ? 'float4'
              : 'number';
    return { kind: 'written', form, text };
  }
  return wrongType(json, 'a number, string or boolean');
}

function wrongType(json: JsonValue, expected: string): ValueProblem {
  return new ValueProblem(
    'FORMAT_WRONG_TYPE',
    expected,
    `expected ${expected}, found ${describeFound(jsonText(json))}`,
  );
}

/** Short text of a JSON value for messages. */
export function jsonText(json: JsonValue): string {
  if (json instanceof JsonBigInt) return json.text;
  if (Array.isArray(json)) return 'an array';
  if (json !== null && typeof json === 'object') return 'an object';
  return String(json);
}

/** How a timestamp is written by valueToJson: exact integer epochs only, or decimal fractions allowed (CLI). */
export type EpochStyle = 'exact' | 'fraction';

/**
 * A cell Value -> JSON text for a column of `def.type`: INT8 and timestamps as exact integer
 * digits (epochs in `precision`), VARBYTES as a `\x` hex string, WrittenValues as written.
 * Throws FormatError FORMAT_NOT_REPRESENTABLE (NaN, an epoch not whole in `precision`...).
 */
export function valueToJson(
  value: Value | undefined,
  def: ColumnDef,
  precision: Precision,
  format: Protocol | undefined,
  epochStyle: EpochStyle = 'exact',
): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'bigint':
      if (def.type === 'TIMESTAMP' || def.type === 'TIMESTAMPTZ')
        return epochText(value, precision, format, def.name, epochStyle);
      return value.toString();
    case 'number':
      if (!Number.isFinite(value)) {
        throw notRepresentable(
          format,
          `${value} in column ${JSON.stringify(def.name)} cannot be written in JSON`,
        );
      }
      return floatText(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return jsonString(value);
  }
  if (value instanceof Uint8Array) return jsonString(bytesToHexText(value));
  return writtenValueJson(value);
}

/** A WrittenValue as JSON: numbers as their digits (normalised to JSON's grammar), the rest as strings/booleans. */
export function writtenValueJson(value: WrittenValue): string {
  switch (value.form) {
    case 'int2':
    case 'int4':
    case 'int8':
      return BigInt(value.text).toString();
    case 'float4':
    case 'float8':
    case 'number':
      return isJsonNumberText(value.text) ? value.text : floatText(Number(value.text));
    case 'bool':
      return value.text.toLowerCase() === 'true' ? 'true' : 'false';
    default:
      return jsonString(value.text);
  }
}

/** Epoch nanoseconds as an integer in `precision`; throws when that would drop digits (unless fractions are allowed). */
export function epochText(
  nanos: bigint,
  precision: Precision,
  format: Protocol | undefined,
  column: string,
  epochStyle: EpochStyle = 'exact',
): string {
  if (epochStyle === 'fraction') return formatEpoch(nanos, precision);
  const epoch = nanosToEpochExact(nanos, precision);
  if (epoch === undefined) {
    throw notRepresentable(
      format,
      `timestamp ${nanos}ns in column ${JSON.stringify(column)} is not a whole number of ${precision}; use a finer precision`,
    );
  }
  return epoch.toString();
}

export function notRepresentable(format: Protocol | undefined, message: string): FormatError {
  return new FormatError({ code: 'FORMAT_NOT_REPRESENTABLE', format, message });
}
