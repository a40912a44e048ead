import { describe, expect, it } from '@jest/globals';
import { DEFAULT_WORKER_HEAP_MB, workerNodeArgs } from './worker-node-args';

describe('workerNodeArgs', () => {
  it.each([
    {
      name: 'the default limit',
      heapMb: undefined,
      args: [`--max-old-space-size=${DEFAULT_WORKER_HEAP_MB}`],
    },
    { name: 'a raised limit', heapMb: 512, args: ['--max-old-space-size=512'] },
  ])('$name', ({ heapMb, args }) => {
    expect(workerNodeArgs(heapMb)).toEqual(args);
  });

  it.each([
    { name: 'below 64 MiB', heapMb: 32 },
    { name: 'a fraction', heapMb: 160.5 },
    { name: 'not a number', heapMb: Number.NaN },
  ])('refuses $name', ({ heapMb }) => {
    expect(() => workerNodeArgs(heapMb)).toThrow(RangeError);
  });
});
