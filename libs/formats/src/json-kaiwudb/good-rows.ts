// The rows of a json_kaiwudb message whose definitions are already known (decode.ts caches them),
// read straight from the text into rows: no object per JSON row and no string per key (issue 17:
// on the guide's message they were a large share of the sink worker's garbage). Only for good
// rows: at the first thing that is not a good row (an unknown, escaped or repeated key, a missing
// required value, a value its column cannot hold, anything after the rows), it returns undefined
// and the caller decodes the message the general way, which reports what is wrong and where.
import type { ExactJsonParser } from '../exact-json';
import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  JsonSyntaxError,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
} from '../exact-json';
import { setRowValue } from '../decode-context';
import { valueFromJson } from '../json-values';
import type { ColumnDef, Precision, Row } from '../model';
import { ValueProblem } from '../values';

/** A column or tag of the definitions, as rows are read against it. */
export interface FieldDef {
  def: ColumnDef;
  isTag: boolean;
  /** Must be present and not null in every row: the timestamp, NOT NULL columns and tags, primary tags. */
  required: boolean;
}

/** What reading rows needs to know of the definitions, computed once per definitions. */
export interface RowShape {
  fields: readonly FieldDef[];
  /** Each field's name as a JSON string (`"ts"`): how a key naming it is written without escapes. */
  quotedNames: readonly string[];
  requiredCount: number;
}

export function rowShape(fields: readonly FieldDef[]): RowShape {
  return {
    fields,
    quotedNames: fields.map((f) => JSON.stringify(f.def.name)),
    requiredCount: fields.filter((f) => f.required).length,
  };
}

/** Rows sit at depth 3 of the message: the message object, the rows array, the row object. */
const ROW_DEPTH = 3;

/** Where a row's key starts: the index of the field it names, or -1. Tries `next` (keys in order) first. */
function fieldAt(text: string, pos: number, shape: RowShape, next: number): number {
  if (next < shape.quotedNames.length && text.startsWith(shape.quotedNames[next]!, pos)) return next;
  for (let f = 0; f < shape.quotedNames.length; f++)
    if (text.startsWith(shape.quotedNames[f]!, pos)) return f;
  return -1;
}

/**
 * The rows of `"<rowsKey>": [ {...}, ... ] }` starting at the parser's position, to the end of the
 * text; undefined when anything is not a good row (see the top of this file).
 */
export function readGoodRows(
  parser: ExactJsonParser,
  rowsKey: string,
  shape: RowShape,
  precision: Precision,
  maxRows: number,
): Row[] | undefined {
  try {
    return readRows(parser, rowsKey, shape, precision, maxRows);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return undefined;
    throw error;
  }
}

function readRows(
  p: ExactJsonParser,
  rowsKey: string,
  shape: RowShape,
  precision: Precision,
  maxRows: number,
): Row[] | undefined {
  const text = p.text;
  const quotedKey = `"${rowsKey}"`;
  if (!text.startsWith(quotedKey, p.pos)) return undefined;
  p.pos += quotedKey.length;
  if (!skipTo(p, COLON) || !skipTo(p, OPEN_BRACKET)) return undefined;
  const rows: Row[] = [];
  const seen = new Int32Array(shape.fields.length); // seen[f] === rows.length + 1: given in this row
  p.skipWhitespace();
  if (text.charCodeAt(p.pos) === CLOSE_BRACKET) p.pos++;
  else {
    for (;;) {
      if (rows.length === maxRows || !skipTo(p, OPEN_BRACE)) return undefined;
      const row = readRow(p, shape, precision, seen, rows.length + 1);
      if (row === undefined) return undefined;
      rows.push(row);
      p.skipWhitespace();
      const c = text.charCodeAt(p.pos++);
      if (c === CLOSE_BRACKET) break;
      if (c !== COMMA) return undefined;
    }
  }
  // Only the end of the message may follow the rows.
  if (!skipTo(p, CLOSE_BRACE)) return undefined;
  p.skipWhitespace();
  return p.pos === text.length ? rows : undefined;
}

/** Skips whitespace and the character `c`; false when something else is there. */
function skipTo(p: ExactJsonParser, c: number): boolean {
  p.skipWhitespace();
  if (p.text.charCodeAt(p.pos) !== c) return false;
  p.pos++;
  return true;
}

/** One row from after its `{` to after its `}`, or undefined when it is not a good row. */
function readRow(
  p: ExactJsonParser,
  shape: RowShape,
  precision: Precision,
  seen: Int32Array,
  stamp: number,
): Row | undefined {
  const text = p.text;
  const row: Row = {};
  let required = 0;
  let next = 0;
  p.skipWhitespace();
  if (text.charCodeAt(p.pos) === CLOSE_BRACE) {
    p.pos++;
    return shape.requiredCount === 0 ? row : undefined;
  }
  for (;;) {
    if (text.charCodeAt(p.pos) !== QUOTE) return undefined;
    const f = fieldAt(text, p.pos, shape, next);
    if (f < 0 || seen[f] === stamp) return undefined;
    seen[f] = stamp;
    next = f + 1;
    const field = shape.fields[f]!;
    p.pos += shape.quotedNames[f]!.length;
    if (!skipTo(p, COLON)) return undefined;
    p.skipWhitespace();
    const raw = p.parseValue(ROW_DEPTH - 1);
    if (raw === null) {
      if (field.required) return undefined;
      setRowValue(row, field.def.name, null);
    } else {
      const value = valueFromJson(raw, field.def, precision, field.isTag);
      if (value instanceof ValueProblem) return undefined;
      setRowValue(row, field.def.name, value);
      if (field.required) required++;
    }
    p.skipWhitespace();
    const c = text.charCodeAt(p.pos++);
    if (c === CLOSE_BRACE) return required === shape.requiredCount ? row : undefined;
    if (c !== COMMA) return undefined;
    p.skipWhitespace();
  }
}
