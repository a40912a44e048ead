// The one error mapper (Kafka Connect's ConnectExceptionMapper): any thrown value becomes
// {"error_code": <HTTP status>, "message": "..."}. Typed ApiErrors keep their status, body-parser's
// errors (malformed JSON, too large) keep theirs, Kafka being unreachable is a 503 naming it (issue
// 10 point 5), anything else is a 500 and is logged.
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

/**
 * True for errors that mean Kafka could not be reached or did not answer in time: any kafkajs error
 * (connection refused, request timeout, retries exhausted...) and the runtime's catch-up timeout of
 * the status and offsets topic readers, also as the cause of another error.
 */
export function isKafkaUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const e = error as { name?: unknown; code?: unknown; cause?: unknown; originalError?: unknown };
  if (typeof e.name === 'string' && e.name.startsWith('KafkaJS')) return true;
  if (e.code === 'CATCH_UP_TIMEOUT') return true;
  return isKafkaUnavailable(e.cause ?? e.originalError, depth + 1);
}

/** Maps an error to its HTTP status and Kafka Connect error body. Pure. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof ApiError) return { error_code: error.status, message: error.message };
  if (isKafkaUnavailable(error)) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      error_code: 503,
      message:
        `Kafka is not reachable (${detail}); this request needs the status or offsets topic. ` +
        'Try again when the brokers are back.',
    };
  }
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
