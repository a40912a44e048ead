// The part of a Kafka record the pipeline looks at. kafkajs messages are mapped to this shape at
// the edge (consumer/), so every decision below is a pure function that tests can feed directly.

export type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;

export interface SinkRecord {
  topic: string;
  partition: number;
  /** Kafka offset as a decimal string (kafkajs's representation; offsets can exceed 2^53). */
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, HeaderValue>;
  /** Record timestamp, epoch milliseconds as a decimal string. */
  timestamp: string;
}

/** `topic/partition@offset`: how logs, errors and decode error locations name one record. */
export function recordName(record: Pick<SinkRecord, 'topic' | 'partition' | 'offset'>): string {
  return `${record.topic}/${record.partition}@${record.offset}`;
}
