// line_opentsdb encoder: one record per data point (one line: `table.column epoch value k=v ...`).
// Only numbers can be values; tag keys and values may not contain spaces or '=' (keys), since the
// telnet format has no escapes. Anything else throws FORMAT_NOT_REPRESENTABLE.
import type { EncodedRecord } from '../encoded-record';
import { epochText, notRepresentable } from '../json-values';
import type { Batch, Precision } from '../model';
import { recordKey, valueText } from '../record-key';
import { isJsonNumberText } from '../values';
import { rowToPoints } from '../opentsdb/encode-points';

export function encodeLineOpentsdb(batch: Batch, precision: Precision): EncodedRecord[] {
  const records: EncodedRecord[] = [];
  for (const row of batch.rows) {
    const key = recordKey(batch, row);
    for (const point of rowToPoints(batch, row, 'line_opentsdb')) {
      const value = valueText(point.value);
      if (typeof point.value === 'boolean' || !isJsonNumberText(value)) {
        throw notRepresentable(
          'line_opentsdb',
          `value ${JSON.stringify(value)} of ${point.metric} is not a number`,
        );
      }
      checkToken(point.metric, 'metric', false);
      let line = `${point.metric} ${epochText(point.timestamp, precision, 'line_opentsdb', 'timestamp')} ${value}`;
      for (const [k, v] of point.tags) {
        checkToken(k, 'tag key', true);
        checkToken(v, 'tag value', false);
        line += ` ${k}=${v}`;
      }
      records.push({ key, value: line });
    }
  }
  return records;
}

function checkToken(text: string, what: string, isKey: boolean): void {
  if (text.length === 0 || /[\s]/.test(text) || (isKey && text.includes('='))) {
    throw notRepresentable(
      'line_opentsdb',
      `${what} ${JSON.stringify(text)} cannot be written in line_opentsdb (empty, whitespace${isKey ? " or '='" : ''})`,
    );
  }
}
