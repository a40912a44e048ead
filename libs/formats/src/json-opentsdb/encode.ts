// json_opentsdb encoder: one record per device (rows sharing primary tag values) holding an array
// of data points, one per non-null data column of each row. Numbers are written as JSON numbers
// (INT8 digits exact); a VARCHAR value (as OpenTSDB tables hold) is written as a number when its
// text reads back to the same text, else as a string; tags are strings.
import type { EncodedRecord } from '../encoded-record';
import { jsonString } from '../exact-json';
import { epochText, valueToJson } from '../json-values';
import type { Batch, Precision } from '../model';
import { groupRowsByKey } from '../record-key';
import { floatText, isIntegerText, isJsonNumberText } from '../values';
import { rowToPoints } from '../opentsdb/encode-points';

export function encodeJsonOpentsdb(batch: Batch, precision: Precision): EncodedRecord[] {
  const records: EncodedRecord[] = [];
  for (const [key, rows] of groupRowsByKey(batch)) {
    const points: string[] = [];
    for (const row of rows) {
      for (const point of rowToPoints(batch, row, 'json_opentsdb')) {
        const value =
          typeof point.value === 'string'
            ? numberOrString(point.value)
            : valueToJson(
                point.value,
                { name: point.metric, type: point.columnType },
                precision,
                'json_opentsdb',
              );
        const tags = point.tags.map(([k, v]) => `${jsonString(k)}:${jsonString(v)}`).join(',');
        const timestamp = epochText(point.timestamp, precision, 'json_opentsdb', 'timestamp');
        points.push(
          `{"metric":${jsonString(point.metric)},"timestamp":${timestamp},"value":${value},"tags":{${tags}}}`,
        );
      }
    }
    if (points.length > 0) records.push({ key, value: `[${points.join(',')}]` });
  }
  return records;
}

/** A text that a JSON number reproduces exactly is written as that number; anything else as a string. */
function numberOrString(text: string): string {
  if (isJsonNumberText(text)) {
    if (isIntegerText(text) && text.replace('-', '').length > 15 && text !== '-0') return text;
    if (floatText(Number(text)) === text) return text;
  }
  return jsonString(text);
}
