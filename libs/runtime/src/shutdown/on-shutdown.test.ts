import { describe, expect, it } from '@jest/globals';
import { onShutdown, type ShutdownEvent, type ShutdownProcess, type ShutdownSignal } from './on-shutdown';

/** A process stand-in: records exit codes and lets a test deliver signals. */
class FakeProcess implements ShutdownProcess {
  readonly listeners = new Map<ShutdownSignal, Set<() => void>>();
  readonly exits: number[] = [];
  private exited: (() => void) | undefined;
  readonly exitedOnce = new Promise<void>((resolve) => (this.exited = resolve));

  on(signal: ShutdownSignal, listener: () => void): this {
    const set = this.listeners.get(signal) ?? new Set();
    set.add(listener);
    this.listeners.set(signal, set);
    return this;
  }
  off(signal: ShutdownSignal, listener: () => void): this {
    this.listeners.get(signal)?.delete(listener);
    return this;
  }
  exit(code: number): void {
    this.exits.push(code);
    this.exited?.();
  }
  kill(signal: ShutdownSignal): void {
    for (const listener of this.listeners.get(signal) ?? []) listener();
  }
  listenerCount(): number {
    return [...this.listeners.values()].reduce((n, s) => n + s.size, 0);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('onShutdown', () => {
  const cases: {
    name: string;
    signal: ShutdownSignal;
    handler: () => Promise<void> | void;
    exit: number;
    last: ShutdownEvent['kind'];
  }[] = [
    {
      name: 'SIGTERM, drain finishes',
      signal: 'SIGTERM' as const,
      handler: () => sleep(10),
      exit: 0,
      last: 'drained',
    },
    {
      name: 'SIGINT, drain finishes',
      signal: 'SIGINT' as const,
      handler: () => undefined,
      exit: 0,
      last: 'drained',
    },
    {
      name: 'drain exceeds the timeout',
      signal: 'SIGTERM' as const,
      handler: () => sleep(500),
      exit: 1,
      last: 'timeout',
    },
    {
      name: 'drain throws',
      signal: 'SIGTERM' as const,
      handler: () => Promise.reject(new Error('commit failed')),
      exit: 1,
      last: 'failed',
    },
  ];
  it.each(cases)('$name: exits $exit', async ({ signal, handler, exit, last }) => {
    const proc = new FakeProcess();
    const events: ShutdownEvent[] = [];
    onShutdown(handler, { timeoutMs: 100, process: proc, onEvent: (e) => events.push(e) });
    proc.kill(signal);
    await proc.exitedOnce;
    await sleep(450); // a late-finishing handler must not cause a second exit or event
    expect(proc.exits).toEqual([exit]);
    expect(events.map((e) => e.kind)).toEqual(['signal', last]);
  });

  it('runs the handler once when signals repeat', async () => {
    const proc = new FakeProcess();
    let runs = 0;
    const events: ShutdownEvent[] = [];
    onShutdown(
      async () => {
        runs++;
        await sleep(30);
      },
      { timeoutMs: 1000, process: proc, onEvent: (e) => events.push(e) },
    );
    proc.kill('SIGTERM');
    proc.kill('SIGINT');
    proc.kill('SIGTERM');
    await proc.exitedOnce;
    expect(runs).toBe(1);
    expect(proc.exits).toEqual([0]);
    expect(events.map((e) => e.kind)).toEqual(['signal', 'repeated-signal', 'repeated-signal', 'drained']);
  });

  it('does nothing until a signal arrives, and dispose removes its listeners', async () => {
    const proc = new FakeProcess();
    let runs = 0;
    const registration = onShutdown(() => void runs++, { timeoutMs: 100, process: proc });
    expect(proc.listenerCount()).toBe(2);
    await sleep(20);
    expect(runs).toBe(0);
    registration.dispose();
    expect(proc.listenerCount()).toBe(0);
    proc.kill('SIGTERM');
    await sleep(20);
    expect(runs).toBe(0);
    expect(proc.exits).toEqual([]);
  });

  it('trigger() drains like a signal', async () => {
    const proc = new FakeProcess();
    let runs = 0;
    const registration = onShutdown(() => void runs++, { timeoutMs: 100, process: proc });
    await registration.trigger('SIGTERM');
    expect(runs).toBe(1);
    expect(proc.exits).toEqual([0]);
  });
});
