// line_influxdb: one InfluxDB line per row; a message may hold several lines. The table must
// already exist (canCreateTable false): types are only inferred from how values are written
// (columns and tags marked `inferred`), and each value stays a WrittenValue that the writer
// coerces with coerceValue once it knows the table's real column types.
import type { DecodeContext } from '../decode-context';
import { addError, checkName, setRowValue } from '../decode-context';
import { describeFound } from '../errors';
import type { Batch, KwdbType, Row, WrittenValue } from '../model';
import { LINE_INFLUXDB_TIMESTAMP } from '../model';
import { epochToNanos, isTimestampInRange } from '../timestamps';
import type { InfluxLine } from './parse-line';
import { LineSyntaxError, parseInfluxLine } from './parse-line';

/** The KWDB type a written value suggests (the real type is the table's). */
export function inferredType(form: WrittenValue['form']): KwdbType {
  switch (form) {
    case 'int2':
      return 'INT2';
    case 'int4':
      return 'INT4';
    case 'int8':
      return 'INT8';
    case 'float4':
      return 'FLOAT4';
    case 'float8':
    case 'number':
      return 'FLOAT8';
    case 'bool':
      return 'BOOL';
    case 'nstring':
      return 'NVARCHAR';
    default:
      return 'VARCHAR';
  }
}

interface TableGroup {
  batch: Batch;
  /** Column or tag index of each name seen in this table, and the line that last used it (duplicate check). */
  indexOfName: Map<string, number>;
  lastLineOfName: number[];
  /**
   * The first-seen string of each name. Rows use it as their key: V8 then reuses one internalized
   * key per column instead of internalizing a freshly sliced string for every value (2x faster).
   */
  nameOfIndex: string[];
}

export function decodeLineInfluxdb(text: string, ctx: DecodeContext): Batch[] {
  const groups = new Map<string, TableGroup>();
  let count = 0;
  let start = 0;
  let lineNumber = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNumber++;
    const contentEnd = end > start && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    const lineStart = start;
    start = end + 1;
    // Skip empty lines and comments.
    if (contentEnd === lineStart || text.charCodeAt(lineStart) === 0x23) continue;
    if (++count > ctx.limits.maxRows) {
      addError(
        ctx,
        'FORMAT_TOO_MANY_ROWS',
        `at most ${ctx.limits.maxRows} lines`,
        `message has more than ${ctx.limits.maxRows} lines`,
        { line: lineNumber, column: 1 },
      );
      break;
    }
    const parsed = parseLine(text.slice(lineStart, contentEnd), lineNumber, ctx);
    if (parsed === undefined) continue;
    let group = groups.get(parsed.measurement);
    if (group === undefined) {
      if (!checkName(ctx, parsed.measurement, 'measurement', { line: lineNumber, column: 1 })) continue;
      group = {
        batch: {
          table: parsed.measurement,
          columns: [{ name: LINE_INFLUXDB_TIMESTAMP, type: 'TIMESTAMPTZ' }],
          tags: [],
          rows: [],
          precision: ctx.precision,
          canCreateTable: false,
        },
        indexOfName: new Map(),
        lastLineOfName: [],
        nameOfIndex: [],
      };
      groups.set(parsed.measurement, group);
    }
    const row = toRow(parsed, lineNumber, group, ctx);
    if (row !== undefined) group.batch.rows.push(row);
  }
  const batches: Batch[] = [];
  for (const group of groups.values()) if (group.batch.rows.length > 0) batches.push(group.batch);
  return batches;
}

/**
 * Parses a line. A line the grammar refuses that contains `\"` is tried once more as the guide
 * writes its examples: as the body of a string literal (`\"` for `"`, `\\` for `\`, and a trailing
 * `"` or `",` after the timestamp). If that fails too, the first error is reported.
 */
function parseLine(line: string, lineNumber: number, ctx: DecodeContext): InfluxLine | undefined {
  try {
    return parseInfluxLine(line);
  } catch (error) {
    if (!(error instanceof LineSyntaxError)) throw error;
    const literal = line.includes('\\"') ? parseGuideLiteral(line) : undefined;
    if (literal !== undefined) return literal;
    addError(ctx, error.code, error.expected, error.message, { line: lineNumber, column: error.offset + 1 });
    return undefined;
  }
}

function parseGuideLiteral(line: string): InfluxLine | undefined {
  let unescaped = '';
  let chunkStart = 0;
  for (let i = 0; i < line.length; i++) {
    if (line.charCodeAt(i) === 0x5c) {
      const next = line.charCodeAt(i + 1);
      if (next === 0x22 || next === 0x5c) {
        unescaped += line.slice(chunkStart, i);
        chunkStart = i + 1;
        i++;
      }
    }
  }
  unescaped += line.slice(chunkStart);
  const candidates = [unescaped];
  const trailing = unescaped.endsWith('",') ? 2 : unescaped.endsWith('"') ? 1 : 0;
  if (trailing > 0) {
    const beforeQuote = unescaped.charCodeAt(unescaped.length - trailing - 1);
    if (beforeQuote >= 0x30 && beforeQuote <= 0x39) candidates.push(unescaped.slice(0, -trailing));
  }
  for (const candidate of candidates) {
    try {
      return parseInfluxLine(candidate);
    } catch (error) {
      if (!(error instanceof LineSyntaxError)) throw error;
    }
  }
  return undefined;
}

function toRow(
  parsed: InfluxLine,
  lineNumber: number,
  group: TableGroup,
  ctx: DecodeContext,
): Row | undefined {
  const place = { line: lineNumber, column: 1 };
  const { names, values, tagCount } = parsed;
  if (tagCount > ctx.limits.maxTags || names.length - tagCount > ctx.limits.maxColumns) {
    addError(
      ctx,
      'FORMAT_TOO_MANY_COLUMNS',
      `at most ${ctx.limits.maxTags} tags and ${ctx.limits.maxColumns} fields`,
      `line has ${tagCount} tags and ${names.length - tagCount} fields`,
      place,
    );
    return undefined;
  }
  const row: Row = {};
  if (parsed.timestamp !== undefined) {
    const nanos = epochToNanos(BigInt(parsed.timestamp), ctx.precision);
    if (!isTimestampInRange(nanos, ctx.precision)) {
      addError(
        ctx,
        'FORMAT_INVALID_TIMESTAMP',
        `a timestamp within KWDB's range for precision ${ctx.precision}`,
        `timestamp ${describeFound(parsed.timestamp)} is outside KWDB's range for precision ${ctx.precision}`,
        place,
      );
      return undefined;
    }
    row[LINE_INFLUXDB_TIMESTAMP] = nanos;
  }
  const { indexOfName, lastLineOfName, nameOfIndex, batch } = group;
  const newNames: number[] = [];
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const value = values[i] as WrittenValue;
    const index = indexOfName.get(name);
    if (index === undefined) {
      if (!checkName(ctx, name, i < tagCount ? 'tag key' : 'field key', place)) return undefined;
      if (newNames.some((j) => names[j] === name)) return duplicate(name, ctx, place);
      newNames.push(i);
      names[i] = canonicalName(name);
      setRowValue(row, names[i] as string, value);
    } else {
      if (lastLineOfName[index] === lineNumber) return duplicate(name, ctx, place);
      lastLineOfName[index] = lineNumber;
      setRowValue(row, nameOfIndex[index] as string, value);
    }
  }
  // Only a line that decoded adds its new names to the table.
  for (const i of newNames) {
    const name = names[i] as string;
    const type = inferredType((values[i] as WrittenValue).form);
    indexOfName.set(name, lastLineOfName.length);
    lastLineOfName.push(lineNumber);
    nameOfIndex.push(name);
    if (i < tagCount) batch.tags.push({ name, type, inferred: true, primary: false, nullable: true });
    else batch.columns.push({ name, type, inferred: true });
  }
  return row;
}

/**
 * Names seen recently, each mapped to its first string. Rows keyed by these strings let V8 reuse
 * one internalized key per column across messages (measured: about 7% more one-line messages per CPU second). The
 * cache only changes which equal string is used, never a result; it is bounded.
 */
const recentNames = new Map<string, string>();
const MAX_RECENT_NAMES = 10_000;

function canonicalName(name: string): string {
  const known = recentNames.get(name);
  if (known !== undefined) return known;
  if (recentNames.size >= MAX_RECENT_NAMES) recentNames.clear();
  recentNames.set(name, name);
  return name;
}

function duplicate(name: string, ctx: DecodeContext, place: { line: number; column: number }): undefined {
  addError(
    ctx,
    'FORMAT_DUPLICATE_NAME',
    'each tag and field name once',
    `name ${JSON.stringify(name)} appears more than once in the line`,
    place,
  );
  return undefined;
}
