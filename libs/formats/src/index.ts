// @kwdb-connect/formats: the four message formats of the KaiwuDB Kafka connector
// (json_kaiwudb, json_opentsdb, line_opentsdb, line_influxdb), exact and strict. No I/O.
//
//   decode(protocol, message, { precision, source?, limits? }) -> { batches, errors }
//       One Kafka record value -> one Batch per table with every good row, plus every error
//       (FormatError with a stable code and a line/column or JSON path). Never throws for a bad
//       message; throws for a precision the format does not support.
//   encode(format, batch, { precision }) -> { key, value }[]
//       One batch -> Kafka records (see encode.ts for records per format); keys from recordKey().
//   coerceValue(written, type, length?, precision?) -> Value
//       A line_influxdb WrittenValue -> the value for the table's real column type (throws FormatError).
//   batchToJson / batchFromJson: the CLI's one-line JSON form of a batch.
//
// Model (model.ts): INT8 values are bigint, timestamps bigint epoch nanoseconds (UTC).
// The format mappings are documented in docs/formats.md.
export * from './model.js';
export { FormatError, FORMAT_ERROR_CODES } from './errors.js';
export type { FormatErrorCode, FormatErrorLocation } from './errors.js';
export { DEFAULT_LIMITS, MAX_PRIMARY_TAGS } from './limits.js';
export type { Limits } from './limits.js';
export { decode, SUPPORTED_PRECISIONS } from './decode.js';
export type { DecodeOptions } from './decode.js';
export type { DecodeResult } from './decode-context.js';
export { encode } from './encode.js';
export type { EncodeOptions } from './encode.js';
export type { EncodedRecord } from './encoded-record.js';
export { recordKey } from './record-key.js';
export { coerceValue } from './coerce.js';
export { batchToJson, batchFromJson } from './batch-json.js';
export { formatTimestampText, parseTimestampText, formatEpoch } from './timestamps.js';
export { OPENTSDB_TIMESTAMP_COLUMN, OPENTSDB_VALUE_COLUMN } from './opentsdb/points.js';
