import { describe, expect, it } from '@jest/globals';
import {
  ConnectionError,
  DatabaseError,
  KwdbClientError,
  TableNotFoundError,
  ValueError,
  classifyError,
  isRetriableSqlState,
} from './errors';

/** What pg throws for a server error: a message, a SQLSTATE code and a severity. */
const serverError = (code: string, message = 'server says no') =>
  Object.assign(new Error(message), { code, severity: 'ERROR' });
const socketError = (code: string) =>
  Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code, errno: -111 });

describe('classifyError', () => {
  it.each([
    {
      name: 'connection exception 08006',
      err: serverError('08006'),
      retriable: true,
      code: 'DATABASE_UNAVAILABLE',
    },
    {
      name: 'admin shutdown 57P01',
      err: serverError('57P01'),
      retriable: true,
      code: 'DATABASE_UNAVAILABLE',
    },
    {
      name: 'cannot connect now 57P03',
      err: serverError('57P03'),
      retriable: true,
      code: 'DATABASE_UNAVAILABLE',
    },
    {
      name: 'too many connections 53300',
      err: serverError('53300'),
      retriable: true,
      code: 'DATABASE_UNAVAILABLE',
    },
    {
      name: 'serialization failure 40001',
      err: serverError('40001'),
      retriable: true,
      code: 'DATABASE_ERROR',
    },
    { name: 'deadlock 40P01', err: serverError('40P01'), retriable: true, code: 'DATABASE_ERROR' },
    { name: 'statement timeout 57014', err: serverError('57014'), retriable: true, code: 'DATABASE_ERROR' },
    { name: 'lock timeout 55P03', err: serverError('55P03'), retriable: true, code: 'DATABASE_ERROR' },
    { name: 'unique violation 23505', err: serverError('23505'), retriable: false, code: 'DATABASE_ERROR' },
    {
      name: 'not null violation 23502',
      err: serverError('23502'),
      retriable: false,
      code: 'NULL_NOT_ALLOWED',
    },
    { name: 'value too long 22001', err: serverError('22001'), retriable: false, code: 'VALUE_TOO_LONG' },
    { name: 'out of range 22003', err: serverError('22003'), retriable: false, code: 'VALUE_OUT_OF_RANGE' },
    { name: 'NUL in text 22021', err: serverError('22021'), retriable: false, code: 'TEXT_INVALID' },
    { name: 'bad text 22P02', err: serverError('22P02'), retriable: false, code: 'VALUE_INVALID' },
    { name: 'syntax error 42601', err: serverError('42601'), retriable: false, code: 'DATABASE_ERROR' },
    { name: 'undefined table 42P01', err: serverError('42P01'), retriable: false, code: 'TABLE_NOT_FOUND' },
    {
      name: 'permission denied 42501',
      err: serverError('42501'),
      retriable: false,
      code: 'PERMISSION_DENIED',
    },
    {
      name: 'bad password 28P01',
      err: serverError('28P01'),
      retriable: false,
      code: 'AUTHENTICATION_FAILED',
    },
    { name: 'unknown database 3D000', err: serverError('3D000'), retriable: false, code: 'DATABASE_ERROR' },
    { name: 'ECONNREFUSED', err: socketError('ECONNREFUSED'), retriable: true, code: 'CONNECTION_FAILED' },
    { name: 'ECONNRESET', err: socketError('ECONNRESET'), retriable: true, code: 'CONNECTION_FAILED' },
    { name: 'ETIMEDOUT', err: socketError('ETIMEDOUT'), retriable: true, code: 'CONNECTION_FAILED' },
    {
      name: 'pg: terminated',
      err: new Error('Connection terminated unexpectedly'),
      retriable: true,
      code: 'CONNECTION_FAILED',
    },
    {
      name: 'pg pool: connect timeout',
      err: new Error('timeout exceeded when trying to connect'),
      retriable: true,
      code: 'CONNECTION_FAILED',
    },
    { name: 'a bug', err: new TypeError('x is undefined'), retriable: false, code: 'DATABASE_ERROR' },
    { name: 'a thrown string', err: 'boom', retriable: false, code: 'DATABASE_ERROR' },
  ])('$name -> retriable=$retriable, code=$code', ({ err, retriable, code }) => {
    const e = classifyError(err);
    expect(e).toBeInstanceOf(KwdbClientError);
    expect(e.retriable).toBe(retriable);
    expect(e.code).toBe(code);
    if (err instanceof Error) expect(e.cause).toBe(err);
  });

  it('keeps the SQLSTATE of a server error', () => {
    const e = classifyError(serverError('23505', 'duplicate key'));
    expect(e).toBeInstanceOf(DatabaseError);
    expect((e as DatabaseError).sqlState).toBe('23505');
    expect(e.message).toBe('duplicate key (SQLSTATE 23505)');
  });

  it('42P01 while reading a known table is a TableNotFoundError of that table (permanent)', () => {
    const raw = serverError('42P01', 'relation "m" does not exist');
    const e = classifyError(raw, { table: 'm' });
    expect(e).toBeInstanceOf(TableNotFoundError);
    expect(e).toMatchObject({ code: 'TABLE_NOT_FOUND', retriable: false, table: 'm' });
    expect(e.message).toBe('table "m" does not exist: relation "m" does not exist');
    expect(e.cause).toBe(raw);
    // Already classified (DatabaseError 42P01) with the table known: the same.
    expect(classifyError(classifyError(raw), { table: 'm' })).toBeInstanceOf(TableNotFoundError);
    // Without a table (a write of several tables): a DatabaseError with its SQLSTATE, as before.
    expect(classifyError(raw)).toBeInstanceOf(DatabaseError);
    // Other errors are not affected by the table context.
    expect(classifyError(serverError('08006'), { table: 'm' })).toMatchObject({ retriable: true });
  });

  it('returns errors of this library unchanged', () => {
    const own = new ValueError('VALUE_TOO_LONG', 't', 'c', 'too long');
    expect(classifyError(own)).toBe(own);
    expect(classifyError(new ConnectionError('x')).retriable).toBe(true);
  });

  it.each([
    ['08001', true],
    ['08P01', true],
    ['57P01', true],
    ['22P02', false],
    ['XX000', false],
  ])('isRetriableSqlState(%s) = %s', (state, expected) => {
    expect(isRetriableSqlState(state)).toBe(expected);
  });
});
