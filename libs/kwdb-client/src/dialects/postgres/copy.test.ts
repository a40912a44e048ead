import { describe, expect, it } from '@jest/globals';
import { CopyPolicy, refusedByServer } from './copy';

describe('CopyPolicy', () => {
  it.each<{ name: string; steps: Array<'conflict' | 'write'>; copies: boolean[] }>([
    { name: 'COPY first while nothing conflicted', steps: ['write', 'write'], copies: [true, true] },
    {
      name: 'after a conflict, the next writes upsert, then COPY is tried again',
      steps: ['conflict', 'write', 'write', 'write', 'write'],
      copies: [false, false, false, true],
    },
    {
      name: 'a conflict during the upserts starts the count again',
      steps: ['conflict', 'write', 'write', 'conflict', 'write', 'write', 'write', 'write'],
      copies: [false, false, false, false, false, true],
    },
  ])('$name', ({ steps, copies }) => {
    const policy = new CopyPolicy(3);
    const seen: boolean[] = [];
    for (const step of steps) {
      if (step === 'conflict') policy.conflicted('t');
      else seen.push(policy.copyFirst('t'));
    }
    expect(seen).toEqual(copies);
  });

  it('keeps tables apart', () => {
    const policy = new CopyPolicy(3);
    policy.conflicted('a');
    expect(policy.copyFirst('b')).toBe(true);
    expect(policy.copyFirst('a')).toBe(false);
  });
});

describe('refusedByServer', () => {
  it.each([
    { name: 'a key already there (23505)', error: { code: '23505', severity: 'ERROR' }, expected: true },
    { name: 'another SQLSTATE', error: { code: '0A000', severity: 'ERROR' }, expected: true },
    { name: 'a socket error with a 5-letter code', error: { code: 'EPIPE' }, expected: false },
    { name: 'a lost connection', error: new Error('Connection terminated unexpectedly'), expected: false },
    { name: 'not an object', error: null, expected: false },
  ])('$name', ({ error, expected }) => {
    expect(refusedByServer(error)).toBe(expected);
  });
});
