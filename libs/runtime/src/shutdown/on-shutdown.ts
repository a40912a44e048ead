// Graceful shutdown: on SIGTERM or SIGINT, run the drain handler once, then exit 0; exit 1 if
// it throws or does not finish within timeoutMs. The process is injectable for tests.

export type ShutdownSignal = 'SIGTERM' | 'SIGINT';
export const SHUTDOWN_SIGNALS: readonly ShutdownSignal[] = ['SIGTERM', 'SIGINT'];

/** The part of `process` that onShutdown uses. */
export interface ShutdownProcess {
  on(signal: ShutdownSignal, listener: () => void): unknown;
  off(signal: ShutdownSignal, listener: () => void): unknown;
  exit(code: number): void;
}

export interface ShutdownOptions {
  /** Time the handler gets before the process exits with 1. */
  timeoutMs: number;
  /** Default: the real process. */
  process?: ShutdownProcess;
  /** Told what happened (signal received, drained, timed out, failed). */
  onEvent?: (event: ShutdownEvent) => void;
}

export type ShutdownEvent =
  | { kind: 'signal'; signal: ShutdownSignal }
  | { kind: 'repeated-signal'; signal: ShutdownSignal }
  | { kind: 'drained'; elapsedMs: number }
  | { kind: 'failed'; error: unknown }
  | { kind: 'timeout'; timeoutMs: number };

export interface ShutdownRegistration {
  /** Removes the signal listeners (e.g. when a test or an embedding app is done). */
  dispose(): void;
  /** Runs the same drain as a signal would (e.g. after a fatal error); idempotent. */
  trigger(reason: ShutdownSignal): Promise<void>;
}

export function onShutdown(
  handler: () => Promise<void> | void,
  options: ShutdownOptions,
): ShutdownRegistration {
  const proc: ShutdownProcess = options.process ?? process;
  const notify = options.onEvent ?? (() => undefined);
  let draining: Promise<void> | undefined;

  const drain = (signal: ShutdownSignal): Promise<void> => {
    if (draining) {
      notify({ kind: 'repeated-signal', signal });
      return draining;
    }
    notify({ kind: 'signal', signal });
    const started = Date.now();
    draining = new Promise<number>((resolve) => {
      let settled = false;
      const finish = (code: number, event: ShutdownEvent): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        notify(event);
        resolve(code);
      };
      const timer = setTimeout(
        () => finish(1, { kind: 'timeout', timeoutMs: options.timeoutMs }),
        options.timeoutMs,
      );
      Promise.resolve()
        .then(handler)
        .then(
          () => finish(0, { kind: 'drained', elapsedMs: Date.now() - started }),
          (error: unknown) => finish(1, { kind: 'failed', error }),
        );
    }).then((code) => proc.exit(code));
    return draining;
  };

  const listeners = new Map<ShutdownSignal, () => void>(
    SHUTDOWN_SIGNALS.map((signal) => [signal, () => void drain(signal)]),
  );
  for (const [signal, listener] of listeners) proc.on(signal, listener);

  return {
    dispose: () => {
      for (const [signal, listener] of listeners) proc.off(signal, listener);
    },
    trigger: (reason) => drain(reason),
  };
}
