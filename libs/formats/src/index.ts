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
export * from './model';
export { FormatError, FORMAT_ERROR_CODES } from './errors';
export type { FormatErrorCode, FormatErrorLocation } from './errors';
export { DEFAULT_LIMITS, MAX_PRIMARY_TAGS } from './limits';
export type { Limits } from './limits';
export { decode, SUPPORTED_PRECISIONS } from './decode';
export type { DecodeOptions } from './decode';
export type { DecodeResult } from './decode-context';
export { encode } from './encode';
export type { EncodeOptions } from './encode';
export type { EncodedRecord } from './encoded-record';
export { recordKey } from './record-key';
export { rowValue } from './decode-context';
export { coerceValue } from './coerce';
export { batchToJson, batchFromJson } from './batch-json';
export { formatTimestampText, parseTimestampText, formatEpoch } from './timestamps';
export { OPENTSDB_TIMESTAMP_COLUMN, OPENTSDB_VALUE_COLUMN } from './opentsdb/points';
