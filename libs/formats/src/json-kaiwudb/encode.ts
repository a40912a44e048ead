// json_kaiwudb encoder: the guide's source output shape, keys in its order
import { rowValue } from '../decode-context';
// {"table","columns","data","tags"}, tags with "isPrimary", tag values inline in each data row.
// One record per device (rows sharing primary tag values), rows in batch order.
import { jsonString } from '../exact-json';
import type { EpochStyle } from '../json-values';
import { valueToJson } from '../json-values';
import type { Batch, ColumnDef, Precision, Protocol, Row, TagDef } from '../model';
import { groupRowsByKey } from '../record-key';
import type { EncodedRecord } from '../encoded-record';

export interface JsonTableWriteOptions {
  format: Protocol | undefined;
  rowsKey: 'data' | 'rows';
  primaryKey: 'isPrimary' | 'primary';
  includeInferred: boolean;
  epochStyle: EpochStyle;
  /** Key order: the guide's source output puts data before tags. */
  rowsBeforeTags: boolean;
}

const KAIWUDB_WRITE: JsonTableWriteOptions = {
  format: 'json_kaiwudb',
  rowsKey: 'data',
  primaryKey: 'isPrimary',
  includeInferred: false,
  epochStyle: 'exact',
  rowsBeforeTags: true,
};

export function encodeJsonKaiwudb(batch: Batch, precision: Precision): EncodedRecord[] {
  const records: EncodedRecord[] = [];
  for (const [key, rows] of groupRowsByKey(batch)) {
    records.push({ key, value: writeJsonTable(batch, rows, precision, KAIWUDB_WRITE) });
  }
  return records;
}

export function writeJsonTable(
  batch: Batch,
  rows: Row[],
  precision: Precision,
  options: JsonTableWriteOptions,
): string {
  const columns = batch.columns.map((c) => columnJson(c, options)).join(',');
  const tags = batch.tags.map((t) => tagJson(t, options)).join(',');
  const defs = [...batch.columns, ...batch.tags];
  const rowTexts: string[] = [];
  for (const row of rows) {
    let text = '';
    for (const def of defs) {
      const value = rowValue(row, def.name);
      if (value === undefined) continue;
      text += `${text === '' ? '' : ','}${jsonString(def.name)}:${valueToJson(value, def, precision, options.format, options.epochStyle)}`;
    }
    rowTexts.push(`{${text}}`);
  }
  const rowsPart = `"${options.rowsKey}":[${rowTexts.join(',')}]`;
  const tagsPart = `"tags":[${tags}]`;
  const head = `{"table":${jsonString(batch.table)},"columns":[${columns}],`;
  return head + (options.rowsBeforeTags ? `${rowsPart},${tagsPart}}` : `${tagsPart},${rowsPart}}`);
}

function columnJson(def: ColumnDef, options: JsonTableWriteOptions): string {
  let text = `{"name":${jsonString(def.name)},"type":"${def.type}"`;
  if (def.length !== undefined) text += `,"length":${def.length}`;
  if (def.nullable !== undefined) text += `,"nullable":${def.nullable}`;
  if (options.includeInferred && def.inferred === true) text += ',"inferred":true';
  return `${text}}`;
}

function tagJson(def: TagDef, options: JsonTableWriteOptions): string {
  let text = `{"name":${jsonString(def.name)},"type":"${def.type}"`;
  if (def.length !== undefined) text += `,"length":${def.length}`;
  text += `,"${options.primaryKey}":${def.primary},"nullable":${def.nullable}`;
  if (options.includeInferred && def.inferred === true) text += ',"inferred":true';
  return `${text}}`;
}
