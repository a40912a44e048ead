import { describe, expect, it } from '@jest/globals';
import { parseTargetState, targetStateOf } from './target-state';

describe('target state', () => {
  it.each([
    { name: 'absent means RUNNING', value: undefined, expected: 'RUNNING' },
    { name: 'RUNNING', value: 'RUNNING', expected: 'RUNNING' },
    { name: 'PAUSED', value: 'PAUSED', expected: 'PAUSED' },
    { name: 'STOPPED is not a worker state', value: 'STOPPED', expected: undefined },
    { name: 'lower case is rejected', value: 'paused', expected: undefined },
  ])('parseTargetState: $name', ({ value, expected }) => {
    expect(parseTargetState(value)).toBe(expected);
  });

  it.each([
    { name: 'a whole file', text: '{"name":"a","config":{},"targetState":"PAUSED"}', expected: 'PAUSED' },
    { name: 'a half-written file keeps the current state', text: '{"name":"a","conf', expected: undefined },
    { name: 'not an object', text: '42', expected: undefined },
  ])('targetStateOf: $name', ({ text, expected }) => {
    expect(targetStateOf(text)).toBe(expected);
  });
});
