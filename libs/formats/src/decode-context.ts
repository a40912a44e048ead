// What every decoder carries while it works: the format, the precision, the limits, where the
// message came from (for error locations) and the list of errors found so far.
import type { FormatErrorCode } from './errors';
import { FormatError, describeFound } from './errors';
import { lineAndColumn, locateJsonPath } from './exact-json';
import type { Limits } from './limits';
import type { Batch, Precision, Protocol, Row, Value } from './model';
import type { ValueProblem } from './values';
import { utf8ByteLength } from './values';

export interface DecodeContext {
  /** The format being decoded; undefined for the CLI's batch JSON. */
  format: Protocol | undefined;
  precision: Precision;
  limits: Readonly<Limits>;
  /** Name of the message's source for error locations (file name, topic/partition@offset). */
  source: string | undefined;
  /** Line number of the message's first line in its source (1 for a Kafka record). */
  firstLine: number;
  errors: FormatError[];
  /** The JSON text being decoded: errors with a JSON path get the line and column of that path. */
  jsonText?: string;
}

export interface DecodeResult {
  /** One batch per table (per table and tag-key set for OpenTSDB), holding every row that decoded. */
  batches: Batch[];
  /** Every problem found, in message order. A row with a problem is not in `batches`. */
  errors: FormatError[];
}

export interface ErrorPlace {
  /** 1-based line within the message. */
  line?: number;
  column?: number;
  path?: string;
}

export function addError(
  ctx: DecodeContext,
  code: FormatErrorCode,
  expected: string,
  message: string,
  place: ErrorPlace,
): void {
  if (place.path !== undefined && place.line === undefined && ctx.jsonText !== undefined) {
    const offset = locateJsonPath(ctx.jsonText, place.path);
    place = { ...place, ...lineAndColumn(ctx.jsonText, offset) };
  }
  ctx.errors.push(
    new FormatError({
      code,
      format: ctx.format,
      source: ctx.source,
      line: place.line === undefined ? ctx.firstLine : ctx.firstLine + place.line - 1,
      column: place.column,
      path: place.path,
      expected,
      message,
    }),
  );
}

export function addProblem(ctx: DecodeContext, problem: ValueProblem, place: ErrorPlace): void {
  addError(ctx, problem.code, problem.expected, problem.message, place);
}

/** Checks a table, column or tag name: not empty, not longer than the limit. Returns the problem's code or undefined. */
export function checkName(ctx: DecodeContext, name: string, what: string, place: ErrorPlace): boolean {
  if (name.length === 0) {
    addError(ctx, 'FORMAT_EMPTY_NAME', `a non-empty ${what}`, `empty ${what}`, place);
    return false;
  }
  if (name.length > ctx.limits.maxNameBytes / 3 && utf8ByteLength(name) > ctx.limits.maxNameBytes) {
    addError(
      ctx,
      'FORMAT_NAME_TOO_LONG',
      `a ${what} of at most ${ctx.limits.maxNameBytes} bytes`,
      `${what} ${describeFound(name)} is longer than ${ctx.limits.maxNameBytes} bytes`,
      place,
    );
    return false;
  }
  return true;
}

/** Sets a row value; a column named `__proto__` becomes an own property, never the prototype. */
export function setRowValue(row: Row, name: string, value: Value): void {
  if (name === '__proto__') {
    Object.defineProperty(row, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    row[name] = value;
  }
}

/** The Batch precision for a message precision: KWDB has no seconds column, 's' epochs go to a ms column. */
export function tablePrecision(precision: Precision): Precision {
  return precision === 's' ? 'ms' : precision;
}

/** JSON path text: `data[3].c3`; names that are not identifiers are quoted: `data[0]["a b"]`. */
export function pathKey(parent: string, key: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key);
  const step = plain ? `.${key}` : `[${JSON.stringify(key)}]`;
  return parent === '' ? (plain ? key : step) : parent + step;
}

/**
 * A row's value for a column, reading only the row's own keys: a column named like an Object
 * property ("constructor", "valueOf") that the row does not have is undefined, not a function.
 */
export function rowValue(row: Row, name: string): Value | undefined {
  return Object.hasOwn(row, name) ? row[name] : undefined;
}
