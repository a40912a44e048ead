import { describe, expect, it } from '@jest/globals';
import { controlChanges, NO_CONTROL, workerControlOf } from './worker-control';

describe('workerControlOf', () => {
  it.each([
    { name: 'a file without control fields', text: '{"name":"a","config":{}}', expected: NO_CONTROL },
    {
      name: 'levels in order and the reset time',
      text: JSON.stringify({
        name: 'a',
        config: {},
        logLevels: [
          { logger: 'root', level: 'DEBUG' },
          { logger: 'sink-worker', level: 'warn' },
        ],
        activeTopicsResetAt: 42,
      }),
      expected: {
        logLevels: [
          { logger: 'root', level: 'DEBUG' },
          { logger: 'sink-worker', level: 'warn' },
        ],
        activeTopicsResetAt: 42,
      },
    },
    {
      name: 'invalid entries are left out',
      text: JSON.stringify({
        logLevels: [
          { logger: '', level: 'DEBUG' },
          { logger: 'x', level: 'LOUD' },
          7,
          { logger: 'y', level: 'OFF' },
        ],
        activeTopicsResetAt: 'soon',
      }),
      expected: { logLevels: [{ logger: 'y', level: 'OFF' }], activeTopicsResetAt: undefined },
    },
    { name: 'a half-written file', text: '{"name":"a","logLe', expected: undefined },
    { name: 'not an object', text: '[1]', expected: undefined },
  ])('$name', ({ text, expected }) => {
    expect(workerControlOf(text)).toEqual(expected);
  });
});

describe('controlChanges', () => {
  const levels = [
    { logger: 'root', level: 'DEBUG' },
    { logger: 'x', level: 'OFF' },
  ];
  it.each([
    {
      name: 'nothing changed',
      before: { logLevels: levels, activeTopicsResetAt: 1 },
      after: { logLevels: levels, activeTopicsResetAt: 1 },
      expected: { logLevels: [], topicsReset: false },
    },
    {
      name: 'a changed list is applied whole, in order, as pino levels',
      before: NO_CONTROL,
      after: { logLevels: levels, activeTopicsResetAt: undefined },
      expected: {
        logLevels: [
          { logger: 'root', level: 'debug' },
          { logger: 'x', level: 'silent' },
        ],
        topicsReset: false,
      },
    },
    {
      name: 'a new reset time',
      before: { logLevels: [], activeTopicsResetAt: 1 },
      after: { logLevels: [], activeTopicsResetAt: 2 },
      expected: { logLevels: [], topicsReset: true },
    },
  ])('$name', ({ before, after, expected }) => {
    expect(controlChanges(before, after)).toEqual(expected);
  });
});
