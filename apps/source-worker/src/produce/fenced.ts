// Kafka's answer to a transactional producer whose epoch is no longer current: another producer
// with the same transactional.id ran InitProducerId (a newer owner of the claim), or the broker
// expired the transaction. kafkajs does not retry these (retriable: false) and names them by `type`.
const FENCED_TYPES = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'INVALID_PRODUCER_ID_MAPPING']);

/** True when `error` (or its cause, after kafkajs' retries) says the producer was fenced. */
export function isFencedError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const e = error as { type?: unknown; cause?: unknown };
  if (typeof e.type === 'string' && FENCED_TYPES.has(e.type)) return true;
  return isFencedError(e.cause, depth + 1);
}
