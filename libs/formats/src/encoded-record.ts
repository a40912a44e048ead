/** One Kafka record produced by an encoder. */
export interface EncodedRecord {
  /** The record key: table and primary tag values (see recordKey). */
  key: string;
  /** The record value: one message of the format. */
  value: string;
}
