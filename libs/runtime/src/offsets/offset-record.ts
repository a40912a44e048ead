// The source offsets topic's record format, as Kafka Connect's offsets topic with the
// JsonConverter (schemas off): key = [connector, sourcePartition], value = sourceOffset or null.
//   key   ["kw-source",{"table":"benchmark.cpu_kaiwudb_tb"}]
//   value {"ts":"1700000000000000000","tags":[...]}  (opaque to this library) | null (reset)
// Pure encoding and parsing; no I/O.
import { OffsetRecordError } from '../errors';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A source task's cursor for one table; its shape belongs to the source worker. */
export type SourceOffset = { [key: string]: JsonValue };

export interface OffsetKey {
  connector: string;
  /** "<db>.<table>" */
  table: string;
}

export function encodeOffsetKey(connector: string, table: string): string {
  return JSON.stringify([connector, { table }]);
}

/**
 * Parses an offset key; undefined for keys of another shape (an offsets topic may be shared
 * with connectors whose source partitions are not tables). Never throws.
 */
export function parseOffsetKey(text: string): OffsetKey | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
  const [connector, partition] = parsed as [unknown, unknown];
  if (typeof connector !== 'string' || typeof partition !== 'object' || partition === null) return undefined;
  const keys = Object.keys(partition);
  const table = (partition as Record<string, unknown>)['table'];
  if (keys.length !== 1 || typeof table !== 'string') return undefined;
  return { connector, table };
}

export function encodeOffsetValue(offset: SourceOffset | null): string | null {
  return offset === null ? null : JSON.stringify(offset);
}

/** Parses an offset value: a JSON object, or null for a tombstone. Throws OffsetRecordError. */
export function parseOffsetValue(text: string | null): SourceOffset | null {
  if (text === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new OffsetRecordError(`offset value is not JSON: ${(e as Error).message}`);
  }
  if (parsed === null) return null;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new OffsetRecordError('offset value is not a JSON object');
  }
  return parsed as SourceOffset;
}
