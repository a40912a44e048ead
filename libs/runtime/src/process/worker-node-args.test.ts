import { describe, expect, it } from '@jest/globals';
import { SINK_WORKER_HEAP_MB, workerNodeArgs, type WorkerKind } from './worker-node-args';

describe('workerNodeArgs', () => {
  it.each<{ kind: WorkerKind; args: string[] }>([
    { kind: 'sink', args: [`--max-old-space-size=${SINK_WORKER_HEAP_MB}`] },
    { kind: 'source', args: [] },
  ])('$kind worker: $args', ({ kind, args }) => {
    expect(workerNodeArgs(kind)).toEqual(args);
  });
});
