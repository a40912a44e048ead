// Every error this library throws or reports is a KwdbClientError with a stable
// `code` and a `retriable` flag. Driver errors (pg, sockets) are translated in
// exactly one place: `classifyError`. Retrying (max.retries, retry.backoff.ms)
// is the caller's policy; this file only says which errors may be retried.

export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'CONNECTION_FAILED'
  | 'DATABASE_UNAVAILABLE'
  | 'AUTHENTICATION_FAILED'
  | 'PERMISSION_DENIED'
  | 'DATABASE_ERROR'
  | 'IDENTIFIER_INVALID'
  | 'TABLE_DEFINITION_INVALID'
  | 'TABLE_NOT_FOUND'
  | 'SCHEMA_MISMATCH'
  | 'VALUE_INVALID'
  | 'VALUE_OUT_OF_RANGE'
  | 'VALUE_TOO_LONG'
  | 'TEXT_INVALID'
  | 'NULL_NOT_ALLOWED';

export class KwdbClientError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  constructor(code: ErrorCode, message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KwdbClientError';
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

/** A connector setting is missing or malformed (connection.url, batch.size, ...). */
export class ConfigError extends KwdbClientError {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
    this.name = 'ConfigError';
  }
}

/** The database could not be reached or the connection was lost: always retriable. */
export class ConnectionError extends KwdbClientError {
  constructor(message: string, cause?: unknown) {
    super('CONNECTION_FAILED', message, { retriable: true, cause });
    this.name = 'ConnectionError';
  }
}

/** An error the server reported, with its SQLSTATE. */
export class DatabaseError extends KwdbClientError {
  readonly sqlState: string;
  constructor(code: ErrorCode, sqlState: string, message: string, retriable: boolean, cause?: unknown) {
    super(code, message, { retriable, cause });
    this.name = 'DatabaseError';
    this.sqlState = sqlState;
  }
}

/** A table, column, tag or database name that KWDB's naming rules reject. */
export class IdentifierError extends KwdbClientError {
  constructor(message: string) {
    super('IDENTIFIER_INVALID', message);
    this.name = 'IdentifierError';
  }
}

/** A table definition (from a batch) that breaks KWDB's CREATE TABLE rules. */
export class TableDefinitionError extends KwdbClientError {
  readonly table: string;
  constructor(table: string, message: string) {
    super('TABLE_DEFINITION_INVALID', `table "${table}": ${message}`);
    this.name = 'TableDefinitionError';
    this.table = table;
  }
}

/**
 * The table does not exist: the batch's format cannot create it (line_influxdb), or a read found
 * it missing or dropped (SQLSTATE 42P01 classified with the table known). Permanent.
 */
export class TableNotFoundError extends KwdbClientError {
  readonly table: string;
  constructor(table: string, detail = '', cause?: unknown) {
    super('TABLE_NOT_FOUND', `table "${table}" does not exist${detail ? `: ${detail}` : ''}`, { cause });
    this.name = 'TableNotFoundError';
    this.table = table;
  }
}

/** The batch does not fit the real table: unknown column, incompatible type, missing primary tag. */
export class SchemaMismatchError extends KwdbClientError {
  readonly table: string;
  readonly column: string;
  readonly expected: string;
  readonly found: string;
  constructor(table: string, column: string, expected: string, found: string) {
    super('SCHEMA_MISMATCH', `table "${table}", column "${column}": expected ${expected}, found ${found}`);
    this.name = 'SchemaMismatchError';
    this.table = table;
    this.column = column;
    this.expected = expected;
    this.found = found;
  }
}

export type ValueErrorCode =
  'VALUE_INVALID' | 'VALUE_OUT_OF_RANGE' | 'VALUE_TOO_LONG' | 'TEXT_INVALID' | 'NULL_NOT_ALLOWED';

/** One value of one record cannot be stored as sent. */
export class ValueError extends KwdbClientError {
  readonly table: string;
  readonly column: string;
  constructor(code: ValueErrorCode, table: string, column: string, message: string) {
    super(code, `table "${table}", column "${column}": ${message}`);
    this.name = 'ValueError';
    this.table = table;
    this.column = column;
  }
}

/** SQLSTATEs after which the same statement may succeed if retried. */
const RETRIABLE_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53000', // insufficient_resources
  '53200', // out_of_memory
  '53300', // too_many_connections
  '55P03', // lock_not_available
  '57014', // query_canceled (statement timeout)
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '57P05', // idle_session_timeout
  '25P03', // idle_in_transaction_session_timeout
  '58000', // system_error
  '58030', // io_error
]);

/** Node socket error codes that mean "the server is (temporarily) unreachable". */
const RETRIABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** pg reports a lost connection as a plain Error with one of these messages. */
const CONNECTION_LOST_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error',
  'timeout exceeded when trying to connect',
  'Client was closed',
  'Connection ended',
  'server closed the connection unexpectedly',
];

/** True when a SQLSTATE names an error worth retrying (class 08: connection exception, and the list above). */
export function isRetriableSqlState(sqlState: string): boolean {
  return sqlState.startsWith('08') || RETRIABLE_SQLSTATES.has(sqlState);
}

function codeForSqlState(sqlState: string): ErrorCode {
  if (sqlState.startsWith('08') || sqlState.startsWith('57P') || sqlState === '53300')
    return 'DATABASE_UNAVAILABLE';
  if (sqlState === '28P01' || sqlState === '28000') return 'AUTHENTICATION_FAILED';
  if (sqlState === '42501') return 'PERMISSION_DENIED';
  if (sqlState === '42P01') return 'TABLE_NOT_FOUND';
  if (sqlState === '22001') return 'VALUE_TOO_LONG';
  if (sqlState === '22003' || sqlState === '22008') return 'VALUE_OUT_OF_RANGE';
  if (sqlState === '23502') return 'NULL_NOT_ALLOWED';
  if (sqlState === '22021') return 'TEXT_INVALID';
  if (sqlState.startsWith('22')) return 'VALUE_INVALID';
  return 'DATABASE_ERROR';
}

/** SQLSTATE undefined_table (PostgreSQL and KWDB: `relation "t" does not exist`). */
export const UNDEFINED_TABLE = '42P01';

/** The SQLSTATE of an error the server reported (a 5-character code with a severity), else undefined. */
export function serverSqlState(err: unknown): string | undefined {
  const e = (err ?? {}) as { code?: unknown; severity?: unknown };
  return typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && e.severity !== undefined
    ? e.code
    : undefined;
}

/**
 * The one classifier: turns anything thrown by pg (or by this library) into a
 * KwdbClientError whose `retriable` says whether the operation may be retried.
 * The original error is kept as `cause`. When the statement read one known table
 * (`context.table`: readAfter, describeTable), SQLSTATE 42P01 becomes a TableNotFoundError of
 * that table (it does not exist or was dropped); otherwise it stays a DatabaseError with code
 * TABLE_NOT_FOUND.
 */
export function classifyError(err: unknown, context: { table?: string } = {}): KwdbClientError {
  if (context.table !== undefined) {
    const sqlState = err instanceof DatabaseError ? err.sqlState : (err as { code?: unknown } | null)?.code;
    const isServerError =
      err instanceof DatabaseError || (err as { severity?: unknown })?.severity !== undefined;
    if (sqlState === UNDEFINED_TABLE && isServerError) {
      const message = err instanceof Error ? err.message : String(err);
      return new TableNotFoundError(context.table, message, err);
    }
  }
  if (err instanceof KwdbClientError) return err;
  const e = (err ?? {}) as { code?: unknown; message?: unknown; severity?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(err);
  const code = typeof e.code === 'string' ? e.code : undefined;
  const sqlState = serverSqlState(err);
  if (sqlState !== undefined) {
    return new DatabaseError(
      codeForSqlState(sqlState),
      sqlState,
      `${message} (SQLSTATE ${sqlState})`,
      isRetriableSqlState(sqlState),
      err,
    );
  }
  if (code !== undefined && RETRIABLE_SOCKET_CODES.has(code)) {
    return new ConnectionError(`connection failed: ${message} (${code})`, err);
  }
  if (CONNECTION_LOST_MESSAGES.some((m) => message.includes(m))) {
    return new ConnectionError(`connection lost: ${message}`, err);
  }
  return new KwdbClientError('DATABASE_ERROR', message, { cause: err });
}
