// line_opentsdb: `<metric> <timestamp> <value> <tagk>=<tagv>[ <tagk>=<tagv>...]`, one data point
// per line (OpenTSDB's telnet `put` without the word put). Fields are separated by one or more
// spaces. A bad line is reported with its line and column; the other lines are kept.
import type { DecodeContext } from '../decode-context';
import { addError } from '../decode-context';
import { describeFound } from '../errors';
import type { Batch } from '../model';
import type { DataPoint } from '../opentsdb/points';
import { checkTags, checkValueLength, pointsToBatches, splitMetric } from '../opentsdb/points';
import { epochToNanos, isTimestampInRange } from '../timestamps';
import { isIntegerText, isJsonNumberText } from '../values';
import { forEachLine } from '../lines';

export function decodeLineOpentsdb(text: string, ctx: DecodeContext): Batch[] {
  const points: DataPoint[] = [];
  let count = 0;
  forEachLine(text, (line, lineNumber) => {
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
    const point = readLine(line, lineNumber, ctx);
    if (point !== undefined) points.push(point);
  });
  return pointsToBatches(points, ctx);
}

interface Token {
  text: string;
  column: number;
}

function splitTokens(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && line.charCodeAt(i) === 0x20) i++;
    if (i >= line.length) break;
    const start = i;
    while (i < line.length && line.charCodeAt(i) !== 0x20) i++;
    tokens.push({ text: line.slice(start, i), column: start + 1 });
  }
  return tokens;
}

function readLine(line: string, lineNumber: number, ctx: DecodeContext): DataPoint | undefined {
  const tokens = splitTokens(line);
  const place = { line: lineNumber, column: 1 };
  const names = ['metric', 'timestamp', 'value', 'tag'];
  if (tokens.length < 4) {
    const missing = names[tokens.length] as string;
    addError(
      ctx,
      tokens.length < 3 ? 'FORMAT_SYNTAX' : 'FORMAT_MISSING_PRIMARY_TAG',
      `<metric> <timestamp> <value> <tagk>=<tagv>...`,
      `line ends before its ${missing}`,
      { line: lineNumber, column: line.length + 1 },
    );
    return undefined;
  }
  const [metric, timestamp, value] = tokens as [Token, Token, Token];
  const split = splitMetric(metric.text, ctx, place);
  if (split === undefined) return undefined;
  const at = (token: Token) => ({ line: lineNumber, column: token.column });
  if (!isIntegerText(timestamp.text)) {
    addError(
      ctx,
      'FORMAT_INVALID_TIMESTAMP',
      `an integer epoch in ${ctx.precision}`,
      `invalid timestamp ${describeFound(timestamp.text)}`,
      at(timestamp),
    );
    return undefined;
  }
  const nanos = epochToNanos(BigInt(timestamp.text), ctx.precision);
  if (!isTimestampInRange(nanos, ctx.precision)) {
    addError(
      ctx,
      'FORMAT_INVALID_TIMESTAMP',
      `a timestamp within KWDB's range`,
      `timestamp ${describeFound(timestamp.text)} is outside KWDB's range`,
      at(timestamp),
    );
    return undefined;
  }
  if (!isJsonNumberText(value.text)) {
    addError(
      ctx,
      'FORMAT_INVALID_NUMBER',
      'an integer or float value',
      `invalid value ${describeFound(value.text)}`,
      at(value),
    );
    return undefined;
  }
  if (!checkValueLength(value.text, ctx, at(value))) return undefined;
  const tags: [string, string][] = [];
  for (let t = 3; t < tokens.length; t++) {
    const token = tokens[t] as Token;
    const eq = token.text.indexOf('=');
    if (eq < 0) {
      addError(
        ctx,
        'FORMAT_SYNTAX',
        '<tagk>=<tagv>',
        `expected <tagk>=<tagv>, found ${describeFound(token.text)}`,
        at(token),
      );
      return undefined;
    }
    tags.push([token.text.slice(0, eq), token.text.slice(eq + 1)]);
  }
  const sorted = checkTags(tags, ctx, { line: lineNumber, column: (tokens[3] as Token).column });
  if (sorted === undefined) return undefined;
  return {
    table: split.table,
    column: split.column,
    timestamp: nanos,
    value: value.text,
    tags: sorted,
    place,
  };
}
