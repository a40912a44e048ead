import { describe, expect, it } from '@jest/globals';
import {
  backoffMs,
  classifyExit,
  configHash,
  decide,
  nextCrashCount,
  restartReason,
  type ActualTask,
  type BackoffPolicy,
  type DesiredTask,
} from './decide';

const policy: BackoffPolicy = { initialMs: 1000, maxMs: 8000, stableMs: 60_000 };
const NOW = 1_000_000;

const want = (task: number, over: Partial<DesiredTask> = {}): DesiredTask => ({
  connector: 'c',
  task,
  kind: 'sink',
  configHash: 'h1',
  restartEpoch: 0,
  ...over,
});
const have = (task: number, over: Partial<ActualTask> = {}): ActualTask => ({
  connector: 'c',
  task,
  configHash: 'h1',
  restartEpoch: 0,
  phase: 'running',
  crashes: 0,
  startedAt: NOW - 5000,
  ...over,
});

describe('decide: which worker processes to start, stop or forget', () => {
  const cases: {
    name: string;
    desired: DesiredTask[];
    actual: ActualTask[];
    actions: string[];
    wakeAt?: number;
  }[] = [
    {
      name: 'a new connector with tasks.max=2 starts two tasks',
      desired: [want(0), want(1)],
      actual: [],
      actions: ['start c/0 crashes=0', 'start c/1 crashes=0'],
    },
    {
      name: 'running tasks with the same config are left alone',
      desired: [want(0)],
      actual: [have(0)],
      actions: [],
    },
    {
      name: 'a deleted or STOPPED connector: its running task is stopped',
      desired: [],
      actual: [have(0)],
      actions: ['stop c/0 removed'],
    },
    {
      name: 'a stopping task is waited for',
      desired: [],
      actual: [have(0, { phase: 'stopping' })],
      actions: [],
    },
    {
      name: 'an exited task no longer wanted is forgotten',
      desired: [],
      actual: [have(0, { phase: 'exited', outcome: 'drained' })],
      actions: ['forget c/0'],
    },
    {
      name: 'a config change restarts the running task (stop first)',
      desired: [want(0, { configHash: 'h2' })],
      actual: [have(0)],
      actions: ['stop c/0 config-changed'],
    },
    {
      name: 'after the stop for a config change, the task starts again',
      desired: [want(0, { configHash: 'h2' })],
      actual: [have(0, { phase: 'exited', outcome: 'drained', exitedAt: NOW })],
      actions: ['start c/0 crashes=0'],
    },
    {
      name: 'a restart request stops the running task',
      desired: [want(0, { restartEpoch: 1 })],
      actual: [have(0)],
      actions: ['stop c/0 restart-requested'],
    },
    {
      name: 'tasks.max lowered from 2 to 1 stops task 1',
      desired: [want(0)],
      actual: [have(0), have(1)],
      actions: ['stop c/1 removed'],
    },
    {
      name: 'a crashed task (exit 1) waits for its backoff',
      desired: [want(0)],
      actual: [have(0, { phase: 'exited', outcome: 'crashed', crashes: 2, exitedAt: NOW - 500 })],
      actions: [],
      wakeAt: NOW - 500 + 2000,
    },
    {
      name: 'a crashed task restarts once its backoff has passed, keeping its crash count',
      desired: [want(0)],
      actual: [have(0, { phase: 'exited', outcome: 'crashed', crashes: 2, exitedAt: NOW - 2000 })],
      actions: ['start c/0 crashes=2'],
    },
    {
      name: 'a FAILED task (exit 2) is not restarted automatically',
      desired: [want(0)],
      actual: [have(0, { phase: 'exited', outcome: 'failed', exitedAt: NOW - 600_000 })],
      actions: [],
    },
    {
      name: 'a FAILED task restarts on a restart request',
      desired: [want(0, { restartEpoch: 1 })],
      actual: [have(0, { phase: 'exited', outcome: 'failed', exitedAt: NOW })],
      actions: ['start c/0 crashes=0'],
    },
    {
      name: 'a FAILED task restarts when its config changes',
      desired: [want(0, { configHash: 'h2' })],
      actual: [have(0, { phase: 'exited', outcome: 'failed', exitedAt: NOW })],
      actions: ['start c/0 crashes=0'],
    },
    {
      name: 'a task that exited 0 unasked is not restarted (worker contract: none)',
      desired: [want(0)],
      actual: [have(0, { phase: 'exited', outcome: 'finished', exitedAt: NOW })],
      actions: [],
    },
  ];

  it.each(cases)('$name', ({ desired, actual, actions, wakeAt }) => {
    const decision = decide(desired, actual, NOW, policy);
    const shown = decision.actions.map((a) =>
      a.type === 'start'
        ? `start ${a.connector}/${a.task} crashes=${a.crashes}`
        : a.type === 'stop'
          ? `stop ${a.connector}/${a.task} ${a.reason}`
          : `forget ${a.connector}/${a.task}`,
    );
    expect(shown).toEqual(actions);
    expect(decision.wakeAt).toBe(wakeAt);
  });
});

describe('backoff and exit classification', () => {
  it.each([
    { name: 'first crash waits the initial delay', crashes: 1, ms: 1000 },
    { name: 'second crash doubles it', crashes: 2, ms: 2000 },
    { name: 'fourth crash: 8 s', crashes: 4, ms: 8000 },
    { name: 'capped at the maximum', crashes: 20, ms: 8000 },
    { name: 'no crash, no wait', crashes: 0, ms: 0 },
  ])('$name', ({ crashes, ms }) => {
    expect(backoffMs(crashes, policy)).toBe(ms);
  });

  it.each([
    {
      name: 'exit after our SIGTERM is a drain, whatever the code',
      code: 1,
      requested: true,
      outcome: 'drained',
    },
    { name: 'exit 0 unasked', code: 0, requested: false, outcome: 'finished' },
    { name: 'exit 1 is a crash', code: 1, requested: false, outcome: 'crashed' },
    { name: 'exit 2 is a FAILED task', code: 2, requested: false, outcome: 'failed' },
    { name: 'killed by a signal (code null) is a crash', code: null, requested: false, outcome: 'crashed' },
  ])('$name', ({ code, requested, outcome }) => {
    expect(classifyExit(code, requested)).toBe(outcome);
  });

  it.each([
    { name: 'a quick crash counts up', previous: 3, ranMs: 100, next: 4 },
    { name: 'a crash after a stable run starts over', previous: 3, ranMs: 61_000, next: 1 },
  ])('$name', ({ previous, ranMs, next }) => {
    expect(nextCrashCount(previous, ranMs, policy)).toBe(next);
  });

  it('configHash changes with the password and not with key order', () => {
    const base = { kind: 'sink' as const, entry: '/w.js', password: 'a', config: { x: '1', y: '2' } };
    expect(configHash(base)).toBe(configHash({ ...base, config: { y: '2', x: '1' } }));
    expect(configHash(base)).not.toBe(configHash({ ...base, password: 'b' }));
    expect(configHash(base)).not.toBe(configHash({ ...base, config: { x: '1', y: '3' } }));
  });
});

describe('restartReason: a new process is a restart when an earlier one of the task ended', () => {
  it.each([
    { name: 'first start (no process before)', previous: undefined, reason: undefined },
    { name: 'after a crash', previous: have(0, { phase: 'exited', outcome: 'crashed' }), reason: 'crashed' },
    {
      name: 'after exit 2 (FAILED)',
      previous: have(0, { phase: 'exited', outcome: 'failed' }),
      reason: 'failed',
    },
    {
      name: 'after a requested stop (restart, config change)',
      previous: have(0, { phase: 'exited', outcome: 'drained' }),
      reason: 'drained',
    },
    { name: 'a process still running is not restarted', previous: have(0), reason: undefined },
  ])('$name', ({ previous, reason }) => {
    expect(restartReason(previous)).toBe(reason);
  });
});
