// line_influxdb encoder: one record per row (one line). Names and tag values escape space , = " \
import { rowValue } from '../decode-context';
// with a backslash; strings are double-quoted with " and \ escaped; NCHAR/NVARCHAR use L"...";
// VARBYTES is "\x<hex>"; integer suffixes i16/i32/i64, floats f32/f64; extra TIMESTAMP columns
// are written as "YYYY-MM-DD HH:MI:SS.fff" strings (exact to the nanosecond); the first column is
// the line's timestamp as an epoch in `precision`. Null tags and fields are left out.
import type { EncodedRecord } from '../encoded-record';
import { epochText, notRepresentable } from '../json-values';
import type { Batch, ColumnDef, Precision, Value, WrittenValue } from '../model';
import { recordKey, valueText } from '../record-key';
import { formatTimestampText } from '../timestamps';
import { bytesToHexText, floatText } from '../values';

export function encodeLineInfluxdb(batch: Batch, precision: Precision): EncodedRecord[] {
  const records: EncodedRecord[] = [];
  const tsColumn = batch.columns[0];
  if (tsColumn === undefined)
    throw notRepresentable('line_influxdb', `table ${JSON.stringify(batch.table)} has no columns`);
  if (batch.table.startsWith('#'))
    throw notRepresentable(
      'line_influxdb',
      `table ${JSON.stringify(batch.table)} starts with '#', which makes a comment line`,
    );
  const measurement = escapeName(batch.table);
  for (const row of batch.rows) {
    let line = measurement;
    for (const tag of batch.tags) {
      const value = rowValue(row, tag.name);
      if (value === undefined || value === null) continue;
      const text = valueText(value);
      if (text.length === 0)
        throw notRepresentable('line_influxdb', `tag ${JSON.stringify(tag.name)} has an empty value`);
      line += `,${escapeName(tag.name)}=${escapeName(text)}`;
    }
    let fields = '';
    for (let i = 1; i < batch.columns.length; i++) {
      const column = batch.columns[i] as ColumnDef;
      const value = rowValue(row, column.name);
      if (value === undefined || value === null) continue;
      fields += `${fields === '' ? '' : ','}${escapeName(column.name)}=${fieldValue(value, column)}`;
    }
    if (fields === '')
      throw notRepresentable(
        'line_influxdb',
        `a row of ${JSON.stringify(batch.table)} has no non-null field`,
      );
    line += ` ${fields}`;
    const ts = rowValue(row, tsColumn.name);
    if (typeof ts === 'bigint') line += ` ${epochText(ts, precision, 'line_influxdb', tsColumn.name)}`;
    records.push({ key: recordKey(batch, row), value: line });
  }
  return records;
}

function fieldValue(value: Exclude<Value, null>, column: ColumnDef): string {
  if (typeof value === 'object' && !(value instanceof Uint8Array)) return writtenField(value);
  switch (column.type) {
    case 'INT2':
      return `${valueText(value)}i16`;
    case 'INT4':
      return `${valueText(value)}i32`;
    case 'INT8':
      return `${valueText(value)}i64`;
    case 'FLOAT4':
    case 'FLOAT8': {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw notRepresentable(
          'line_influxdb',
          `${String(value)} in ${JSON.stringify(column.name)} is not a finite number`,
        );
      }
      return `${floatText(value)}${column.type === 'FLOAT4' ? 'f32' : 'f64'}`;
    }
    case 'BOOL':
      return value === true ? 'true' : 'false';
    case 'TIMESTAMP':
    case 'TIMESTAMPTZ':
      if (typeof value !== 'bigint')
        throw notRepresentable('line_influxdb', `${JSON.stringify(column.name)} is not a timestamp`);
      return `"${formatTimestampText(value)}"`;
    case 'VARBYTES':
      return quoted(value instanceof Uint8Array ? bytesToHexText(value) : valueText(value));
    case 'NCHAR':
    case 'NVARCHAR':
      return `L${quoted(valueText(value))}`;
    default:
      return quoted(valueText(value));
  }
}

function writtenField(value: WrittenValue): string {
  switch (value.form) {
    case 'int2':
      return `${value.text}i16`;
    case 'int4':
      return `${value.text}i32`;
    case 'int8':
      return `${value.text}i64`;
    case 'float4':
      return `${value.text}f32`;
    case 'float8':
      return `${value.text}f64`;
    case 'number':
    case 'bool':
      return value.text;
    case 'nstring':
      return `L${quoted(value.text)}`;
    default:
      return quoted(value.text);
  }
}

function checkNoNewline(text: string): void {
  if (text.includes('\n') || text.includes('\r')) {
    throw notRepresentable('line_influxdb', `${JSON.stringify(text)} contains a line break`);
  }
}

/** Escapes a measurement, key or tag value: backslash before space , = " \. */
export function escapeName(text: string): string {
  checkNoNewline(text);
  let out = '';
  let chunkStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x2c || c === 0x3d || c === 0x22 || c === 0x5c) {
      out += `${text.slice(chunkStart, i)}\\${text.charAt(i)}`;
      chunkStart = i + 1;
    }
  }
  return chunkStart === 0 ? text : out + text.slice(chunkStart);
}

/** A double-quoted string with " and \ escaped. */
function quoted(text: string): string {
  checkNoNewline(text);
  let out = '"';
  let chunkStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) {
      out += `${text.slice(chunkStart, i)}\\${text.charAt(i)}`;
      chunkStart = i + 1;
    }
  }
  return `${out}${text.slice(chunkStart)}"`;
}
