import { describe, expect, it } from '@jest/globals';
import { FormatError } from '@kwdb-connect/formats';
import type { SinkRecord } from '../pipeline/record';
import { deadLetterMessage } from './dead-letter';
import { decideTolerance } from './policy';
import { failureTrace, recordFailedError } from './task-failed';

const record: SinkRecord = {
  topic: 'orders',
  partition: 2,
  offset: '41',
  key: Buffer.from('k'),
  value: Buffer.from('{bad'),
  headers: { origin: Buffer.from('app') },
  timestamp: '1700000000000',
};
const error = new FormatError({ code: 'FORMAT_INVALID_JSON', message: 'unexpected end of JSON' });

describe('decideTolerance', () => {
  const failures = [
    { index: 3, stage: 'decode' as const, error },
    { index: 5, stage: 'write' as const, error },
  ];
  it.each([
    { name: 'no failure: ok', tolerance: 'none' as const, given: [], expected: { kind: 'ok' } },
    {
      name: 'none: fail at the first',
      tolerance: 'none' as const,
      given: failures,
      expected: { kind: 'fail', failure: failures[0] },
    },
    {
      name: 'all: dead-letter every one',
      tolerance: 'all' as const,
      given: failures,
      expected: { kind: 'dead-letter', failures },
    },
  ])('$name', ({ tolerance, given, expected }) => {
    expect(decideTolerance(tolerance, given)).toEqual(expected);
  });
});

describe('deadLetterMessage', () => {
  it('keeps the original key, value and headers and adds Kafka Connect context headers', () => {
    const m = deadLetterMessage(
      record,
      { stage: 'decode', error },
      { connector: 'c1', taskId: 4, contextHeaders: true },
    );
    expect(m.key).toEqual(record.key);
    expect(m.value).toEqual(record.value);
    expect(m.headers).toMatchObject({
      origin: Buffer.from('app'),
      '__connect.errors.topic': 'orders',
      '__connect.errors.partition': '2',
      '__connect.errors.offset': '41',
      '__connect.errors.connector.name': 'c1',
      '__connect.errors.task.id': '4',
      '__connect.errors.stage': 'TASK_PUT',
      '__connect.errors.class.name': 'com.kaiwudb.kafka.connect.sink.KwdbSinkTask',
      '__connect.errors.exception.class.name': 'FormatError',
      '__connect.errors.exception.message': 'FORMAT_INVALID_JSON: unexpected end of JSON',
    });
    expect(m.headers['__connect.errors.exception.stacktrace']).toContain('FormatError');
  });

  it('adds no context headers when errors.deadletterqueue.context.headers.enable is false', () => {
    const m = deadLetterMessage(
      record,
      { stage: 'decode', error },
      { connector: 'c1', taskId: 0, contextHeaders: false },
    );
    expect(Object.keys(m.headers)).toEqual(['origin']);
  });
});

describe('recordFailedError', () => {
  it('names topic, partition, offset, stage and reason; the trace carries the cause', () => {
    const e = recordFailedError(record, 'decode', 'FORMAT_INVALID_JSON: unexpected end', error);
    expect(e.message).toContain('topic orders, partition 2, offset 41');
    expect(e.message).toContain('stage decode');
    expect(e).toMatchObject({ code: 'RECORD_FAILED', topic: 'orders', partition: 2, offset: '41' });
    expect(failureTrace(e)).toContain('Caused by: FormatError');
  });
});
