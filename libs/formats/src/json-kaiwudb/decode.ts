// json_kaiwudb: {"table":..., "columns":[...], "tags":[...], "data":[{...}, ...]} (guide,
// "KaiwuDB JSON Format"). The table definition is checked as KWDB would check CREATE TABLE; each
// row is checked against it. A bad definition fails the whole message; a bad row fails only itself.
import type { DecodeContext, ErrorPlace } from '../decode-context';
import { addError, addProblem, checkName, pathKey, setRowValue } from '../decode-context';
import { describeFound } from '../errors';
import type { JsonObject, JsonValue } from '../exact-json';
import {
  ExactJsonParser,
  JsonBigInt,
  JsonSyntaxError,
  lineAndColumn,
  parseExactJson,
  parseExactJsonMembers,
  parseExactJsonWithLastKey,
} from '../exact-json';
import { valueFromJson, jsonText } from '../json-values';
import { readGoodRows, rowShape, type FieldDef, type RowShape } from './good-rows';
import { MAX_PRIMARY_TAGS } from '../limits';
import type { Batch, ColumnDef, KwdbType, Row, TagDef } from '../model';
import { KWDB_TYPES } from '../model';
import { ValueProblem, MAX_TEXT_LENGTH, isFloatType, isTimestampType } from '../values';

/** Options that let the CLI's batch JSON (`rows` instead of `data`, inferred columns) reuse this decoder. */
export interface JsonTableOptions {
  rowsKey: 'data' | 'rows';
  /** Accept `"inferred": true` on columns and tags (line_influxdb batches printed by the CLI). */
  allowInferred: boolean;
}

const KAIWUDB_OPTIONS: JsonTableOptions = { rowsKey: 'data', allowInferred: false };

export function decodeJsonKaiwudb(text: string, ctx: DecodeContext): Batch[] {
  return decodeJsonTable(text, ctx, KAIWUDB_OPTIONS);
}

/** Parses exact JSON, reporting a syntax error with its line and column. */
export function parseMessageJson(text: string, ctx: DecodeContext): JsonValue | undefined {
  return reportSyntaxError(ctx, text, () => parseExactJson(text));
}

function reportSyntaxError<T>(ctx: DecodeContext, text: string, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const { line, column } = lineAndColumn(text, error.offset);
    addError(ctx, 'FORMAT_INVALID_JSON', error.expected, `invalid JSON: ${error.message}`, { line, column });
    return undefined;
  }
}

/**
 * The definitions of the last message that decoded without errors and ended with its rows key:
 * its text up to that key (`prefix`) and what the text gave. A message starting with the same
 * prefix has the same table, columns and tags (the same characters parse the same way), so only its
 * rows are parsed and read (issue 17: on the guide's message the definitions are half the bytes,
 * and parsing and checking them was a third of the decoding). One entry: a topic usually carries
 * one table; another table's message replaces it.
 */
interface DefinitionCache {
  options: JsonTableOptions;
  limits: DecodeContext['limits'];
  prefix: string;
  table: string;
  columns: ColumnDef[];
  tags: TagDef[];
  fields: FieldDef[];
  shape: RowShape;
  canCreateTable: boolean;
}
let definitionCache: DefinitionCache | undefined;

/** The limits that checking definitions depends on are the same. */
function sameDefinitionLimits(a: DecodeContext['limits'], b: DecodeContext['limits']): boolean {
  return (
    a === b || (a.maxColumns === b.maxColumns && a.maxTags === b.maxTags && a.maxNameBytes === b.maxNameBytes)
  );
}

/** Decodes with the cached definitions, or returns undefined when the full path must decode. */
function decodeWithCachedDefinitions(
  text: string,
  ctx: DecodeContext,
  options: JsonTableOptions,
): Batch[] | undefined {
  const cache = definitionCache;
  if (cache === undefined || cache.options !== options || !sameDefinitionLimits(cache.limits, ctx.limits))
    return undefined;
  if (!text.startsWith(cache.prefix)) return undefined;
  ctx.jsonText = text;
  // Good rows (the usual message) are read straight from the text; anything else the ways below.
  const parser = new ExactJsonParser(text);
  parser.pos = cache.prefix.length;
  const goodRows = readGoodRows(parser, options.rowsKey, cache.shape, ctx.precision, ctx.limits.maxRows);
  if (goodRows !== undefined) return [cachedBatch(cache, goodRows, ctx)];
  let rest: JsonObject;
  try {
    rest = parseExactJsonMembers(text, cache.prefix.length);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return undefined; // the full path reports it
    throw error;
  }
  // Only the rows key may follow the definitions; anything else is the full path's to report.
  let keys = 0;
  for (const key in rest) if (Object.hasOwn(rest, key)) keys++;
  const rowsJson = rest[options.rowsKey];
  if (keys !== 1 || !Array.isArray(rowsJson) || rowsJson.length > ctx.limits.maxRows) return undefined;
  const located = (path: string): ErrorPlace => ({ path });
  const rows: Row[] = [];
  for (let i = 0; i < rowsJson.length; i++) {
    const row = readRow(rowsJson[i] as JsonValue, i, cache.fields, ctx, options, located);
    if (row !== undefined) rows.push(row);
  }
  return [cachedBatch(cache, rows, ctx)];
}

function cachedBatch(cache: DefinitionCache, rows: Row[], ctx: DecodeContext): Batch {
  return {
    table: cache.table,
    columns: cache.columns,
    tags: cache.tags,
    rows,
    precision: ctx.precision,
    canCreateTable: cache.canCreateTable,
    canAddColumns: false,
  };
}

export function decodeJsonTable(text: string, ctx: DecodeContext, options: JsonTableOptions): Batch[] {
  const cached = decodeWithCachedDefinitions(text, ctx, options);
  if (cached !== undefined) return cached;
  const parsed = reportSyntaxError(ctx, text, () => parseExactJsonWithLastKey(text));
  if (parsed === undefined) return [];
  const json = parsed.value;
  ctx.jsonText = text;
  const located = (path: string): ErrorPlace => ({ path });
  if (!isObject(json)) {
    addError(ctx, 'FORMAT_WRONG_TYPE', 'a JSON object', `expected a JSON object, found ${jsonText(json)}`, {
      line: 1,
      column: 1,
    });
    return [];
  }
  const errorsBefore = ctx.errors.length;
  for (const key of Object.keys(json)) {
    if (key !== 'table' && key !== 'columns' && key !== 'tags' && key !== options.rowsKey) {
      addError(
        ctx,
        'FORMAT_UNKNOWN_FIELD',
        `one of table, columns, tags, ${options.rowsKey}`,
        `unknown field ${describeFound(key)}`,
        located(pathKey('', key)),
      );
    }
  }
  const table = json.table;
  if (typeof table !== 'string') {
    addError(
      ctx,
      'FORMAT_MISSING_VALUE',
      'a string "table"',
      table === undefined ? 'missing "table"' : `"table" must be a string, found ${jsonText(table)}`,
      located('table'),
    );
  } else {
    checkName(ctx, table, 'table name', located('table'));
  }
  const columns = readColumns(json.columns, ctx, options, located);
  const tags = readTags(json.tags, ctx, options, located);
  if (columns !== undefined && tags !== undefined) checkDuplicates(columns, tags, ctx, located);
  const rowsJson = json[options.rowsKey];
  if (rowsJson !== undefined && !Array.isArray(rowsJson)) {
    addError(
      ctx,
      'FORMAT_WRONG_TYPE',
      `an array "${options.rowsKey}"`,
      `"${options.rowsKey}" must be an array, found ${jsonText(rowsJson)}`,
      located(options.rowsKey),
    );
    return [];
  }
  if (
    ctx.errors.length > errorsBefore ||
    typeof table !== 'string' ||
    columns === undefined ||
    tags === undefined
  )
    return [];
  const rowList = rowsJson ?? [];
  if (rowList.length > ctx.limits.maxRows) {
    addError(
      ctx,
      'FORMAT_TOO_MANY_ROWS',
      `at most ${ctx.limits.maxRows} rows`,
      `message has ${rowList.length} rows, more than the limit of ${ctx.limits.maxRows}`,
      located(options.rowsKey),
    );
    return [];
  }

  const fields: FieldDef[] = [];
  columns.forEach((def, index) => {
    // The CLI's line_influxdb batches name the timestamp column '' and may lack it (a line without timestamp).
    const required = (index === 0 && def.name !== '') || def.nullable === false;
    fields.push({ def, isTag: false, required });
  });
  for (const def of tags) fields.push({ def, isTag: true, required: def.primary || !def.nullable });
  const canCreateTable = !options.allowInferred || !columns.some((c) => c.inferred);
  // The definitions are good: remember them for the next message with the same text before its rows.
  // Frozen: batches of later messages share them, so nobody may change them.
  if (parsed.lastKey === options.rowsKey) {
    for (const def of [...columns, ...tags]) Object.freeze(def);
    for (const field of fields) Object.freeze(field);
    definitionCache = {
      options,
      limits: ctx.limits,
      prefix: text.slice(0, parsed.lastKeyStart),
      table,
      columns: Object.freeze(columns) as ColumnDef[],
      tags: Object.freeze(tags) as TagDef[],
      fields: Object.freeze(fields) as FieldDef[],
      shape: rowShape(fields),
      canCreateTable,
    };
  }
  const rows: Row[] = [];
  for (let i = 0; i < rowList.length; i++) {
    const row = readRow(rowList[i] as JsonValue, i, fields, ctx, options, located);
    if (row !== undefined) rows.push(row);
  }
  return [
    {
      table,
      columns,
      tags,
      rows,
      precision: ctx.precision,
      canCreateTable,
      canAddColumns: false,
    },
  ];
}

function readRow(
  json: JsonValue,
  index: number,
  fields: FieldDef[],
  ctx: DecodeContext,
  options: JsonTableOptions,
  located: (path: string) => ErrorPlace,
): Row | undefined {
  const rowPath = `${options.rowsKey}[${index}]`;
  if (!isObject(json)) {
    addError(
      ctx,
      'FORMAT_WRONG_TYPE',
      'a row object',
      `row must be an object, found ${jsonText(json)}`,
      located(rowPath),
    );
    return undefined;
  }
  const row: Row = {};
  let ok = true;
  let matched = 0;
  for (let f = 0; f < fields.length; f++) {
    const field = fields[f] as FieldDef;
    const name = field.def.name;
    const given = Object.hasOwn(json, name);
    const raw = given ? (json[name] as JsonValue) : undefined;
    if (given) matched++;
    if (raw === undefined || raw === null) {
      if (field.required) {
        ok = false;
        const what = field.isTag
          ? (field.def as TagDef).primary
            ? 'primary tag'
            : 'NOT NULL tag'
          : f === 0
            ? 'timestamp column'
            : 'NOT NULL column';
        addError(
          ctx,
          'FORMAT_MISSING_VALUE',
          `a value for ${what} ${JSON.stringify(name)}`,
          `row has no value for ${what} ${JSON.stringify(name)}`,
          located(pathKey(rowPath, name)),
        );
      } else if (given) {
        setRowValue(row, name, null);
      }
      continue;
    }
    const value = valueFromJson(raw, field.def, ctx.precision, field.isTag);
    if (value instanceof ValueProblem) {
      ok = false;
      addProblem(ctx, value, located(pathKey(rowPath, name)));
      continue;
    }
    setRowValue(row, name, value);
  }
  let keyCount = 0;
  for (const _key in json) keyCount++;
  if (keyCount !== matched) {
    const known = new Set(fields.map((f) => f.def.name));
    for (const key of Object.keys(json)) {
      if (!known.has(key)) {
        ok = false;
        addError(
          ctx,
          'FORMAT_UNKNOWN_FIELD',
          'a declared column or tag',
          `row has ${describeFound(key)}, which is not a declared column or tag`,
          located(pathKey(rowPath, key)),
        );
      }
    }
  }
  return ok ? row : undefined;
}

function readColumns(
  json: JsonValue | undefined,
  ctx: DecodeContext,
  options: JsonTableOptions,
  located: (path: string) => ErrorPlace,
): ColumnDef[] | undefined {
  if (!Array.isArray(json) || json.length === 0) {
    addError(
      ctx,
      json === undefined ? 'FORMAT_MISSING_VALUE' : 'FORMAT_WRONG_TYPE',
      'a non-empty array "columns"',
      json === undefined ? 'missing "columns"' : '"columns" must be a non-empty array',
      located('columns'),
    );
    return undefined;
  }
  if (json.length > ctx.limits.maxColumns) {
    addError(
      ctx,
      'FORMAT_TOO_MANY_COLUMNS',
      `at most ${ctx.limits.maxColumns} columns`,
      `${json.length} columns, more than the limit of ${ctx.limits.maxColumns}`,
      located('columns'),
    );
    return undefined;
  }
  const errorsBefore = ctx.errors.length;
  const columns: ColumnDef[] = [];
  json.forEach((item, index) => {
    const path = `columns[${index}]`;
    const allowEmptyName = options.allowInferred && index === 0;
    const def = readDef(
      item,
      path,
      ['name', 'type', 'length', 'nullable', ...(options.allowInferred ? ['inferred'] : [])],
      ctx,
      located,
      allowEmptyName,
    );
    if (def === undefined) return;
    const column: ColumnDef = { name: def.name, type: def.type };
    if (def.length !== undefined) column.length = def.length;
    if (def.nullable !== undefined) column.nullable = def.nullable;
    if (def.inferred) column.inferred = true;
    if (index === 0 && !isTimestampType(def.type)) {
      addError(
        ctx,
        'FORMAT_WRONG_TYPE',
        'TIMESTAMP or TIMESTAMPTZ',
        `the first column must be TIMESTAMP or TIMESTAMPTZ, found ${def.type}`,
        located(`${path}.type`),
      );
    }
    if (index === 0 && def.nullable === true) {
      addError(
        ctx,
        'FORMAT_WRONG_TYPE',
        'a NOT NULL timestamp column',
        'the first (timestamp) column cannot be nullable',
        located(`${path}.nullable`),
      );
    }
    columns.push(column);
  });
  return ctx.errors.length > errorsBefore ? undefined : columns;
}

function readTags(
  json: JsonValue | undefined,
  ctx: DecodeContext,
  options: JsonTableOptions,
  located: (path: string) => ErrorPlace,
): TagDef[] | undefined {
  if (!Array.isArray(json) || json.length === 0) {
    addError(
      ctx,
      json === undefined ? 'FORMAT_MISSING_VALUE' : 'FORMAT_MISSING_PRIMARY_TAG',
      'a non-empty array "tags" with a primary tag',
      json === undefined
        ? 'missing "tags"'
        : '"tags" must be a non-empty array with at least one non-nullable primary tag',
      located('tags'),
    );
    return undefined;
  }
  if (json.length > ctx.limits.maxTags) {
    addError(
      ctx,
      'FORMAT_TOO_MANY_COLUMNS',
      `at most ${ctx.limits.maxTags} tags`,
      `${json.length} tags, more than the limit of ${ctx.limits.maxTags}`,
      located('tags'),
    );
    return undefined;
  }
  const errorsBefore = ctx.errors.length;
  const tags: TagDef[] = [];
  json.forEach((item, index) => {
    const path = `tags[${index}]`;
    const keys = [
      'name',
      'type',
      'length',
      'nullable',
      'primary',
      'isPrimary',
      ...(options.allowInferred ? ['inferred'] : []),
    ];
    const def = readDef(item, path, keys, ctx, located);
    if (def === undefined) return;
    const primary = def.primary ?? false;
    const nullable = def.nullable ?? !primary;
    const tag: TagDef = { name: def.name, type: def.type, primary, nullable };
    if (def.length !== undefined) tag.length = def.length;
    if (def.inferred) tag.inferred = true;
    if (
      def.type === 'TIMESTAMP' ||
      def.type === 'TIMESTAMPTZ' ||
      def.type === 'NVARCHAR' ||
      def.type === 'GEOMETRY'
    ) {
      addError(
        ctx,
        'FORMAT_INVALID_TAG',
        'a tag type other than TIMESTAMP, TIMESTAMPTZ, NVARCHAR, GEOMETRY',
        `KWDB does not allow ${def.type} tags`,
        located(`${path}.type`),
      );
    }
    if (primary && !def.inferred) {
      if (nullable) {
        addError(
          ctx,
          'FORMAT_INVALID_TAG',
          'a non-nullable primary tag',
          `primary tag ${JSON.stringify(def.name)} cannot be nullable`,
          located(`${path}.nullable`),
        );
      }
      if (isFloatType(def.type) || def.type === 'VARBYTES' || def.type === 'NVARCHAR') {
        addError(
          ctx,
          'FORMAT_INVALID_TAG',
          'a primary tag type that is not FLOAT4, FLOAT8 or VARBYTES',
          `KWDB does not allow a ${def.type} primary tag`,
          located(`${path}.type`),
        );
      }
    }
    tags.push(tag);
  });
  if (ctx.errors.length > errorsBefore) return undefined;
  const primaryCount = tags.filter((t) => t.primary).length;
  const inferred = tags.some((t) => t.inferred);
  if (!inferred && !tags.some((t) => t.primary && !t.nullable)) {
    addError(
      ctx,
      'FORMAT_MISSING_PRIMARY_TAG',
      'at least one non-nullable primary tag',
      'the table needs at least one non-nullable primary tag ("primary": true, "nullable": false)',
      located('tags'),
    );
    return undefined;
  }
  if (primaryCount > MAX_PRIMARY_TAGS) {
    addError(
      ctx,
      'FORMAT_INVALID_TAG',
      `at most ${MAX_PRIMARY_TAGS} primary tags`,
      `${primaryCount} primary tags; KWDB allows at most ${MAX_PRIMARY_TAGS}`,
      located('tags'),
    );
    return undefined;
  }
  return tags;
}

interface RawDef {
  name: string;
  type: KwdbType;
  length: number | undefined;
  nullable: boolean | undefined;
  primary: boolean | undefined;
  inferred: boolean;
}

function readDef(
  item: JsonValue,
  path: string,
  allowedKeys: string[],
  ctx: DecodeContext,
  located: (path: string) => ErrorPlace,
  allowEmptyName = false,
): RawDef | undefined {
  if (!isObject(item)) {
    addError(
      ctx,
      'FORMAT_WRONG_TYPE',
      'a definition object',
      `expected an object, found ${jsonText(item)}`,
      located(path),
    );
    return undefined;
  }
  const errorsBefore = ctx.errors.length;
  for (const key of Object.keys(item)) {
    if (!allowedKeys.includes(key)) {
      addError(
        ctx,
        'FORMAT_UNKNOWN_FIELD',
        `one of ${allowedKeys.join(', ')}`,
        `unknown field ${describeFound(key)}`,
        located(pathKey(path, key)),
      );
    }
  }
  const name = item.name;
  if (typeof name !== 'string') {
    addError(
      ctx,
      'FORMAT_MISSING_VALUE',
      'a string "name"',
      name === undefined ? 'missing "name"' : `"name" must be a string, found ${jsonText(name)}`,
      located(`${path}.name`),
    );
  } else if (name !== '' || !allowEmptyName) {
    checkName(ctx, name, 'name', located(`${path}.name`));
  }
  const typeName = item.type;
  let type: KwdbType | undefined;
  if (typeof typeName !== 'string') {
    addError(
      ctx,
      'FORMAT_MISSING_VALUE',
      'a string "type"',
      typeName === undefined ? 'missing "type"' : `"type" must be a string, found ${jsonText(typeName)}`,
      located(`${path}.type`),
    );
  } else {
    const upper = typeName.toUpperCase();
    type = KWDB_TYPES.find((t) => t === upper);
    if (type === undefined) {
      addError(
        ctx,
        'FORMAT_UNKNOWN_TYPE',
        `one of ${KWDB_TYPES.join(', ')}`,
        `unknown type ${describeFound(typeName)}`,
        located(`${path}.type`),
      );
    }
  }
  const length = readLength(item.length, type, ctx, located(`${path}.length`));
  const nullable = readBoolean(item.nullable, 'nullable', ctx, located(`${path}.nullable`));
  const primary = readBoolean(item.primary, 'primary', ctx, located(`${path}.primary`));
  const isPrimary = readBoolean(item.isPrimary, 'isPrimary', ctx, located(`${path}.isPrimary`));
  const inferred = readBoolean(item.inferred, 'inferred', ctx, located(`${path}.inferred`));
  if (primary !== undefined && isPrimary !== undefined && primary !== isPrimary) {
    addError(
      ctx,
      'FORMAT_WRONG_TYPE',
      '"primary" and "isPrimary" to agree',
      '"primary" and "isPrimary" disagree',
      located(`${path}.isPrimary`),
    );
  }
  if (ctx.errors.length > errorsBefore || typeof name !== 'string' || type === undefined) return undefined;
  return { name, type, length, nullable, primary: primary ?? isPrimary, inferred: inferred === true };
}

function readLength(
  json: JsonValue | undefined,
  type: KwdbType | undefined,
  ctx: DecodeContext,
  place: ErrorPlace,
): number | undefined {
  if (json === undefined) return undefined;
  if (typeof json !== 'number' || !Number.isInteger(json) || json < 1) {
    addError(
      ctx,
      'FORMAT_INVALID_LENGTH',
      'a positive integer "length"',
      `"length" must be a positive integer, found ${json instanceof JsonBigInt ? json.text : jsonText(json)}`,
      place,
    );
    return undefined;
  }
  const max = type === undefined ? undefined : MAX_TEXT_LENGTH[type];
  if (max !== undefined && json > max) {
    addError(
      ctx,
      'FORMAT_INVALID_LENGTH',
      `a ${type} length of at most ${max}`,
      `${type} length ${json} exceeds KWDB's maximum of ${max}`,
      place,
    );
    return undefined;
  }
  return json;
}

function readBoolean(
  json: JsonValue | undefined,
  key: string,
  ctx: DecodeContext,
  place: ErrorPlace,
): boolean | undefined {
  if (json === undefined) return undefined;
  if (typeof json !== 'boolean') {
    addError(
      ctx,
      'FORMAT_WRONG_TYPE',
      `true or false for "${key}"`,
      `"${key}" must be true or false, found ${jsonText(json)}`,
      place,
    );
    return undefined;
  }
  return json;
}

function checkDuplicates(
  columns: ColumnDef[],
  tags: TagDef[],
  ctx: DecodeContext,
  located: (path: string) => ErrorPlace,
): void {
  const seen = new Set<string>();
  const all: [ColumnDef, string][] = [
    ...columns.map((c, i): [ColumnDef, string] => [c, `columns[${i}].name`]),
    ...tags.map((t, i): [ColumnDef, string] => [t, `tags[${i}].name`]),
  ];
  for (const [def, path] of all) {
    if (seen.has(def.name)) {
      addError(
        ctx,
        'FORMAT_DUPLICATE_NAME',
        'column and tag names used once',
        `name ${JSON.stringify(def.name)} is used more than once`,
        located(path),
      );
    }
    seen.add(def.name);
  }
}

export function isObject(json: JsonValue | undefined): json is JsonObject {
  return typeof json === 'object' && json !== null && !Array.isArray(json) && !(json instanceof JsonBigInt);
}
