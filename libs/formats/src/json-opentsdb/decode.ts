// json_opentsdb: one data point {"metric","timestamp","value","tags"} or an array of them
// (OpenTSDB's /api/put body). A bad point is reported with its JSON path; the others are kept.
import type { DecodeContext, ErrorPlace } from '../decode-context';
import { addError, addProblem, pathKey } from '../decode-context';
import { describeFound } from '../errors';
import type { JsonValue } from '../exact-json';
import { JsonBigInt } from '../exact-json';
import { isObject, parseMessageJson } from '../json-kaiwudb/decode';
import { jsonText, timestampFromJson } from '../json-values';
import type { Batch } from '../model';
import type { DataPoint } from '../opentsdb/points';
import { checkTags, checkValueLength, pointsToBatches, splitMetric } from '../opentsdb/points';
import { ValueProblem, floatText } from '../values';

const POINT_KEYS = new Set(['metric', 'timestamp', 'value', 'tags']);

export function decodeJsonOpentsdb(text: string, ctx: DecodeContext): Batch[] {
  const json = parseMessageJson(text, ctx);
  if (json === undefined) return [];
  ctx.jsonText = text;
  const single = !Array.isArray(json);
  const items: JsonValue[] = Array.isArray(json) ? json : [json];
  if (items.length > ctx.limits.maxRows) {
    addError(
      ctx,
      'FORMAT_TOO_MANY_ROWS',
      `at most ${ctx.limits.maxRows} data points`,
      `message has ${items.length} data points, more than the limit of ${ctx.limits.maxRows}`,
      { line: 1, column: 1 },
    );
    return [];
  }
  const points: DataPoint[] = [];
  for (let i = 0; i < items.length; i++) {
    const point = readPoint(items[i] as JsonValue, single ? '' : `[${i}]`, ctx);
    if (point !== undefined) points.push(point);
  }
  return pointsToBatches(points, ctx);
}

function readPoint(item: JsonValue, path: string, ctx: DecodeContext): DataPoint | undefined {
  const at = (key: string): ErrorPlace => ({ path: pathKey(path, key) });
  const place: ErrorPlace = path === '' ? { line: 1, column: 1 } : { path };
  if (!isObject(item)) {
    addError(
      ctx,
      'FORMAT_WRONG_TYPE',
      'a data point object',
      `expected a data point object, found ${jsonText(item)}`,
      place,
    );
    return undefined;
  }
  const errorsBefore = ctx.errors.length;
  for (const key of Object.keys(item)) {
    if (!POINT_KEYS.has(key)) {
      addError(
        ctx,
        'FORMAT_UNKNOWN_FIELD',
        'one of metric, timestamp, value, tags',
        `unknown field ${describeFound(key)}`,
        at(key),
      );
    }
  }
  const metric = item.metric;
  let split: { table: string; column: string } | undefined;
  if (typeof metric !== 'string') {
    addError(
      ctx,
      'FORMAT_MISSING_VALUE',
      'a string "metric"',
      metric === undefined ? 'missing "metric"' : `"metric" must be a string, found ${jsonText(metric)}`,
      at('metric'),
    );
  } else {
    split = splitMetric(metric, ctx, at('metric'));
  }
  let timestamp: bigint | undefined;
  if (item.timestamp === undefined || item.timestamp === null) {
    addError(ctx, 'FORMAT_MISSING_VALUE', 'an integer "timestamp"', 'missing "timestamp"', at('timestamp'));
  } else {
    const ts = timestampFromJson(item.timestamp, ctx.precision);
    if (ts instanceof ValueProblem) addProblem(ctx, ts, at('timestamp'));
    else if (typeof item.timestamp === 'string') {
      addError(
        ctx,
        'FORMAT_WRONG_TYPE',
        `an integer epoch in ${ctx.precision}`,
        '"timestamp" must be an integer epoch',
        at('timestamp'),
      );
    } else timestamp = ts;
  }
  const value = pointValue(item.value, ctx, at('value'));
  const tags = readTags(item.tags, ctx, at('tags'));
  if (
    ctx.errors.length > errorsBefore ||
    split === undefined ||
    timestamp === undefined ||
    value === undefined ||
    tags === undefined
  ) {
    return undefined;
  }
  return { table: split.table, column: split.column, timestamp, value, tags, place };
}

/** The value as exact text: a number's digits, true/false, or the string. */
function pointValue(json: JsonValue | undefined, ctx: DecodeContext, place: ErrorPlace): string | undefined {
  let text: string;
  if (typeof json === 'number') text = floatText(json);
  else if (json instanceof JsonBigInt) text = json.text;
  else if (typeof json === 'boolean') text = json ? 'true' : 'false';
  else if (typeof json === 'string') text = json;
  else {
    addError(
      ctx,
      json === undefined ? 'FORMAT_MISSING_VALUE' : 'FORMAT_WRONG_TYPE',
      'a number, boolean or string "value"',
      json === undefined
        ? 'missing "value"'
        : `"value" must be a number, boolean or string, found ${jsonText(json)}`,
      place,
    );
    return undefined;
  }
  return checkValueLength(text, ctx, place) ? text : undefined;
}

function readTags(
  json: JsonValue | undefined,
  ctx: DecodeContext,
  place: ErrorPlace,
): [string, string][] | undefined {
  if (!isObject(json)) {
    addError(
      ctx,
      json === undefined ? 'FORMAT_MISSING_PRIMARY_TAG' : 'FORMAT_WRONG_TYPE',
      'an object "tags" with at least one tag',
      json === undefined ? 'missing "tags"' : `"tags" must be an object, found ${jsonText(json)}`,
      place,
    );
    return undefined;
  }
  const tags: [string, string][] = [];
  for (const key of Object.keys(json)) {
    const value = json[key] as JsonValue;
    // "All tag data types are automatically converted to VARCHAR" (guide): numbers and booleans become their text.
    if (typeof value === 'string') tags.push([key, value]);
    else if (typeof value === 'number') tags.push([key, floatText(value)]);
    else if (value instanceof JsonBigInt) tags.push([key, value.text]);
    else if (typeof value === 'boolean') tags.push([key, value ? 'true' : 'false']);
    else {
      addError(
        ctx,
        'FORMAT_WRONG_TYPE',
        'a string, number or boolean tag value',
        `tag ${JSON.stringify(key)} must be a string, number or boolean, found ${jsonText(value)}`,
        { path: pathKey(place.path ?? '', key) },
      );
      return undefined;
    }
  }
  return checkTags(tags, ctx, place);
}
