// Retrying transient database errors: `max.retries` retries, `retry.backoff.ms` apart (the guide's
// sink parameters). Anything not retriable is thrown at once; when the retries are used up a
// RetriesExhaustedError carries the last error. While waiting, `beforeWait` runs (the consumer's
// heartbeat, so a long database outage does not cost the partitions) and `shouldAbort` is checked
// (a rebalance or a shutdown abandons the batch: nothing is committed for it).

export class RetriesExhaustedError extends Error {
  readonly code = 'RETRIES_EXHAUSTED';
  readonly attempts: number;
  constructor(attempts: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`database write failed after ${attempts} attempt(s) (max.retries=${attempts - 1}): ${reason}`, {
      cause,
    });
    this.name = 'RetriesExhaustedError';
    this.attempts = attempts;
  }
}

export class RetryAbortedError extends Error {
  readonly code = 'RETRY_ABORTED';
  constructor(cause: unknown) {
    super('retry abandoned: the task is stopping or lost the partition', { cause });
    this.name = 'RetryAbortedError';
  }
}

export interface RetryOptions {
  maxRetries: number;
  backoffMs: number;
  isRetriable: (error: unknown) => boolean;
  /** Called before each wait with the attempt that failed (1-based) and its error. */
  onRetry?: (attempt: number, error: unknown) => void;
  /** Runs during the wait, at most every `heartbeatEveryMs` (e.g. the consumer heartbeat); may throw. */
  beforeWait?: () => Promise<void>;
  shouldAbort?: () => boolean;
  sleep?: (ms: number) => Promise<void>;
  heartbeatEveryMs?: number;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function withRetries<T>(action: () => Promise<T>, options: RetryOptions): Promise<T> {
  const wait = options.sleep ?? sleep;
  const slice = options.heartbeatEveryMs ?? 1000;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await action();
    } catch (error) {
      if (!options.isRetriable(error)) throw error;
      if (attempt > options.maxRetries) throw new RetriesExhaustedError(attempt, error);
      options.onRetry?.(attempt, error);
      // Wait in slices so the heartbeat keeps running and an abort is noticed quickly.
      let left = options.backoffMs;
      do {
        if (options.shouldAbort?.()) throw new RetryAbortedError(error);
        await options.beforeWait?.();
        const step = Math.min(left, slice);
        if (step > 0) await wait(step);
        left -= step;
      } while (left > 0);
      if (options.shouldAbort?.()) throw new RetryAbortedError(error);
    }
  }
}
