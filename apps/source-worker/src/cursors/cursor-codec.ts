// Per-table cursors as stored in the offsets topic (value of key ["<connector>",{"table":"<db>.<table>"}]):
//   {"ts":"1705962142224000000","tags":["647470401348904608"]}
// `ts` is the last emitted row's timestamp in exact epoch nanoseconds (text, never a JS number);
// `tags` are its primary tag values in primary-tag order: INT8 as decimal text, VARBYTES as hex
// text, other values as JSON. A cursor without `tags` means "every row with a timestamp > ts"
// (timestamp.initial). Pure.
import type { KwdbType, Value } from '@kwdb-connect/formats';
import type { Cursor, TableSchema } from '@kwdb-connect/kwdb-client';
import type { JsonValue, SourceOffset } from '@kwdb-connect/runtime';
import { SourceWorkerError } from '../errors';

/** The primary tags of a table in key order (the order readAfter compares them). */
export function primaryTagTypes(schema: TableSchema): KwdbType[] {
  return schema.tags.filter((t) => t.primary).map((t) => t.type);
}

function tagToJson(value: Value): JsonValue {
  if (value === null) return null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (typeof value === 'object') return value.text; // a WrittenValue never comes out of readAfter
  return value;
}

function tagFromJson(json: JsonValue, type: KwdbType): Value {
  if (json === null) return null;
  switch (type) {
    case 'INT8':
    case 'TIMESTAMP':
    case 'TIMESTAMPTZ':
      if (typeof json === 'string' && /^-?\d+$/.test(json)) return BigInt(json);
      break;
    case 'VARBYTES':
      if (typeof json === 'string' && /^([0-9a-f]{2})*$/.test(json))
        return new Uint8Array(Buffer.from(json, 'hex'));
      break;
    case 'INT2':
    case 'INT4':
    case 'FLOAT4':
    case 'FLOAT8':
      if (typeof json === 'number') return json;
      break;
    case 'BOOL':
      if (typeof json === 'boolean') return json;
      break;
    default:
      if (typeof json === 'string') return json;
  }
  throw new SourceWorkerError(
    'CURSOR_INVALID',
    `stored cursor tag value ${JSON.stringify(json)} does not fit type ${type}`,
  );
}

/** The offsets-topic value of a cursor. */
export function encodeCursor(cursor: Cursor): SourceOffset {
  const offset: SourceOffset = { ts: cursor.ts.toString() };
  if (cursor.primaryTags !== undefined) offset['tags'] = cursor.primaryTags.map(tagToJson);
  return offset;
}

/**
 * A stored offset back to a cursor for a table with these primary tag types. Throws
 * SourceWorkerError CURSOR_INVALID when the offset does not fit (e.g. the table was re-created
 * with other primary tags).
 */
export function decodeCursor(offset: SourceOffset, tagTypes: readonly KwdbType[]): Cursor {
  const ts = offset['ts'];
  if (typeof ts !== 'string' || !/^-?\d+$/.test(ts)) {
    throw new SourceWorkerError(
      'CURSOR_INVALID',
      `stored cursor has no integer "ts": ${JSON.stringify(offset)}`,
    );
  }
  const tags = offset['tags'];
  if (tags === undefined) return { ts: BigInt(ts) };
  if (!Array.isArray(tags) || tags.length !== tagTypes.length) {
    throw new SourceWorkerError(
      'CURSOR_INVALID',
      `stored cursor has ${Array.isArray(tags) ? tags.length : 'no'} primary tag value(s); the table has ${tagTypes.length}`,
    );
  }
  return { ts: BigInt(ts), primaryTags: tags.map((t, i) => tagFromJson(t, tagTypes[i]!)) };
}

/**
 * The cursor a table without a stored cursor starts from: every row at or after
 * `timestamp.initial` (`yyyy-MM-dd HH:mm:ss`, UTC), or null (every row) when it is unset.
 */
export function initialCursor(timestampInitial: string | undefined): Cursor | null {
  if (timestampInitial === undefined) return null;
  return { ts: parseTimestampInitial(timestampInitial) - 1n };
}

/** `yyyy-MM-dd HH:mm:ss` read as UTC -> epoch nanoseconds. */
export function parseTimestampInitial(text: string): bigint {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) {
    throw new SourceWorkerError(
      'TIMESTAMP_INITIAL_INVALID',
      `timestamp.initial ${JSON.stringify(text)} is not yyyy-MM-dd HH:mm:ss`,
    );
  }
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (
    Number.isNaN(ms) ||
    back.getUTCMonth() !== mo - 1 ||
    back.getUTCDate() !== d ||
    h > 23 ||
    mi > 59 ||
    s > 59
  ) {
    throw new SourceWorkerError(
      'TIMESTAMP_INITIAL_INVALID',
      `timestamp.initial ${JSON.stringify(text)} is not a real date and time`,
    );
  }
  return BigInt(ms) * 1_000_000n;
}

/** Cursor order: negative when a is before b. Only timestamps are compared (for logs and tests). */
export function cursorTimestamp(cursor: Cursor | null): bigint | undefined {
  return cursor?.ts;
}
