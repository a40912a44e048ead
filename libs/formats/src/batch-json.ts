// The batch JSON of the `kwdb-connect` CLI: one line per batch,
//   {"table":...,"columns":[...],"tags":[...],"rows":[{...}]}
// with columns and tags as json_kaiwudb writes them (tags with "primary"; "inferred": true for
// line_influxdb), rows keyed by column and tag name, INT8 values and timestamps as exact JSON
// integers (timestamps as epochs in the chosen precision; a timestamp finer than that precision
// is printed with a decimal fraction, exactly). canCreateTable and canAddColumns are not written: the
// batch JSON is for reading decoded messages and for encoding, and read back it is a json_kaiwudb-like
// table (canAddColumns false).
import type { DecodeResult } from './decode-context';
import type { DecodeOptions } from './decode';
import { createContext, messageText } from './decode';
import { decodeJsonTable, type JsonTableOptions } from './json-kaiwudb/decode';
import type { JsonTableWriteOptions } from './json-kaiwudb/encode';
import { writeJsonTable } from './json-kaiwudb/encode';
import type { Batch, Precision } from './model';

const WRITE: JsonTableWriteOptions = {
  format: undefined,
  rowsKey: 'rows',
  primaryKey: 'primary',
  includeInferred: true,
  epochStyle: 'fraction',
  rowsBeforeTags: false,
};
const READ: JsonTableOptions = { rowsKey: 'rows', allowInferred: true };

/** A batch as one line of batch JSON (epochs in `precision`). */
export function batchToJson(batch: Batch, precision: Precision): string {
  return writeJsonTable(batch, batch.rows, precision, WRITE);
}

/** Reads one line of batch JSON (epochs in `options.precision`) back into a batch. */
export function batchFromJson(text: string | Uint8Array, options: DecodeOptions): DecodeResult {
  const ctx = createContext(undefined, options);
  const message = messageText(text, ctx);
  if (message === undefined) return { batches: [], errors: ctx.errors };
  const batches = decodeJsonTable(message, ctx, READ);
  return { batches, errors: ctx.errors };
}
