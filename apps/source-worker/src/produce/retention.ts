// record.timestamp=row_time and topic retention (issue 10 point 2). Pure.
//
// The broker deletes a segment once its newest record timestamp is older than the topic's
// retention.ms. With the row's time as the record timestamp, a page of rows older than the
// retention is deleted right after it is produced, so the task warns (once per table).

/** What the worker knows of a data topic: read once when the topic is ensured. */
export interface TopicLimits {
  /** max.message.bytes (the broker default when not stated). */
  maxMessageBytes: number;
  /** retention.ms; undefined when unlimited (-1) or not stated. */
  retentionMs: number | undefined;
}

/** retention.ms from a described topic config value; undefined for -1 (unlimited) or no value. */
export function retentionMsOf(configValue: string | undefined): number | undefined {
  if (configValue === undefined || !/^\d+$/.test(configValue)) return undefined;
  return Number(configValue);
}

/** True when records stamped `rowMs` are already past `retentionMs` at `nowMs`. */
export function olderThanRetention(rowMs: number, nowMs: number, retentionMs: number | undefined): boolean {
  return retentionMs !== undefined && nowMs - rowMs > retentionMs;
}
