// Start-up Kafka admin calls (topic creation, metadata) retried while kafkajs calls the error
// retriable. kafkajs' createTopics({ waitForLeaders: true }) only waits out LEADER_NOT_AVAILABLE;
// right after a creation the broker may still answer UNKNOWN_TOPIC_OR_PARTITION ("This server does
// not host this topic-partition", retriable), which used to crash the task at start. A repeated
// createTopics after a success is harmless (TOPIC_ALREADY_EXISTS is "exists" for ensureTopic).

export interface RetryOptions {
  attempts?: number;
  minDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** True for kafkajs errors marked retriable (also inside a KafkaJSNumberOfRetriesExceeded cause). */
export function isRetriableKafkaError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const e = error as { retriable?: unknown; name?: unknown; cause?: unknown };
  if (e.retriable === true) return true;
  return e.name === 'KafkaJSNumberOfRetriesExceeded' && isRetriableKafkaError(e.cause, depth + 1);
}

/** Runs `action`, retrying retriable Kafka errors with exponential backoff; other errors are thrown at once. */
export async function withKafkaRetry<T>(action: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 8;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let delay = options.minDelayMs ?? 200;
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if (attempt >= attempts || !isRetriableKafkaError(error)) throw error;
      await sleep(delay);
      delay = Math.min(options.maxDelayMs ?? 3000, delay * 2);
    }
  }
}
