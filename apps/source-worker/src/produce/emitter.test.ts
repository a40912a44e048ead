import { describe, expect, it } from '@jest/globals';
import { chunkMessages } from './emitter';

const msg = (valueBytes: number) => ({ key: 'k', value: 'x'.repeat(valueBytes) });

describe('chunkMessages', () => {
  it('keeps every message in order and each chunk within the byte budget', () => {
    const messages = Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: 'v'.repeat(1000) }));
    const chunks = chunkMessages(messages, 10_000);
    expect(chunks.flat()).toEqual(messages);
    for (const c of chunks) {
      const bytes = c.reduce((sum, m) => sum + m.key.length + m.value.length + 70, 0);
      expect(bytes).toBeLessThanOrEqual(10_000);
    }
    expect(chunks.length).toBeGreaterThan(10);
  });
  it('a record larger than the budget is a chunk of its own; no empty chunks', () => {
    expect(chunkMessages([msg(10), msg(50_000), msg(10)], 1000).map((c) => c.length)).toEqual([1, 1, 1]);
    expect(chunkMessages([], 1000)).toEqual([]);
  });
});
