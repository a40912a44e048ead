import { describe, expect, it } from '@jest/globals';
import { StatusRecordError } from '../errors';
import {
  connectorStatusKey,
  encodeStatusValue,
  encodeTopicStatusValue,
  parseStatusKey,
  parseStatusValue,
  parseTopicStatusValue,
  taskStatusKey,
  topicStatusKey,
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
      expected: { kind: 'topic', topic: 't1', connector: 'kw-sink' },
    },
    {
      name: 'topic-tracking key of a connector whose name holds the separator',
      key: topicStatusKey('a:connector-b', 'metrics.v1'),
      expected: { kind: 'topic', topic: 'metrics.v1', connector: 'a:connector-b' },
    },
    { name: 'topic key without a connector', key: 'status-topic-t1:connector-', expected: undefined },
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

  it('writes and reads the plugin version when there is one (Kafka Connect 4.1)', () => {
    const text = encodeStatusValue({ ...value, version: '0.1.0' });
    expect(JSON.parse(text)).toMatchObject({ version: '0.1.0' });
    expect(parseStatusValue(text)).toEqual({ ...value, version: '0.1.0' });
    expect(() => parseStatusValue('{"state":"RUNNING","worker_id":"w","version":1}')).toThrow(/version/);
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

describe('topic status values', () => {
  it("round-trips Kafka Connect's TopicStatus shape", () => {
    const value = { name: 'metrics', connector: 'kw-sink', task: 2, discoverTimestamp: 1_700_000_000_000 };
    const text = encodeTopicStatusValue(value);
    expect(JSON.parse(text)).toEqual({
      topic: { name: 'metrics', connector: 'kw-sink', task: 2, discoverTimestamp: 1_700_000_000_000 },
    });
    expect(parseTopicStatusValue(text)).toEqual(value);
    expect(topicStatusKey('kw-sink', 'metrics')).toBe('status-topic-metrics:connector-kw-sink');
  });

  it.each([
    { name: 'not JSON', text: '{', message: /not JSON/ },
    { name: 'no topic object', text: '{"name":"t"}', message: /"topic" object/ },
    { name: 'no name', text: '{"topic":{"connector":"c","task":0}}', message: /topic name/ },
    { name: 'fractional task', text: '{"topic":{"name":"t","connector":"c","task":0.5}}', message: /task/ },
  ])('rejects $name', ({ text, message }) => {
    expect(() => parseTopicStatusValue(text)).toThrow(message);
  });

  it('refuses a topic name Kafka cannot have', () => {
    expect(() => topicStatusKey('c', 'a:b')).toThrow(StatusRecordError);
  });
});
