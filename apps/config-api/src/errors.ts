// Typed errors of config-api. The one error middleware (http/error-handler.ts) maps them to
// Kafka Connect's error body {"error_code": <HTTP status>, "message": "..."} (ConnectExceptionMapper).

export type ApiErrorCode =
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'CONFLICT'
  | 'BAD_REQUEST'
  | 'FORBIDDEN'
  | 'INVALID_CONFIG'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'METHOD_NOT_ALLOWED'
  | 'INTERNAL';

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;

  constructor(code: ApiErrorCode, status: number, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}

/** 404: unknown connector, task or plugin. */
export class NotFoundError extends ApiError {
  constructor(message: string) {
    super('NOT_FOUND', 404, message);
    this.name = 'NotFoundError';
  }
}

/** 409: a connector with this name already exists. */
export class AlreadyExistsError extends ApiError {
  constructor(message: string) {
    super('ALREADY_EXISTS', 409, message);
    this.name = 'AlreadyExistsError';
  }
}

/** 403: a request the configuration does not allow (topic tracking off, topics reset not allowed). */
export class ForbiddenError extends ApiError {
  constructor(message: string) {
    super('FORBIDDEN', 403, message);
    this.name = 'ForbiddenError';
  }
}

/** 400: a malformed request (name mismatch, bad query value, offsets while not STOPPED...). */
export class BadRequestError extends ApiError {
  constructor(message: string) {
    super('BAD_REQUEST', 400, message);
    this.name = 'BadRequestError';
  }
}

/** 400: an invalid connector configuration; `problems` lists every one. */
export class InvalidConfigError extends ApiError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[], pluginHint: string) {
    super(
      'INVALID_CONFIG',
      400,
      `Connector configuration is invalid and contains the following ${problems.length} error(s):\n` +
        `${problems.join('\n')}\n` +
        `You can also find the above list of errors at the endpoint \`/connector-plugins/${pluginHint}/config/validate\``,
    );
    this.name = 'InvalidConfigError';
    this.problems = Object.freeze([...problems]);
  }
}

export const connectorNotFound = (name: string): NotFoundError =>
  new NotFoundError(`Connector ${name} not found`);
