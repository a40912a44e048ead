import { describe, expect, it } from '@jest/globals';
import { isRetriableKafkaError, withKafkaRetry } from './kafka-retry';

const unknownTopic = Object.assign(new Error('This server does not host this topic-partition'), {
  name: 'KafkaJSProtocolError',
  type: 'UNKNOWN_TOPIC_OR_PARTITION',
  retriable: true,
});

describe('withKafkaRetry', () => {
  it('retries retriable errors with doubling delays, then returns', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withKafkaRetry(
      async () => {
        calls += 1;
        if (calls < 4) throw unknownTopic;
        return 'ok';
      },
      { sleep: async (ms) => void delays.push(ms), minDelayMs: 100, maxDelayMs: 300 },
    );
    expect(result).toBe('ok');
    expect(delays).toEqual([100, 200, 300]);
  });
  it('throws a non-retriable error at once', async () => {
    let calls = 0;
    const fatal = Object.assign(new Error('bad'), { retriable: false });
    await expect(
      withKafkaRetry(async () => {
        calls += 1;
        throw fatal;
      }),
    ).rejects.toBe(fatal);
    expect(calls).toBe(1);
  });
  it('gives up after the attempts', async () => {
    let calls = 0;
    await expect(
      withKafkaRetry(
        async () => {
          calls += 1;
          throw unknownTopic;
        },
        { attempts: 3, sleep: async () => undefined },
      ),
    ).rejects.toBe(unknownTopic);
    expect(calls).toBe(3);
  });
  it('sees a retriable cause inside KafkaJSNumberOfRetriesExceeded', () => {
    const wrapped = Object.assign(new Error('retries exceeded'), {
      name: 'KafkaJSNumberOfRetriesExceeded',
      retriable: false,
      cause: unknownTopic,
    });
    expect(isRetriableKafkaError(wrapped)).toBe(true);
    expect(isRetriableKafkaError(new Error('x'))).toBe(false);
  });
});
