// The one error mapper (Kafka Connect's ConnectExceptionMapper): any thrown value becomes
// {"error_code": <HTTP status>, "message": "..."}. Typed ApiErrors keep their status, body-parser's
// errors (malformed JSON, too large) keep theirs, anything else is a 500 and is logged.
import type { ErrorRequestHandler } from 'express';
import type { Logger } from '@kwdb-connect/runtime';
import { ApiError } from '../errors';

export interface ErrorBody {
  error_code: number;
  message: string;
}

interface HttpishError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  expose?: unknown;
  message?: unknown;
}

/** Maps an error to its HTTP status and Kafka Connect error body. Pure. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof ApiError) return { error_code: error.status, message: error.message };
  const e = (typeof error === 'object' && error !== null ? error : {}) as HttpishError;
  const status =
    typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    // body-parser errors: entity.parse.failed (400), entity.too.large (413), charset/encoding (415)
    let message = typeof e.message === 'string' ? e.message : 'Bad request';
    if (e.type === 'entity.parse.failed') message = `Request body is not valid JSON: ${message}`;
    if (e.type === 'entity.too.large') message = `Request body is larger than the limit: ${message}`;
    return { error_code: status, message };
  }
  return { error_code: 500, message: 'Internal server error; see the config-api log for details' };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const body = toErrorBody(error);
    if (body.error_code >= 500) {
      logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    } else {
      logger.debug(
        { method: req.method, path: req.path, status: body.error_code, message: body.message },
        'request refused',
      );
    }
    res.status(body.error_code).json(body);
  };
}
