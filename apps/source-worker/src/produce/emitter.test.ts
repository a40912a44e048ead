import { describe, expect, it } from '@jest/globals';
import type { Producer, ProducerRecord } from 'kafkajs';
import type { OffsetStore } from '@kwdb-connect/runtime';
import { AtLeastOnceEmitter, chunkMessages, MAX_SEND_BYTES } from './emitter';
import { RECORD_OVERHEAD_BYTES, recordBytes } from './record-size';

const msg = (valueBytes: number) => ({ key: 'k', value: 'x'.repeat(valueBytes) });

describe('chunkMessages', () => {
  it('keeps every message in order and each chunk within the byte budget', () => {
    const messages = Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: 'v'.repeat(1000) }));
    const chunks = chunkMessages(messages, 10_000);
    expect(chunks.flat()).toEqual(messages);
    for (const c of chunks) {
      const bytes = c.reduce((sum, m) => sum + m.key.length + m.value.length + RECORD_OVERHEAD_BYTES, 0);
      expect(bytes).toBeLessThanOrEqual(10_000);
    }
    expect(chunks.length).toBeGreaterThan(10);
  });
  it('a record larger than the budget is a chunk of its own; no empty chunks', () => {
    expect(chunkMessages([msg(10), msg(50_000), msg(10)], 1000).map((c) => c.length)).toEqual([1, 1, 1]);
    expect(chunkMessages([], 1000)).toEqual([]);
  });
});

describe('AtLeastOnceEmitter', () => {
  /** Records every send and cursor write; no Kafka. */
  const fakes = () => {
    const sends: ProducerRecord[] = [];
    const cursors: unknown[] = [];
    const producer = { send: async (r: ProducerRecord) => void sends.push(r) } as unknown as Producer;
    const offsets = {
      write: async (...args: unknown[]) => void cursors.push(args),
    } as unknown as OffsetStore;
    return { sends, cursors, emitter: new AtLeastOnceEmitter(producer, offsets, 'c') };
  };
  const page = (n: number, maxMessageBytes: number) => ({
    tableKey: 'db.t',
    topic: 'topic',
    messages: Array.from({ length: n }, (_, i) => ({
      key: `k${i}`,
      value: 'v'.repeat(600),
      timestamp: '1',
      row: i,
    })),
    cursor: { ts: '1' },
    maxMessageBytes,
  });
  const cases = [
    { name: 'a topic limit below 512 KiB bounds every produce request', n: 10, limit: 2048 },
    { name: 'the broker default: 512 KiB requests', n: 2000, limit: 1_048_588 },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { sends, cursors, emitter } = fakes();
      expect(await emitter.emit(page(c.n, c.limit), () => true)).toBe('stored');
      expect(sends.flatMap((s) => s.messages.map((m) => m.key))).toEqual(
        page(c.n, c.limit).messages.map((m) => m.key),
      );
      for (const s of sends) {
        const bytes = s.messages.reduce(
          (sum, m) => sum + recordBytes({ key: String(m.key), value: String(m.value) }),
          0,
        );
        expect(bytes).toBeLessThanOrEqual(Math.min(MAX_SEND_BYTES, c.limit));
      }
      expect(sends.length).toBeGreaterThan(1);
      expect(cursors).toHaveLength(1);
    });
  }
});
