// Parser of one InfluxDB line-protocol line, as the guide ("InfluxDB Line Format") extends it:
//
//   line        = measurement { "," tag_key "=" tag_value } " " field { "," field } [ " " timestamp ]
//   field       = field_key "=" field_value
//   field_value = number [suffix] | boolean | '"' chars '"' | "'" chars "'" | 'L"' chars '"'
//   suffix      = "i16" | "i32" | "i64" | "i" | "f32" | "f64"
//   boolean     = "true" | "false" (any case)
//   timestamp   = [ "-" ] digits      (in the connector's timestamp.precision)
//
// In names and tag values a backslash escapes one of: space , = " \ (anything else is an error).
// Inside quoted strings a backslash escapes one of: " ' \ space , = ; before any other character it
// is kept as written (so "\x313233" is the VARBYTES text \x313233). The hot path scans with
// charCodeAt and slices; it allocates no regular expressions and no closures per character.
import type { FormatErrorCode } from '../errors';
import { describeFound } from '../errors';
import type { WrittenValue } from '../model';
import { FLOAT4_MAX, INT2_MAX, INT2_MIN, INT4_MAX, INT4_MIN, INT8_MAX, INT8_MIN } from '../values';

export interface InfluxLine {
  measurement: string;
  /** Tag keys then field keys, in line order (flat arrays: no per-field allocation). */
  names: string[];
  /** The value of each name: bare tag values, then field values. */
  values: WrittenValue[];
  /** How many of `names` are tags (the first ones). */
  tagCount: number;
  /** The timestamp as written (an integer in the connector's precision), or undefined when absent. */
  timestamp: string | undefined;
}

/** A problem at a 0-based offset of the line. */
export class LineSyntaxError extends Error {
  constructor(
    readonly code: FormatErrorCode,
    readonly expected: string,
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const SPACE = 0x20;
const COMMA = 0x2c;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;

/** Parses one line (no newline in it). Throws LineSyntaxError. */
export function parseInfluxLine(line: string): InfluxLine {
  return new InfluxLineParser(line).parse();
}

class InfluxLineParser {
  pos = 0;
  constructor(readonly line: string) {}

  fail(code: FormatErrorCode, expected: string, message: string, offset = this.pos): never {
    throw new LineSyntaxError(code, expected, message, offset);
  }

  parse(): InfluxLine {
    const line = this.line;
    const measurement = this.readName('measurement', false);
    const names: string[] = [];
    const values: WrittenValue[] = [];
    while (line.charCodeAt(this.pos) === COMMA) {
      this.pos++;
      const key = this.readName('tag key', true);
      this.expectEquals('tag key', key);
      const valueStart = this.pos;
      const value = this.readName('tag value', true);
      if (value.length === 0)
        this.fail(
          'FORMAT_MISSING_VALUE',
          'a tag value',
          `tag ${JSON.stringify(key)} has no value`,
          valueStart,
        );
      if (line.charCodeAt(this.pos) === EQUALS)
        this.fail(
          'FORMAT_SYNTAX',
          "',' or ' ' after a tag value (escape '=' as \\=)",
          `unescaped '=' in the value of tag ${JSON.stringify(key)}`,
        );
      names.push(key);
      values.push({ kind: 'written', form: 'bare', text: value });
    }
    if (line.charCodeAt(this.pos) !== SPACE) {
      this.fail(
        'FORMAT_SYNTAX',
        "' ' before the field set",
        this.pos >= line.length
          ? 'line ends before its field set'
          : `expected ' ' before the field set, found ${describeFound(line.charAt(this.pos))}`,
      );
    }
    this.skipSpaces();
    const tagCount = names.length;
    for (;;) {
      const key = this.readName('field key', true);
      this.expectEquals('field key', key);
      names.push(key);
      values.push(this.readFieldValue(key));
      const c = line.charCodeAt(this.pos);
      if (c === COMMA) {
        this.pos++;
        continue;
      }
      break;
    }
    let timestamp: string | undefined;
    if (this.pos < line.length) {
      if (line.charCodeAt(this.pos) !== SPACE) {
        this.fail(
          'FORMAT_SYNTAX',
          "',' or ' ' after a field value",
          `expected ',' or ' ' after a field value, found ${describeFound(line.charAt(this.pos))}`,
        );
      }
      this.skipSpaces();
      const start = this.pos;
      if (line.charCodeAt(this.pos) === MINUS) this.pos++;
      const digitsStart = this.pos;
      while (isDigit(line.charCodeAt(this.pos))) this.pos++;
      if (this.pos === digitsStart || this.pos < line.length) {
        this.fail(
          'FORMAT_INVALID_TIMESTAMP',
          'an integer timestamp at the end of the line',
          `invalid timestamp ${describeFound(line.slice(start))}`,
          start,
        );
      }
      timestamp = line.slice(start, this.pos);
    }
    return { measurement, names, values, tagCount, timestamp };
  }

  private skipSpaces(): void {
    while (this.line.charCodeAt(this.pos) === SPACE) this.pos++;
  }

  private expectEquals(what: string, key: string): void {
    if (this.line.charCodeAt(this.pos) !== EQUALS) {
      this.fail(
        'FORMAT_SYNTAX',
        `'=' after ${what} ${JSON.stringify(key)}`,
        this.pos >= this.line.length
          ? `line ends after ${what} ${JSON.stringify(key)}`
          : `expected '=' after ${what} ${JSON.stringify(key)}, found ${describeFound(this.line.charAt(this.pos))}`,
      );
    }
    this.pos++;
  }

  /**
   * Reads a measurement, key or tag value up to an unescaped ',' or ' ' (and '=' when `stopAtEquals`).
   * Empty names are an error; empty tag values are reported by the caller.
   */
  private readName(what: string, stopAtEquals: boolean): string {
    const line = this.line;
    const start = this.pos;
    let pos = start;
    let result = '';
    let chunkStart = start;
    for (;;) {
      const c = line.charCodeAt(pos);
      if (pos >= line.length || c === COMMA || c === SPACE || (stopAtEquals && c === EQUALS)) break;
      if (c === BACKSLASH) {
        const e = line.charCodeAt(pos + 1);
        if (e !== SPACE && e !== COMMA && e !== EQUALS && e !== QUOTE && e !== BACKSLASH) {
          this.fail(
            'FORMAT_BAD_ESCAPE',
            'one of \\  \\, \\= \\" \\\\',
            pos + 1 >= line.length
              ? `${what} ends with a backslash`
              : `bad escape ${describeFound(line.slice(pos, pos + 2))} in ${what}`,
            pos,
          );
        }
        result += line.slice(chunkStart, pos) + line.charAt(pos + 1);
        pos += 2;
        chunkStart = pos;
        continue;
      }
      pos++;
    }
    this.pos = pos;
    const name = chunkStart === start ? line.slice(start, pos) : result + line.slice(chunkStart, pos);
    if (name.length === 0 && what !== 'tag value')
      this.fail('FORMAT_EMPTY_NAME', `a ${what}`, `empty ${what}`, start);
    return name;
  }

  private readFieldValue(key: string): WrittenValue {
    const line = this.line;
    const start = this.pos;
    const c = line.charCodeAt(start);
    if (c === QUOTE || c === APOSTROPHE) return { kind: 'written', form: 'string', text: this.readQuoted(c) };
    if (c === 0x4c /* L */ && line.charCodeAt(start + 1) === QUOTE) {
      this.pos++;
      return { kind: 'written', form: 'nstring', text: this.readQuoted(QUOTE) };
    }
    // A bare token: a number with an optional suffix, or a boolean.
    let end = start;
    while (end < line.length) {
      const d = line.charCodeAt(end);
      if (d === COMMA || d === SPACE) break;
      end++;
    }
    this.pos = end;
    const token = line.slice(start, end);
    if (token.length === 0)
      this.fail(
        'FORMAT_MISSING_VALUE',
        `a value for field ${JSON.stringify(key)}`,
        `field ${JSON.stringify(key)} has no value`,
        start,
      );
    if (isDigit(c) || c === MINUS || c === 0x2e) return numberValue(token, key, start, this);
    const lower = token.toLowerCase();
    if (lower === 'true' || lower === 'false') return { kind: 'written', form: 'bool', text: lower };
    return this.fail(
      'FORMAT_WRONG_TYPE',
      'a number, true, false or a quoted string',
      `field ${JSON.stringify(key)} has invalid value ${describeFound(token)}`,
      start,
    );
  }

  /** Reads a string quoted with `quote`, starting at the opening quote; returns its unescaped text. */
  private readQuoted(quote: number): string {
    const line = this.line;
    const open = this.pos;
    let pos = open + 1;
    let result = '';
    let chunkStart = pos;
    for (;;) {
      if (pos >= line.length)
        this.fail(
          'FORMAT_SYNTAX',
          'a closing quote',
          'string is not closed before the end of the line',
          open,
        );
      const c = line.charCodeAt(pos);
      if (c === quote) break;
      if (c === BACKSLASH) {
        const e = line.charCodeAt(pos + 1);
        if (
          e === QUOTE ||
          e === APOSTROPHE ||
          e === BACKSLASH ||
          e === SPACE ||
          e === COMMA ||
          e === EQUALS
        ) {
          result += line.slice(chunkStart, pos) + line.charAt(pos + 1);
          pos += 2;
          chunkStart = pos;
          continue;
        }
      }
      pos++;
    }
    this.pos = pos + 1;
    const after = line.charCodeAt(this.pos);
    if (this.pos < line.length && after !== COMMA && after !== SPACE) {
      this.fail(
        'FORMAT_SYNTAX',
        "',' or ' ' after a string",
        `expected ',' or ' ' after a string, found ${describeFound(line.charAt(this.pos))}`,
      );
    }
    return result + line.slice(chunkStart, pos);
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Splits `token` into a number and a suffix, checks both, and returns the written value. */
function numberValue(token: string, key: string, offset: number, parser: InfluxLineParser): WrittenValue {
  let i = 0;
  const n = token.length;
  if (token.charCodeAt(0) === MINUS) i++;
  const intStart = i;
  while (i < n && isDigit(token.charCodeAt(i))) i++;
  const intDigits = i - intStart;
  let isInteger = i > intStart;
  let valid = i > intStart;
  let hasExponent = false;
  if (i < n && token.charCodeAt(i) === 0x2e) {
    isInteger = false;
    const fracStart = ++i;
    while (i < n && isDigit(token.charCodeAt(i))) i++;
    valid = valid && i > fracStart;
  }
  if (valid && i + 1 < n && (token.charCodeAt(i) === 0x65 || token.charCodeAt(i) === 0x45)) {
    let j = i + 1;
    if (token.charCodeAt(j) === 0x2b || token.charCodeAt(j) === MINUS) j++;
    const expStart = j;
    while (j < n && isDigit(token.charCodeAt(j))) j++;
    if (j > expStart) {
      isInteger = false;
      hasExponent = true;
      i = j;
    }
  }
  if (!valid) {
    return parser.fail(
      'FORMAT_INVALID_NUMBER',
      'a number',
      `field ${JSON.stringify(key)} has invalid number ${describeFound(token)}`,
      offset,
    );
  }
  const text = i === n ? token : token.slice(0, i);
  const suffix = i === n ? '' : token.slice(i);
  // Without an exponent, a number of at most 38 integer digits is within FLOAT4 (and FLOAT8) range.
  const surelyFinite = isInteger ? intDigits <= 38 : !hasExponent && intDigits <= 38;
  switch (suffix) {
    case '':
      if (!surelyFinite) checkFinite(text, 'FLOAT8', key, offset, parser);
      return { kind: 'written', form: 'number', text };
    case 'f64':
      if (!surelyFinite) checkFinite(text, 'FLOAT8', key, offset, parser);
      return { kind: 'written', form: 'float8', text };
    case 'f32':
      if (!surelyFinite) checkFinite(text, 'FLOAT4', key, offset, parser);
      return { kind: 'written', form: 'float4', text };
    case 'i':
    case 'i64':
    case 'i32':
    case 'i16': {
      if (!isInteger) {
        return parser.fail(
          'FORMAT_WRONG_TYPE',
          `an integer before the ${suffix} suffix`,
          `field ${JSON.stringify(key)}: ${describeFound(token)} is not an integer`,
          offset,
        );
      }
      const form = suffix === 'i16' ? 'int2' : suffix === 'i32' ? 'int4' : 'int8';
      // Fewer digits than the type's maximum cannot overflow: skip the exact check.
      const safeDigits = form === 'int2' ? 4 : form === 'int4' ? 9 : 18;
      if (intDigits > safeDigits) checkIntegerRange(text, form, key, offset, parser);
      return { kind: 'written', form, text };
    }
    default:
      return parser.fail(
        'FORMAT_UNKNOWN_SUFFIX',
        'a suffix i16, i32, i64, i, f32, f64 or none',
        `field ${JSON.stringify(key)} has unknown suffix ${describeFound(suffix)}`,
        offset + i,
      );
  }
}

function checkFinite(
  text: string,
  type: 'FLOAT4' | 'FLOAT8',
  key: string,
  offset: number,
  parser: InfluxLineParser,
): void {
  const value = Number(text);
  if (!Number.isFinite(value) || (type === 'FLOAT4' && Math.abs(value) > FLOAT4_MAX)) {
    parser.fail(
      'FORMAT_FLOAT_OVERFLOW',
      `a finite ${type}`,
      `field ${JSON.stringify(key)}: ${describeFound(text)} is out of range for ${type}`,
      offset,
    );
  }
}

function checkIntegerRange(
  text: string,
  form: 'int2' | 'int4' | 'int8',
  key: string,
  offset: number,
  parser: InfluxLineParser,
): void {
  let inRange: boolean;
  if (form === 'int8') {
    const value = BigInt(text);
    inRange = value >= INT8_MIN && value <= INT8_MAX;
  } else {
    const value = text.length > 24 ? Number.POSITIVE_INFINITY : Number(text);
    inRange =
      form === 'int2' ? value >= INT2_MIN && value <= INT2_MAX : value >= INT4_MIN && value <= INT4_MAX;
  }
  if (!inRange) {
    const type = form === 'int2' ? 'INT2' : form === 'int4' ? 'INT4' : 'INT8';
    parser.fail(
      'FORMAT_INT_OVERFLOW',
      `an ${type} integer`,
      `field ${JSON.stringify(key)}: ${describeFound(text)} overflows ${type}`,
      offset,
    );
  }
}
