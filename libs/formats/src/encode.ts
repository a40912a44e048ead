// encode(): one batch -> Kafka records of a format (the source's `out.format`).
//   json_kaiwudb, json_opentsdb: one record per device (rows sharing primary tag values), rows in order;
//   line_opentsdb: one record per data point (a row gives one line per non-null data column);
//   line_influxdb: one record per row (one line).
// Every record carries the key from recordKey(), so a device's rows stay in one partition, in order.
import type { EncodedRecord } from './encoded-record';
import { FormatError } from './errors';
import { encodeJsonKaiwudb } from './json-kaiwudb/encode';
import { encodeJsonOpentsdb } from './json-opentsdb/encode';
import { encodeLineInfluxdb } from './line-influxdb/encode';
import { encodeLineOpentsdb } from './line-opentsdb/encode';
import type { Batch, Precision, Protocol } from './model';
import { PRECISIONS } from './model';

export interface EncodeOptions {
  /** Unit of the epochs written. A timestamp that is not a whole number of this unit throws FORMAT_NOT_REPRESENTABLE. */
  precision: Precision;
}

const ENCODERS: Record<Protocol, (batch: Batch, precision: Precision) => EncodedRecord[]> = {
  json_kaiwudb: encodeJsonKaiwudb,
  json_opentsdb: encodeJsonOpentsdb,
  line_opentsdb: encodeLineOpentsdb,
  line_influxdb: encodeLineInfluxdb,
};

/** Encodes a batch. Throws FormatError FORMAT_NOT_REPRESENTABLE when a value cannot be written in the format. */
export function encode(format: Protocol, batch: Batch, options: EncodeOptions): EncodedRecord[] {
  const encoder = ENCODERS[format];
  if (encoder === undefined) {
    throw new FormatError({
      code: 'FORMAT_UNKNOWN_FIELD',
      message: `unknown format ${JSON.stringify(format)}`,
    });
  }
  if (!PRECISIONS.includes(options.precision)) {
    throw new FormatError({
      code: 'FORMAT_UNSUPPORTED_PRECISION',
      format,
      message: `unknown precision ${JSON.stringify(options.precision)}`,
    });
  }
  return encoder(batch, options.precision);
}
