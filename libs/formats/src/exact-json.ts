// A small JSON parser that keeps big integers exact.
//
// JSON.parse turns 2535208944865431245 into 2535208944865431000. This parser returns every integer
// written with more than 15 digits as a JsonBigInt holding its digits, so INT8 values and
// nanosecond epochs can be read with BigInt(text). Everything else is what JSON.parse returns
// (safe integers and fractions as numbers). It follows RFC 8259 strictly: no comments, no
// trailing commas, no leading zeros, no NaN. Unlike JSON.parse it rejects a key repeated in one
// object (a row with "c1" twice is ambiguous), and it limits nesting depth instead of overflowing
// the stack. Hot loop: charCodeAt over the string, no regular expressions, no closures.

/** An integer written with more than 15 digits (possibly beyond 2^53): its exact text. */
export class JsonBigInt {
  constructor(readonly text: string) {}
}

export type JsonValue = null | boolean | number | string | JsonBigInt | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** A syntax error at a character offset of the text. */
export class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly expected: string,
    message: string,
  ) {
    super(message);
  }
}

/** Deepest nesting accepted; every format of this library needs at most 4 levels. */
export const MAX_JSON_DEPTH = 64;

export const QUOTE = 0x22;
const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** Largest count of integer digits that is always exact as a JS number (10^15 < 2^53). */
const MAX_SAFE_DIGITS = 15;

/** Parses one JSON document. Throws JsonSyntaxError. */
export function parseExactJson(text: string): JsonValue {
  const parser = new ExactJsonParser(text);
  parser.skipWhitespace();
  const value = parser.parseValue(0);
  parser.skipWhitespace();
  if (parser.pos < text.length) parser.fail('end of input');
  return value;
}

/**
 * parseExactJson, plus where the top-level object's last key starts (the offset of its opening
 * quote) and that key, when the document is an object with at least one key.
 */
export function parseExactJsonWithLastKey(text: string): {
  value: JsonValue;
  lastKey: string | undefined;
  lastKeyStart: number;
} {
  const parser = new ExactJsonParser(text);
  parser.skipWhitespace();
  const value = parser.parseValue(0);
  parser.skipWhitespace();
  if (parser.pos < text.length) parser.fail('end of input');
  return { value, lastKey: parser.lastTopKey, lastKeyStart: parser.lastTopKeyStart };
}

/**
 * The members of an object whose text continues at `offset` with a key: `"k": v, ... }`, then only
 * whitespace to the end of the text. The object's earlier members (before `offset`) are not seen
 * here: the caller checks that the keys returned are not among them. Throws JsonSyntaxError.
 */
export function parseExactJsonMembers(text: string, offset: number): JsonObject {
  const parser = new ExactJsonParser(text);
  parser.pos = offset;
  const object: JsonObject = {};
  parser.parseMembers(object, 1);
  parser.skipWhitespace();
  if (parser.pos < text.length) parser.fail('end of input');
  return object;
}

/**
 * The parser itself, for readers that walk a known shape without building the objects around the
 * values (json-kaiwudb/good-rows.ts): set `pos`, then skipWhitespace and parseValue. parseValue
 * throws JsonSyntaxError.
 */
export class ExactJsonParser {
  pos = 0;
  /** The last key of the top-level object and the offset of its opening quote. */
  lastTopKey: string | undefined = undefined;
  lastTopKeyStart = -1;
  constructor(readonly text: string) {}

  fail(expected: string): never {
    const found = this.pos >= this.text.length ? 'end of input' : JSON.stringify(this.text.charAt(this.pos));
    throw new JsonSyntaxError(this.pos, expected, `expected ${expected}, found ${found}`);
  }

  skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else break;
    }
    this.pos = pos;
  }

  parseValue(depth: number): JsonValue {
    const c = this.text.charCodeAt(this.pos);
    if (c === QUOTE) return this.parseString();
    if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) return this.parseNumber();
    if (c === OPEN_BRACE) return this.parseObject(depth + 1);
    if (c === OPEN_BRACKET) return this.parseArray(depth + 1);
    if (this.text.startsWith('true', this.pos)) {
      this.pos += 4;
      return true;
    }
    if (this.text.startsWith('false', this.pos)) {
      this.pos += 5;
      return false;
    }
    if (this.text.startsWith('null', this.pos)) {
      this.pos += 4;
      return null;
    }
    return this.fail('a JSON value');
  }

  parseObject(depth: number): JsonObject {
    if (depth > MAX_JSON_DEPTH) this.fail(`at most ${MAX_JSON_DEPTH} levels of nesting`);
    const text = this.text;
    const object: JsonObject = {};
    this.pos++; // '{'
    this.skipWhitespace();
    if (text.charCodeAt(this.pos) === CLOSE_BRACE) {
      this.pos++;
      return object;
    }
    return this.parseMembers(object, depth);
  }

  /** Members from a key to the closing brace, into `object`. */
  parseMembers(object: JsonObject, depth: number): JsonObject {
    const text = this.text;
    for (;;) {
      if (text.charCodeAt(this.pos) !== QUOTE) this.fail('a string key');
      const keyStart = this.pos;
      const key = this.parseString();
      if (depth === 1) {
        this.lastTopKey = key;
        this.lastTopKeyStart = keyStart;
      }
      if (Object.hasOwn(object, key)) {
        this.pos = keyStart;
        this.fail(`a key not already used in this object (${JSON.stringify(key)} is repeated)`);
      }
      this.skipWhitespace();
      if (text.charCodeAt(this.pos) !== COLON) this.fail("':'");
      this.pos++;
      this.skipWhitespace();
      const value = this.parseValue(depth);
      if (key === '__proto__') {
        Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
      } else {
        object[key] = value;
      }
      this.skipWhitespace();
      const c = text.charCodeAt(this.pos);
      if (c === COMMA) {
        this.pos++;
        this.skipWhitespace();
      } else if (c === CLOSE_BRACE) {
        this.pos++;
        return object;
      } else {
        this.fail("',' or '}'");
      }
    }
  }

  parseArray(depth: number): JsonValue[] {
    if (depth > MAX_JSON_DEPTH) this.fail(`at most ${MAX_JSON_DEPTH} levels of nesting`);
    const text = this.text;
    const array: JsonValue[] = [];
    this.pos++; // '['
    this.skipWhitespace();
    if (text.charCodeAt(this.pos) === CLOSE_BRACKET) {
      this.pos++;
      return array;
    }
    for (;;) {
      array.push(this.parseValue(depth));
      this.skipWhitespace();
      const c = text.charCodeAt(this.pos);
      if (c === COMMA) {
        this.pos++;
        this.skipWhitespace();
      } else if (c === CLOSE_BRACKET) {
        this.pos++;
        return array;
      } else {
        this.fail("',' or ']'");
      }
    }
  }

  parseString(): string {
    const text = this.text;
    const start = this.pos + 1;
    let pos = start;
    // Fast path: no escapes.
    for (;;) {
      if (pos >= text.length) {
        this.pos = pos;
        this.fail("'\"' to close the string");
      }
      const c = text.charCodeAt(pos);
      if (c === QUOTE) {
        this.pos = pos + 1;
        return text.slice(start, pos);
      }
      if (c === BACKSLASH) break;
      if (c < 0x20) {
        this.pos = pos;
        this.fail('a character other than a control character (escape it)');
      }
      pos++;
    }
    return this.parseEscapedString(start, pos);
  }

  private parseEscapedString(start: number, firstEscape: number): string {
    const text = this.text;
    let result = text.slice(start, firstEscape);
    let pos = firstEscape;
    let chunkStart = pos;
    for (;;) {
      if (pos >= text.length) {
        this.pos = pos;
        this.fail("'\"' to close the string");
      }
      const c = text.charCodeAt(pos);
      if (c === QUOTE) {
        result += text.slice(chunkStart, pos);
        this.pos = pos + 1;
        return result;
      }
      if (c < 0x20) {
        this.pos = pos;
        this.fail('a character other than a control character (escape it)');
      }
      if (c !== BACKSLASH) {
        pos++;
        continue;
      }
      result += text.slice(chunkStart, pos);
      const e = text.charCodeAt(pos + 1);
      pos += 2;
      switch (e) {
        case QUOTE:
          result += '"';
          break;
        case BACKSLASH:
          result += '\\';
          break;
        case 0x2f:
          result += '/';
          break;
        case 0x62:
          result += '\b';
          break;
        case 0x66:
          result += '\f';
          break;
        case 0x6e:
          result += '\n';
          break;
        case 0x72:
          result += '\r';
          break;
        case 0x74:
          result += '\t';
          break;
        case 0x75: {
          let code = 0;
          for (let i = 0; i < 4; i++) {
            const h = hexDigitValue(text.charCodeAt(pos + i));
            if (h < 0) {
              this.pos = pos + i;
              this.fail('4 hex digits after \\u');
            }
            code = code * 16 + h;
          }
          result += String.fromCharCode(code);
          pos += 4;
          break;
        }
        default:
          this.pos = pos - 1;
          this.fail('an escape: \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX');
      }
      chunkStart = pos;
    }
  }

  parseNumber(): number | JsonBigInt {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    let negative = false;
    if (text.charCodeAt(pos) === MINUS) {
      negative = true;
      pos++;
    }
    const digitsStart = pos;
    let c = text.charCodeAt(pos);
    let value = 0;
    if (c === DIGIT_0) {
      pos++;
    } else if (c > DIGIT_0 && c <= DIGIT_9) {
      while (c >= DIGIT_0 && c <= DIGIT_9) {
        value = value * 10 + (c - DIGIT_0);
        c = text.charCodeAt(++pos);
      }
    } else {
      this.pos = pos;
      this.fail('a digit');
    }
    const integerDigits = pos - digitsStart;
    c = text.charCodeAt(pos);
    let isInteger = true;
    if (c === 0x2e) {
      isInteger = false;
      c = text.charCodeAt(++pos);
      if (!(c >= DIGIT_0 && c <= DIGIT_9)) {
        this.pos = pos;
        this.fail('a digit after the decimal point');
      }
      while (c >= DIGIT_0 && c <= DIGIT_9) c = text.charCodeAt(++pos);
    }
    if (c === 0x65 || c === 0x45) {
      isInteger = false;
      c = text.charCodeAt(++pos);
      if (c === 0x2b || c === MINUS) c = text.charCodeAt(++pos);
      if (!(c >= DIGIT_0 && c <= DIGIT_9)) {
        this.pos = pos;
        this.fail('a digit in the exponent');
      }
      while (c >= DIGIT_0 && c <= DIGIT_9) c = text.charCodeAt(++pos);
    }
    this.pos = pos;
    if (isInteger) {
      if (integerDigits > MAX_SAFE_DIGITS) return new JsonBigInt(text.slice(start, pos));
      return negative ? -value : value;
    }
    return Number(text.slice(start, pos));
  }
}

function hexDigitValue(c: number): number {
  if (c >= DIGIT_0 && c <= DIGIT_9) return c - DIGIT_0;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** Where an offset of a text is, as 1-based line and column (column counts UTF-16 code units). */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** A JSON string literal for a text (JSON.stringify is exact and fast for strings). */
export function jsonString(text: string): string {
  return JSON.stringify(text);
}

/**
 * The offset of the value at a path such as `data[3].c3` or `tags[0]["a b"]` in a JSON text (for
 * error positions; only called when reporting an error). Stops at the deepest part of the path that
 * exists; returns 0 when the text is not valid JSON.
 */
export function locateJsonPath(text: string, path: string): number {
  const parser = new ExactJsonParser(text);
  try {
    const steps = parsePath(path);
    parser.skipWhitespace();
    for (let s = 0; s < steps.length; s++) {
      const step = steps[s];
      const c = text.charCodeAt(parser.pos);
      const here = parser.pos;
      if (typeof step === 'number' && c === OPEN_BRACKET) {
        parser.pos++;
        parser.skipWhitespace();
        for (let i = 0; i < step; i++) {
          parser.parseValue(0);
          parser.skipWhitespace();
          if (text.charCodeAt(parser.pos) !== COMMA) return here;
          parser.pos++;
          parser.skipWhitespace();
        }
        if (text.charCodeAt(parser.pos) === CLOSE_BRACKET) return here;
      } else if (typeof step === 'string' && c === OPEN_BRACE) {
        parser.pos++;
        parser.skipWhitespace();
        for (;;) {
          if (text.charCodeAt(parser.pos) !== QUOTE) return here;
          const keyStart = parser.pos;
          const key = parser.parseString();
          parser.skipWhitespace();
          parser.pos++; // ':'
          parser.skipWhitespace();
          if (key === step) {
            if (s === steps.length - 1) return keyStart;
            break;
          }
          parser.parseValue(0);
          parser.skipWhitespace();
          if (text.charCodeAt(parser.pos) !== COMMA) return here;
          parser.pos++;
          parser.skipWhitespace();
        }
      } else {
        return here;
      }
    }
    return parser.pos;
  } catch {
    return 0;
  }
}

function parsePath(path: string): (string | number)[] {
  const steps: (string | number)[] = [];
  let i = 0;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      i++;
    } else if (c === '[') {
      if (path[i + 1] === '"') {
        // A JSON string key: find its end by parsing it.
        const parser = new ExactJsonParser(path);
        parser.pos = i + 1;
        steps.push(parser.parseString());
        i = parser.pos + 1;
      } else {
        const end = path.indexOf(']', i);
        const index = end < 0 ? Number.NaN : Number(path.slice(i + 1, end));
        if (!Number.isInteger(index)) break;
        steps.push(index);
        i = end + 1;
      }
    } else {
      let end = i;
      while (end < path.length && path[end] !== '.' && path[end] !== '[') end++;
      steps.push(path.slice(i, end));
      i = end;
    }
  }
  return steps;
}
