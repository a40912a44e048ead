// HighWatermarks with a small fake of kafkajs's private cluster factory: which errors are retried,
// and the clear failure when the kafkajs internal is missing.
import { describe, expect, it } from '@jest/globals';
import type { Kafka } from 'kafkajs';
import { HighWatermarks } from './high-watermarks';

const notLeader = Object.assign(new Error('This server is not the leader for that topic-partition'), {
  type: 'NOT_LEADER_FOR_PARTITION',
  retriable: true,
});
const denied = Object.assign(new Error('Not authorized to access topics'), {
  type: 'TOPIC_AUTHORIZATION_FAILED',
  retriable: false,
});

/** A Kafka client whose private cluster answers ListOffsets with `answers` in turn (an Error is thrown). */
function fakeKafka(answers: (Error | string)[]): { kafka: Kafka; asked: () => number } {
  let asked = 0;
  const cluster = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    addTargetTopic: async () => undefined,
    refreshMetadata: async () => undefined,
    findTopicPartitionMetadata: () => [{ partitionId: 0 }],
    fetchTopicsOffset: async (request: { topic: string; fromBeginning: boolean }[]) => {
      const { topic, fromBeginning } = request[0]!;
      if (fromBeginning) return [{ topic, partitions: [{ partition: 0, offset: '0' }] }];
      const answer = answers[Math.min(asked++, answers.length - 1)]!;
      if (answer instanceof Error) throw answer;
      return [{ topic, partitions: [{ partition: 0, offset: answer }] }];
    },
  };
  const kafka = { [Symbol('private:Kafka:createCluster')]: () => cluster } as unknown as Kafka;
  return { kafka, asked: () => asked };
}

describe('HighWatermarks', () => {
  it.each([
    { name: 'answers at once', answers: ['7'], asks: 1 },
    { name: 'retries a partition whose leader is not ready', answers: [notLeader, notLeader, '7'], asks: 3 },
  ])('$name', async ({ answers, asks }) => {
    const { kafka, asked } = fakeKafka(answers);
    const watermarks = new HighWatermarks(kafka);
    await expect(watermarks.fetch('t', 5_000)).resolves.toEqual([{ partition: 0, high: '7', low: '0' }]);
    expect(asked()).toBe(asks);
  });

  it('throws a non-retriable error at once', async () => {
    const { kafka, asked } = fakeKafka([denied, '7']);
    await expect(new HighWatermarks(kafka).fetch('t', 5_000)).rejects.toBe(denied);
    expect(asked()).toBe(1);
  });

  it('gives up on retriable errors after the timeout', async () => {
    const { kafka } = fakeKafka([notLeader]);
    await expect(new HighWatermarks(kafka).fetch('t', 300)).rejects.toBe(notLeader);
  });

  it('fails with HIGH_WATERMARK_UNAVAILABLE when kafkajs has no private cluster factory', () => {
    expect(() => new HighWatermarks({} as Kafka)).toThrow(
      expect.objectContaining({ code: 'HIGH_WATERMARK_UNAVAILABLE' }),
    );
  });
});
