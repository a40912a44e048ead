import { describe, expect, it } from '@jest/globals';
import { RetriesExhaustedError, RetryAbortedError, withRetries } from './retry';

const transient = Object.assign(new Error('connection refused'), { retriable: true });
const permanent = Object.assign(new Error('auth failed'), { retriable: false });
const isRetriable = (e: unknown): boolean => (e as { retriable?: boolean }).retriable === true;

function failing(times: number, error: Error): { action: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    action: async () => {
      calls += 1;
      if (calls <= times) throw error;
      return 'ok';
    },
    calls: () => calls,
  };
}

describe('withRetries', () => {
  it('retries a transient error max.retries times, retry.backoff.ms apart, then succeeds', async () => {
    const waits: number[] = [];
    const f = failing(3, transient);
    const out = await withRetries(f.action, {
      maxRetries: 3,
      backoffMs: 300,
      isRetriable,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(out).toBe('ok');
    expect(f.calls()).toBe(4);
    expect(waits).toEqual([300, 300, 300]);
  });

  it('gives up after max.retries with the last error as cause', async () => {
    const f = failing(10, transient);
    const error = await withRetries(f.action, {
      maxRetries: 2,
      backoffMs: 0,
      isRetriable,
      sleep: async () => undefined,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect((error as RetriesExhaustedError).attempts).toBe(3);
    expect((error as Error).cause).toBe(transient);
    expect(f.calls()).toBe(3);
  });

  it('throws a permanent error at once', async () => {
    const f = failing(1, permanent);
    await expect(withRetries(f.action, { maxRetries: 5, backoffMs: 0, isRetriable })).rejects.toBe(permanent);
    expect(f.calls()).toBe(1);
  });

  it('heartbeats in slices while waiting and stops when told to abort', async () => {
    let beats = 0;
    let abort = false;
    const f = failing(10, transient);
    const error = await withRetries(f.action, {
      maxRetries: 5,
      backoffMs: 3000,
      heartbeatEveryMs: 1000,
      isRetriable,
      sleep: async () => undefined,
      beforeWait: async () => {
        beats += 1;
        if (beats === 4) abort = true;
      },
      shouldAbort: () => abort,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryAbortedError);
    expect(beats).toBe(4);
    expect(f.calls()).toBe(2);
  });
});
