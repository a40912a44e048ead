// Checks and conversions of single values shared by every format: integer ranges, float ranges,
// text lengths, `\x` hex bytes. Converters return a ValueProblem instead of throwing, so a decoder
// can attach the location (line/column or JSON path) and carry on with the next row.
import type { FormatErrorCode } from './errors';
import { describeFound } from './errors';
import type { KwdbType } from './model';

/** Why one value was refused; the decoder turns it into a FormatError with a location. */
export class ValueProblem {
  constructor(
    readonly code: FormatErrorCode,
    readonly expected: string,
    readonly message: string,
  ) {}
}

export const INT2_MIN = -32768;
export const INT2_MAX = 32767;
export const INT4_MIN = -2147483648;
export const INT4_MAX = 2147483647;
export const INT8_MIN = -9223372036854775808n;
export const INT8_MAX = 9223372036854775807n;
/** Largest finite FLOAT4 (2^128 - 2^104). */
export const FLOAT4_MAX = 3.4028234663852886e38;

/** KWDB's maximum length per text type (kwdb.md section 2), in bytes or characters. */
export const MAX_TEXT_LENGTH: Partial<Record<KwdbType, number>> = {
  CHAR: 1023,
  NCHAR: 255,
  VARCHAR: 65534,
  NVARCHAR: 16383,
  VARBYTES: 65534,
};

export type IntegerType = 'INT2' | 'INT4' | 'INT8';

export function isIntegerType(type: KwdbType): type is IntegerType {
  return type === 'INT2' || type === 'INT4' || type === 'INT8';
}
export function isFloatType(type: KwdbType): boolean {
  return type === 'FLOAT4' || type === 'FLOAT8';
}
export function isTimestampType(type: KwdbType): boolean {
  return type === 'TIMESTAMP' || type === 'TIMESTAMPTZ';
}
/** Types whose values are JS strings. */
export function isTextType(type: KwdbType): boolean {
  return (
    type === 'CHAR' || type === 'NCHAR' || type === 'VARCHAR' || type === 'NVARCHAR' || type === 'GEOMETRY'
  );
}

/** True for `-?[0-9]+` (an optional minus, then at least one digit, nothing else). */
export function isIntegerText(text: string): boolean {
  const n = text.length;
  let i = text.charCodeAt(0) === 0x2d ? 1 : 0;
  if (i >= n) return false;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** An integer written as text -> INT2/INT4 number or INT8 bigint, range-checked. */
export function integerFromText(text: string, type: IntegerType): number | bigint | ValueProblem {
  if (!isIntegerText(text)) {
    return new ValueProblem(
      'FORMAT_WRONG_TYPE',
      `an ${type} integer`,
      `expected an ${type} integer, found ${describeFound(text)}`,
    );
  }
  if (type === 'INT8') {
    const value = BigInt(text);
    if (value < INT8_MIN || value > INT8_MAX) return overflow(text, type);
    return value;
  }
  // At most 11 significant characters fit INT4; longer texts (leading zeros aside) overflow.
  const value = text.length > 24 ? Number.POSITIVE_INFINITY : Number(text);
  return integerFromNumber(value, type, text);
}

/** A JS number that must be an integer of INT2/INT4 (number) or INT8 (bigint). */
export function integerFromNumber(
  value: number,
  type: IntegerType,
  written?: string,
): number | bigint | ValueProblem {
  if (!Number.isInteger(value)) {
    return new ValueProblem(
      'FORMAT_WRONG_TYPE',
      `an ${type} integer`,
      `expected an ${type} integer, found ${describeFound(written ?? String(value))}`,
    );
  }
  if (type === 'INT2')
    return value < INT2_MIN || value > INT2_MAX ? overflow(written ?? String(value), type) : value;
  if (type === 'INT4')
    return value < INT4_MIN || value > INT4_MAX ? overflow(written ?? String(value), type) : value;
  if (!Number.isSafeInteger(value)) {
    // A JS number beyond 2^53 is already inexact: the caller must keep such values as text.
    return new ValueProblem(
      'FORMAT_INT_OVERFLOW',
      'an exact INT8 integer',
      `INT8 value ${describeFound(written ?? String(value))} is not exact`,
    );
  }
  return BigInt(value);
}

function overflow(text: string, type: IntegerType): ValueProblem {
  const range =
    type === 'INT2'
      ? `${INT2_MIN}..${INT2_MAX}`
      : type === 'INT4'
        ? `${INT4_MIN}..${INT4_MAX}`
        : `${INT8_MIN}..${INT8_MAX}`;
  return new ValueProblem(
    'FORMAT_INT_OVERFLOW',
    `an ${type} integer in ${range}`,
    `${describeFound(text)} overflows ${type} (${range})`,
  );
}

/** A float of FLOAT4/FLOAT8: finite and within range. */
export function checkFloat(
  value: number,
  type: 'FLOAT4' | 'FLOAT8',
  written?: string,
): number | ValueProblem {
  if (!Number.isFinite(value) || (type === 'FLOAT4' && Math.abs(value) > FLOAT4_MAX)) {
    return new ValueProblem(
      'FORMAT_FLOAT_OVERFLOW',
      `a finite ${type}`,
      `${describeFound(written ?? String(value))} is out of range for ${type}`,
    );
  }
  return value;
}

/** True for JSON's number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`. */
export function isJsonNumberText(text: string): boolean {
  const n = text.length;
  let i = 0;
  if (text.charCodeAt(i) === 0x2d) i++;
  const intStart = i;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  if (i === intStart || (text.charCodeAt(intStart) === 0x30 && i - intStart > 1)) return false;
  if (i < n && text.charCodeAt(i) === 0x2e) {
    const fracStart = ++i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    if (i === fracStart) return false;
  }
  if (i < n && (text.charCodeAt(i) === 0x65 || text.charCodeAt(i) === 0x45)) {
    i++;
    if (i < n && (text.charCodeAt(i) === 0x2b || text.charCodeAt(i) === 0x2d)) i++;
    const expStart = i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    if (i === expStart) return false;
  }
  return i === n;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** UTF-8 byte length of a string without encoding it (a lone surrogate counts as U+FFFD, 3 bytes). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** Number of Unicode code points (NCHAR/NVARCHAR lengths count characters). */
export function codePointCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/**
 * Checks a text value against its column: CHAR/VARCHAR count UTF-8 bytes, NCHAR/NVARCHAR count
 * characters; the stated length if any, else KWDB's maximum for the type. GEOMETRY is not checked.
 */
export function checkText(text: string, type: KwdbType, length: number | undefined): string | ValueProblem {
  const max = length ?? MAX_TEXT_LENGTH[type];
  if (max === undefined) return text;
  // Fast path: a string of UTF-16 length <= max/3 is within max bytes and max characters.
  if (text.length * 3 <= max) return text;
  const byCharacters = type === 'NCHAR' || type === 'NVARCHAR';
  const size = byCharacters ? codePointCount(text) : utf8ByteLength(text);
  if (size > max) {
    const unit = byCharacters ? 'characters' : 'bytes';
    return new ValueProblem(
      'FORMAT_VALUE_TOO_LONG',
      `at most ${max} ${unit}`,
      `${type}(${max}) value is ${size} ${unit} long: ${describeFound(text)}`,
    );
  }
  return text;
}

const textEncoder = new TextEncoder();
const HEX_DIGITS = '0123456789abcdef';

/**
 * A VARBYTES value as written in text: `\x` followed by hex digits (KWDB's bytea form, which the
 * encoders write) or else the UTF-8 bytes of the text (as KWDB's own parser accepts).
 */
export function bytesFromText(text: string, length: number | undefined): Uint8Array | ValueProblem {
  let bytes: Uint8Array;
  if (text.startsWith('\\x')) {
    const hexLength = text.length - 2;
    if (hexLength % 2 !== 0) {
      return new ValueProblem(
        'FORMAT_INVALID_HEX',
        'an even number of hex digits after \\x',
        `odd number of hex digits in ${describeFound(text)}`,
      );
    }
    bytes = new Uint8Array(hexLength / 2);
    for (let i = 0; i < bytes.length; i++) {
      const high = hexValue(text.charCodeAt(2 + 2 * i));
      const low = hexValue(text.charCodeAt(3 + 2 * i));
      if (high < 0 || low < 0) {
        return new ValueProblem(
          'FORMAT_INVALID_HEX',
          'hex digits after \\x',
          `invalid hex digit in ${describeFound(text)}`,
        );
      }
      bytes[i] = high * 16 + low;
    }
  } else {
    bytes = textEncoder.encode(text);
  }
  const max = length ?? (MAX_TEXT_LENGTH.VARBYTES as number);
  if (bytes.length > max) {
    return new ValueProblem(
      'FORMAT_VALUE_TOO_LONG',
      `at most ${max} bytes`,
      `VARBYTES(${max}) value is ${bytes.length} bytes long`,
    );
  }
  return bytes;
}

/** Bytes as KWDB's `\x` hex text. */
export function bytesToHexText(bytes: Uint8Array): string {
  let text = '\\x';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    text += HEX_DIGITS[b >> 4] + HEX_DIGITS[b & 15]!;
  }
  return text;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** Shortest text of a float that reads back to the same number; keeps the sign of -0. */
export function floatText(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}
