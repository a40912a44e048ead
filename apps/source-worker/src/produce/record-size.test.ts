import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  RECORD_OVERHEAD_BYTES,
  maxMessageBytesOf,
  oversizedRecords,
  recordBytes,
} from './record-size';

/** A record of exactly `bytes` estimated bytes (key 'k'). */
const sized = (bytes: number) => ({ key: 'k', value: 'v'.repeat(bytes - 1 - RECORD_OVERHEAD_BYTES) });

describe('recordBytes', () => {
  it('counts key and value in UTF-8 bytes plus the per-record overhead', () => {
    expect(recordBytes({ key: '["t",1]', value: 'é€' })).toBe(7 + 5 + RECORD_OVERHEAD_BYTES);
  });
});

describe('oversizedRecords', () => {
  const cases: Array<{ name: string; sizes: number[]; limit: number; expected: number[] }> = [
    { name: 'empty page', sizes: [], limit: 2048, expected: [] },
    { name: 'every record fits', sizes: [150, 2000, 300], limit: 2048, expected: [] },
    { name: 'exactly the limit fits', sizes: [2048], limit: 2048, expected: [] },
    { name: 'one byte above the limit does not', sizes: [2049], limit: 2048, expected: [0] },
    { name: 'several, in page order', sizes: [150, 4100, 200, 5000, 2048], limit: 2048, expected: [1, 3] },
    { name: 'every record too large', sizes: [3000, 3000], limit: 2048, expected: [0, 1] },
    {
      name: 'the broker default: a 1 MiB value is too large',
      sizes: [1024 * 1024 + RECORD_OVERHEAD_BYTES + 1],
      limit: DEFAULT_MAX_MESSAGE_BYTES,
      expected: [0],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const messages = c.sizes.map(sized);
      expect(messages.map(recordBytes)).toEqual(c.sizes);
      expect(oversizedRecords(messages, c.limit)).toEqual(c.expected);
    });
  }
});

describe('maxMessageBytesOf', () => {
  const cases: Array<{ name: string; value: string | undefined; expected: number }> = [
    { name: 'a topic override', value: '2048', expected: 2048 },
    { name: 'the broker default as described', value: '1048588', expected: 1048588 },
    { name: 'absent: the broker default', value: undefined, expected: DEFAULT_MAX_MESSAGE_BYTES },
    { name: 'not a number: the broker default', value: 'lots', expected: DEFAULT_MAX_MESSAGE_BYTES },
    { name: 'zero: the broker default', value: '0', expected: DEFAULT_MAX_MESSAGE_BYTES },
  ];
  for (const c of cases) {
    it(c.name, () => expect(maxMessageBytesOf(c.value)).toBe(c.expected));
  }
});
