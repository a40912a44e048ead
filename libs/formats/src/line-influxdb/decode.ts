// line_influxdb: one InfluxDB line per row; a message may hold several lines. The table must
// already exist (canCreateTable false): types are only inferred from how values are written
// (columns and tags marked `inferred`), and each value stays a WrittenValue that the writer
// coerces with coerceValue once it knows the table's real column types.
import type { DecodeContext } from '../decode-context';
import { addError, checkName, setRowValue } from '../decode-context';
import { describeFound } from '../errors';
import { forEachLine } from '../lines';
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
  names: Set<string>;
}

export function decodeLineInfluxdb(text: string, ctx: DecodeContext): Batch[] {
  const groups = new Map<string, TableGroup>();
  let count = 0;
  forEachLine(text, (line, lineNumber) => {
    if (line.charCodeAt(0) === 0x23 /* # comment */) return;
    if (++count > ctx.limits.maxRows) {
      if (count === ctx.limits.maxRows + 1) {
        addError(
          ctx,
          'FORMAT_TOO_MANY_ROWS',
          `at most ${ctx.limits.maxRows} lines`,
          `message has more than ${ctx.limits.maxRows} lines`,
          { line: lineNumber, column: 1 },
        );
      }
      return;
    }
    const parsed = parseLine(line, lineNumber, ctx);
    if (parsed === undefined) return;
    const row = toRow(parsed, lineNumber, ctx);
    if (row === undefined) return;
    let group = groups.get(parsed.measurement);
    if (group === undefined) {
      group = {
        batch: {
          table: parsed.measurement,
          columns: [{ name: LINE_INFLUXDB_TIMESTAMP, type: 'TIMESTAMPTZ' }],
          tags: [],
          rows: [],
          precision: ctx.precision,
          canCreateTable: false,
        },
        names: new Set(),
      };
      groups.set(parsed.measurement, group);
    }
    for (const [name, value] of parsed.tags) {
      if (!group.names.has(name)) {
        group.names.add(name);
        group.batch.tags.push({
          name,
          type: inferredType(value.form),
          inferred: true,
          primary: false,
          nullable: true,
        });
      }
    }
    for (const [name, value] of parsed.fields) {
      if (!group.names.has(name)) {
        group.names.add(name);
        group.batch.columns.push({ name, type: inferredType(value.form), inferred: true });
      }
    }
    group.batch.rows.push(row);
  });
  return [...groups.values()].map((g) => g.batch);
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

function toRow(parsed: InfluxLine, lineNumber: number, ctx: DecodeContext): Row | undefined {
  const place = { line: lineNumber, column: 1 };
  if (!checkName(ctx, parsed.measurement, 'measurement', place)) return undefined;
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
  const count = parsed.tags.length + parsed.fields.length;
  if (parsed.tags.length > ctx.limits.maxTags || parsed.fields.length > ctx.limits.maxColumns) {
    addError(
      ctx,
      'FORMAT_TOO_MANY_COLUMNS',
      `at most ${ctx.limits.maxTags} tags and ${ctx.limits.maxColumns} fields`,
      `line has ${parsed.tags.length} tags and ${parsed.fields.length} fields`,
      place,
    );
    return undefined;
  }
  for (let i = 0; i < count; i++) {
    const [name, value] = (
      i < parsed.tags.length ? parsed.tags[i] : parsed.fields[i - parsed.tags.length]
    ) as [string, WrittenValue];
    if (!checkName(ctx, name, i < parsed.tags.length ? 'tag key' : 'field key', place)) return undefined;
    if (Object.hasOwn(row, name)) {
      addError(
        ctx,
        'FORMAT_DUPLICATE_NAME',
        'each tag and field name once',
        `name ${JSON.stringify(name)} appears more than once in the line`,
        place,
      );
      return undefined;
    }
    setRowValue(row, name, value);
  }
  return row;
}
