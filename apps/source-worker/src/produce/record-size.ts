// How big a record is for Kafka, and which records of a page a topic cannot accept. Pure.
//
// The broker refuses a record batch larger than the topic's max.message.bytes (default: the
// broker's message.max.bytes, 1048588 B) with MESSAGE_TOO_LARGE. A single record above that can
// never be written, whatever the retries, so the table loop checks every record before sending.

/**
 * Bytes added per record to its key and value in the estimate, an upper bound: the v2 record
 * batch header (61 B) and the record's own length, attributes, timestamp and offset deltas, key
 * and value lengths and header count (varints, at most 31 B together).
 */
export const RECORD_OVERHEAD_BYTES = 100;

/** Kafka's default max.message.bytes (broker message.max.bytes): 1 MiB + 12 B log overhead. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

/** The estimated size of one record in a produce request. */
export function recordBytes(message: { key: string; value: string }): number {
  return Buffer.byteLength(message.key) + Buffer.byteLength(message.value) + RECORD_OVERHEAD_BYTES;
}

/** Indices (in order) of the records larger than `maxMessageBytes`: Kafka would refuse each of them. */
export function oversizedRecords(
  messages: ReadonlyArray<{ key: string; value: string }>,
  maxMessageBytes: number,
): number[] {
  const indices: number[] = [];
  messages.forEach((message, index) => {
    if (recordBytes(message) > maxMessageBytes) indices.push(index);
  });
  return indices;
}

/** A topic's max.message.bytes from its described config value; the broker default when absent or unusable. */
export function maxMessageBytesOf(configValue: string | undefined): number {
  if (configValue === undefined || !/^\d+$/.test(configValue)) return DEFAULT_MAX_MESSAGE_BYTES;
  const bytes = Number(configValue);
  return bytes > 0 ? bytes : DEFAULT_MAX_MESSAGE_BYTES;
}
