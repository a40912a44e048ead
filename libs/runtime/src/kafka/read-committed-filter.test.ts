// kafkajs 2.2.4 handed records of aborted transactions to read_committed consumers when two
// producers' transactions interleave in one partition (its filter assumed the broker lists aborted
// transactions by first offset; the broker lists them by abort-marker offset). `npm ci` replaces the
// filter (tools/scripts/patch-kafkajs.mjs, ADR 0011); this test fails if the replacement is missing.
import { describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
type Message = {
  offset: string;
  key: Buffer | null;
  isControlRecord: boolean;
  batchContext: { producerId: string; inTransaction: boolean };
};
const filter = require('kafkajs/src/consumer/filterAbortedMessages.js') as ((options: {
  messages: Message[];
  abortedTransactions?: Array<{ firstOffset: string; producerId: string }>;
}) => Message[]) & { KWDB_CONNECT_PATCHED?: boolean };

const data = (offset: number, producerId: string, inTransaction = true): Message => ({
  offset: String(offset),
  key: Buffer.from(`k${offset}`),
  isControlRecord: false,
  batchContext: { producerId, inTransaction },
});
const marker = (offset: number, producerId: string, abort: boolean): Message => ({
  offset: String(offset),
  key: Buffer.from([0, 0, 0, abort ? 0 : 1]),
  isControlRecord: true,
  batchContext: { producerId, inTransaction: true },
});
const dataOffsets = (messages: Message[]): number[] =>
  messages.filter((m) => !m.isControlRecord).map((m) => Number(m.offset));

describe('kafkajs read_committed filter (patched by npm ci)', () => {
  it('is kwdb-connect’s version', () => {
    expect(filter.KWDB_CONNECT_PATCHED).toBe(true);
  });

  const cases = [
    {
      name: 'interleaved aborted transactions, listed by abort-marker offset (the broker’s order)',
      // P1 writes 10, 11, P2 writes 12, P1 writes 13, P2 aborts at 14, P1 aborts at 15, P3 commits 16.
      messages: [
        data(10, 'P1'),
        data(11, 'P1'),
        data(12, 'P2'),
        data(13, 'P1'),
        marker(14, 'P2', true),
        marker(15, 'P1', true),
        data(16, 'P3'),
        marker(17, 'P3', false),
      ],
      aborted: [
        { firstOffset: '12', producerId: 'P2' },
        { firstOffset: '10', producerId: 'P1' },
      ],
      kept: [16],
    },
    {
      name: 'two aborted transactions beginning before the first fetched record',
      messages: [
        data(20, 'P1'),
        data(21, 'P2'),
        data(22, 'P3'),
        marker(23, 'P1', true),
        marker(24, 'P2', true),
      ],
      aborted: [
        { firstOffset: '5', producerId: 'P1' },
        { firstOffset: '6', producerId: 'P2' },
      ],
      kept: [22],
    },
    {
      name: 'a producer’s later committed transaction after its aborted one is kept',
      messages: [data(1, 'P1'), marker(2, 'P1', true), data(3, 'P1'), marker(4, 'P1', false)],
      aborted: [{ firstOffset: '1', producerId: 'P1' }],
      kept: [3],
    },
    {
      name: 'records outside transactions are always kept',
      messages: [data(1, 'P1'), data(2, 'P9', false), marker(3, 'P1', true)],
      aborted: [{ firstOffset: '1', producerId: 'P1' }],
      kept: [2],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(dataOffsets(filter({ messages: c.messages, abortedTransactions: c.aborted }))).toEqual(c.kept);
    });
  }
});
