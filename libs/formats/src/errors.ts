// Typed errors of libs/formats. Every error has a stable `code` (never reworded), the format it
// came from, where it is (line and column for text, a JSON path for JSON) and what was expected.
import type { Protocol } from './model';

/** Stable error codes. Callers (sink dead-letter headers, the CLI, tests) match on these. */
export const FORMAT_ERROR_CODES = [
  /** The message is not valid JSON. */
  'FORMAT_INVALID_JSON',
  /** The message bytes are not valid UTF-8. */
  'FORMAT_INVALID_UTF8',
  /** A line does not follow the format's grammar (a missing separator, a stray character...). */
  'FORMAT_SYNTAX',
  /** A required field or value is absent (a JSON key, a row's timestamp, a primary tag value, a NOT NULL value). */
  'FORMAT_MISSING_VALUE',
  /** A JSON key or a row key the format does not know. */
  'FORMAT_UNKNOWN_FIELD',
  /** A value of the wrong kind (a string where a number is expected, a fraction in an INT column...). */
  'FORMAT_WRONG_TYPE',
  /** An integer outside the range of its type (INT2, INT4, INT8, an epoch). */
  'FORMAT_INT_OVERFLOW',
  /** A float outside the range of FLOAT4 or FLOAT8, or not finite. */
  'FORMAT_FLOAT_OVERFLOW',
  /** A number that is not written as a number. */
  'FORMAT_INVALID_NUMBER',
  /** A type name that is not a KWDB type. */
  'FORMAT_UNKNOWN_TYPE',
  /** A line_influxdb number suffix other than i16, i32, i64, i, f32, f64. */
  'FORMAT_UNKNOWN_SUFFIX',
  /** A backslash escape the format does not define, or a trailing backslash. */
  'FORMAT_BAD_ESCAPE',
  /** A `\x` hex byte string with an odd length or a non-hex digit. */
  'FORMAT_INVALID_HEX',
  /** A `length` that is not a positive integer or exceeds KWDB's maximum for the type. */
  'FORMAT_INVALID_LENGTH',
  /** A text or byte value longer than its column's length. */
  'FORMAT_VALUE_TOO_LONG',
  /** An empty table, column or tag name. */
  'FORMAT_EMPTY_NAME',
  /** A name longer than the limit (KWDB: 128 bytes). */
  'FORMAT_NAME_TOO_LONG',
  /** Two columns, tags or fields with the same name, or the same key twice in a JSON object. */
  'FORMAT_DUPLICATE_NAME',
  /** A table definition without a non-nullable primary tag. */
  'FORMAT_MISSING_PRIMARY_TAG',
  /** A tag definition KWDB refuses (type not allowed as a tag or primary tag, nullable primary tag, more than 4 primary tags). */
  'FORMAT_INVALID_TAG',
  /** A timestamp that is not an epoch integer or a `YYYY-MM-DD HH:MI:SS[.fff]` string, or is outside KWDB's range. */
  'FORMAT_INVALID_TIMESTAMP',
  /** A timestamp precision the format does not support (OpenTSDB: s, ms; others: ms, us, ns). */
  'FORMAT_UNSUPPORTED_PRECISION',
  /** The message is larger than `limits.maxMessageBytes`. */
  'FORMAT_MESSAGE_TOO_LARGE',
  /** The message holds more rows than `limits.maxRows`. */
  'FORMAT_TOO_MANY_ROWS',
  /** The message declares more columns or tags than `limits.maxColumns` / `limits.maxTags`. */
  'FORMAT_TOO_MANY_COLUMNS',
  /** A value the target format cannot express (encode), e.g. NaN in JSON or a space in an OpenTSDB tag. */
  'FORMAT_NOT_REPRESENTABLE',
] as const;
export type FormatErrorCode = (typeof FORMAT_ERROR_CODES)[number];

/** Where an error is: a 1-based line and column in the message (text), and/or a JSON path such as `data[3].c3`. */
export interface FormatErrorLocation {
  /** Name of the source (file name, `topic/partition@offset`...), when the caller gave one. */
  source?: string;
  line?: number;
  column?: number;
  path?: string;
}

export interface FormatErrorInit extends FormatErrorLocation {
  code: FormatErrorCode;
  /** The format being decoded or encoded; undefined for format-independent checks (coerceValue). */
  format?: Protocol;
  /** What was expected at that place, in words ("an INT8 integer", "'=' after tag key"). */
  expected?: string;
  /** What was found instead, when it helps. */
  found?: string;
  /** The full sentence to show. */
  message: string;
}

/** A message (or one of its lines or rows) that cannot be decoded or encoded. */
export class FormatError extends Error {
  override readonly name = 'FormatError';
  readonly code: FormatErrorCode;
  readonly format: Protocol | undefined;
  readonly source: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly path: string | undefined;
  readonly expected: string | undefined;
  readonly found: string | undefined;

  constructor(init: FormatErrorInit) {
    super(init.message);
    this.code = init.code;
    this.format = init.format;
    this.source = init.source;
    this.line = init.line;
    this.column = init.column;
    this.path = init.path;
    this.expected = init.expected;
    this.found = init.found;
  }

  /** `<source>:<line>:<column>: <code>: <message>` (the CLI's stderr line); a path is appended when known. */
  override toString(): string {
    const where = `${this.source ?? '<message>'}:${this.line ?? 1}:${this.column ?? 1}`;
    const path = this.path === undefined ? '' : ` (at ${this.path})`;
    return `${where}: ${this.code}: ${this.message}${path}`;
  }
}

/** Shows a found value in an error message, shortened so that a huge value cannot flood a log. */
export function describeFound(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return JSON.stringify(shown);
}
