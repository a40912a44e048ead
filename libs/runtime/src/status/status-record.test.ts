import { describe, expect, it } from '@jest/globals';
import { StatusRecordError } from '../errors';
import {
  connectorStatusKey,
  encodeStatusValue,
  parseStatusKey,
  parseStatusValue,
  taskStatusKey,
  type StatusKey,
} from './status-record';

describe('status keys', () => {
  it.each([
    {
      name: 'connector',
      key: connectorStatusKey('kw-sink'),
      expected: { kind: 'connector', connector: 'kw-sink' },
    },
    {
      name: 'task',
      key: taskStatusKey('kw-sink', 3),
      expected: { kind: 'task', connector: 'kw-sink', task: 3 },
    },
    {
      name: 'task of a connector whose name ends in -<digits>',
      key: taskStatusKey('sink-2', 10),
      expected: { kind: 'task', connector: 'sink-2', task: 10 },
    },
    {
      name: 'Kafka Connect topic-tracking key',
      key: 'status-topic-t1:connector-kw-sink',
      expected: undefined,
    },
    { name: 'task key without an id', key: 'status-task-kw-sink', expected: undefined },
    { name: 'task id with a leading zero', key: 'status-task-kw-sink-01', expected: undefined },
    { name: 'empty connector name', key: 'status-connector-', expected: undefined },
    { name: 'unrelated key', key: 'hello', expected: undefined },
  ] satisfies { name: string; key: string; expected: StatusKey | undefined }[])(
    '$name',
    ({ key, expected }) => {
      expect(parseStatusKey(key)).toEqual(expected);
    },
  );

  it('writes the exact Kafka Connect key shapes', () => {
    expect(connectorStatusKey('kw-sink')).toBe('status-connector-kw-sink');
    expect(taskStatusKey('kw-sink', 0)).toBe('status-task-kw-sink-0');
  });

  it.each([
    { name: 'negative', task: -1 },
    { name: 'fractional', task: 1.5 },
  ])('rejects a $name task id', ({ task }) => {
    expect(() => taskStatusKey('c', task)).toThrow(StatusRecordError);
  });
});

describe('status values', () => {
  const value = {
    state: 'FAILED' as const,
    trace: 'Error: boom\n    at x',
    worker_id: 'sink-0:8080',
    generation: 2,
    updated_at: 1_700_000_000_000,
  };

  it('round-trips and writes the documented field names', () => {
    const text = encodeStatusValue(value);
    expect(JSON.parse(text)).toEqual({
      state: 'FAILED',
      trace: 'Error: boom\n    at x',
      worker_id: 'sink-0:8080',
      generation: 2,
      updated_at: 1_700_000_000_000,
    });
    expect(parseStatusValue(text)).toEqual(value);
  });

  it("reads Kafka Connect's own value (no updated_at, trace absent)", () => {
    expect(parseStatusValue('{"state":"RUNNING","worker_id":"10.0.0.1:8083","generation":5}')).toEqual({
      state: 'RUNNING',
      trace: null,
      worker_id: '10.0.0.1:8083',
      generation: 5,
      updated_at: 0,
    });
  });

  it.each([
    { name: 'not JSON', text: '{', message: /not JSON/ },
    { name: 'an array', text: '[]', message: /not a JSON object/ },
    { name: 'unknown state', text: '{"state":"DEAD","worker_id":"w"}', message: /unknown state "DEAD"/ },
    { name: 'missing worker_id', text: '{"state":"RUNNING"}', message: /worker_id/ },
    { name: 'numeric trace', text: '{"state":"FAILED","worker_id":"w","trace":1}', message: /trace/ },
    {
      name: 'fractional generation',
      text: '{"state":"RUNNING","worker_id":"w","generation":1.5}',
      message: /generation/,
    },
    {
      name: 'string updated_at',
      text: '{"state":"RUNNING","worker_id":"w","updated_at":"x"}',
      message: /updated_at/,
    },
  ])('rejects $name with a StatusRecordError', ({ text, message }) => {
    expect(() => parseStatusValue(text)).toThrow(StatusRecordError);
    expect(() => parseStatusValue(text)).toThrow(message);
  });
});
