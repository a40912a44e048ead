import { describe, expect, it, jest } from '@jest/globals';
import { exitWorker, type ExitProcess } from './exit-worker';

function fakeProcess(env: NodeJS.ProcessEnv): ExitProcess & { exits: number[]; signal(s: 'SIGTERM'): void } {
  const listeners = new Map<string, () => void>();
  const exits: number[] = [];
  return {
    env,
    exits,
    exit: (code) => void exits.push(code),
    once: (signal, listener) => listeners.set(signal, listener),
    signal: (s) => listeners.get(s)?.(),
  };
}

describe('exitWorker', () => {
  it.each([
    { name: 'exit 2 without the setting: at once', env: {}, code: 2, exits: [2] },
    {
      name: 'exit 1 with wait: at once (a crash is restarted as usual)',
      env: { KWDB_CONNECT_ON_FAILURE: 'wait' },
      code: 1,
      exits: [1],
    },
    { name: 'exit 0 with wait: at once', env: { KWDB_CONNECT_ON_FAILURE: 'wait' }, code: 0, exits: [0] },
  ])('$name', ({ env, code, exits }) => {
    const proc = fakeProcess(env);
    exitWorker(code, proc);
    expect(proc.exits).toEqual(exits);
  });

  it('a FAILED task in a Pod (wait) stays until SIGTERM, then exits 2', () => {
    jest.useFakeTimers();
    try {
      const proc = fakeProcess({ KWDB_CONNECT_ON_FAILURE: 'wait' });
      exitWorker(2, proc);
      expect(proc.exits).toEqual([]);
      proc.signal('SIGTERM');
      expect(proc.exits).toEqual([2]);
    } finally {
      jest.clearAllTimers();
      jest.useRealTimers();
    }
  });
});
