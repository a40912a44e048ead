import { describe, expect, it } from '@jest/globals';
import { FormatError } from '@kwdb-connect/formats';
import { KwdbClientError, TableNotFoundError } from '@kwdb-connect/kwdb-client';
import { SourceWorkerError } from '../errors';
import { permanentError, recordTooLargeError, refusedRecordType } from './step-error';

/** A broker error as kafkajs throws it (KafkaJSProtocolError). */
const protocolError = (type: string, retriable = false) =>
  Object.assign(new Error(`broker says ${type}`), { name: 'KafkaJSProtocolError', type, retriable });
/** kafkajs' retrier wraps the broker error: KafkaJSNonRetriableError / KafkaJSNumberOfRetriesExceeded. */
const wrapped = (name: string, cause: unknown) =>
  Object.assign(new Error(`wrapped: ${(cause as Error).message}`), { name, retriable: false, cause });

const place = { table: 'big_rows', topic: 'kw-db-big_rows' };

describe('permanentError: what a table loop does with a step error', () => {
  const same = 'thrown as it is';
  const cases: Array<{
    name: string;
    error: unknown;
    expected: 'retried' | typeof same | { code: string; contains: string[] };
  }> = [
    {
      name: 'a plain error (connection reset): retried',
      error: new Error('ECONNRESET'),
      expected: 'retried',
    },
    {
      name: 'a retriable Kafka error: retried',
      error: wrapped('KafkaJSNumberOfRetriesExceeded', protocolError('REQUEST_TIMED_OUT', true)),
      expected: 'retried',
    },
    {
      name: 'a retriable database error: retried',
      error: new KwdbClientError('DATABASE_UNAVAILABLE', 'down', { retriable: true }),
      expected: 'retried',
    },
    {
      name: 'a non-retriable database error: permanent',
      error: new KwdbClientError('PERMISSION_DENIED', 'no'),
      expected: same,
    },
    {
      name: 'a dropped table: passed on (the loop ends)',
      error: new TableNotFoundError('t'),
      expected: same,
    },
    {
      name: 'a source worker error: permanent',
      error: new SourceWorkerError('CURSOR_INVALID', 'bad cursor'),
      expected: same,
    },
    {
      name: 'a format error: permanent',
      error: new FormatError({ code: 'FORMAT_NOT_REPRESENTABLE', message: 'x' }),
      expected: same,
    },
    { name: 'a fenced producer: permanent', error: protocolError('PRODUCER_FENCED'), expected: same },
    {
      name: 'MESSAGE_TOO_LARGE itself: RECORD_TOO_LARGE naming the table',
      error: protocolError('MESSAGE_TOO_LARGE'),
      expected: {
        code: 'RECORD_TOO_LARGE',
        contains: ['MESSAGE_TOO_LARGE', 'big_rows', 'kw-db-big_rows', 'max.message.bytes'],
      },
    },
    {
      name: 'MESSAGE_TOO_LARGE inside KafkaJSNonRetriableError: RECORD_TOO_LARGE',
      error: wrapped('KafkaJSNonRetriableError', protocolError('MESSAGE_TOO_LARGE')),
      expected: { code: 'RECORD_TOO_LARGE', contains: ['MESSAGE_TOO_LARGE', 'big_rows'] },
    },
    {
      name: 'RECORD_LIST_TOO_LARGE inside KafkaJSNumberOfRetriesExceeded: RECORD_TOO_LARGE',
      error: wrapped('KafkaJSNumberOfRetriesExceeded', protocolError('RECORD_LIST_TOO_LARGE')),
      expected: { code: 'RECORD_TOO_LARGE', contains: ['RECORD_LIST_TOO_LARGE', 'big_rows'] },
    },
    {
      name: 'INVALID_RECORD inside KafkaJSNonRetriableError: RECORD_REFUSED',
      error: wrapped('KafkaJSNonRetriableError', protocolError('INVALID_RECORD')),
      expected: { code: 'RECORD_REFUSED', contains: ['INVALID_RECORD', 'big_rows'] },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = permanentError(c.error, place);
      if (c.expected === 'retried') expect(result).toBeUndefined();
      else if (c.expected === same) expect(result).toBe(c.error);
      else {
        expect(result).toBeInstanceOf(SourceWorkerError);
        const error = result as SourceWorkerError;
        expect(error.code).toBe(c.expected.code);
        for (const text of c.expected.contains) expect(error.message).toContain(text);
        expect(error.cause).toBe(c.error);
      }
    });
  }
});

describe('refusedRecordType', () => {
  const cases: Array<{ name: string; error: unknown; expected: string | undefined }> = [
    { name: 'not an object', error: 'MESSAGE_TOO_LARGE', expected: undefined },
    { name: 'on the error', error: protocolError('MESSAGE_TOO_LARGE'), expected: 'MESSAGE_TOO_LARGE' },
    {
      name: 'in an aggregate',
      error: { errors: [protocolError('NOT_LEADER_FOR_PARTITION'), protocolError('RECORD_LIST_TOO_LARGE')] },
      expected: 'RECORD_LIST_TOO_LARGE',
    },
    {
      name: 'two causes deep',
      error: wrapped('KafkaJSNonRetriableError', wrapped('KafkaJSError', protocolError('INVALID_RECORD'))),
      expected: 'INVALID_RECORD',
    },
    {
      name: 'another broker error',
      error: protocolError('NOT_LEADER_FOR_PARTITION', true),
      expected: undefined,
    },
  ];
  for (const c of cases) {
    it(c.name, () => expect(refusedRecordType(c.error)).toBe(c.expected));
  }
});

describe('recordTooLargeError', () => {
  it('names code, table, topic, row timestamp, key, size and limit, and what to do', () => {
    const error = recordTooLargeError({
      table: 'big_rows',
      topic: 'kw-db-big_rows',
      rowTs: '1700000000003000000',
      key: '["big_rows","7"]',
      bytes: 4120,
      maxMessageBytes: 2048,
    });
    expect(error.code).toBe('RECORD_TOO_LARGE');
    for (const text of [
      'RECORD_TOO_LARGE',
      'table big_rows',
      'topic kw-db-big_rows',
      'timestamp 1700000000003000000 ns',
      'key ["big_rows","7"]',
      '4120 bytes',
      '2048 bytes',
      'max.message.bytes',
      'message.max.bytes',
      'errors.tolerance=all',
    ]) {
      expect(error.message).toContain(text);
    }
  });
});
