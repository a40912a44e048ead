// 405 for a path config-api serves with other methods (`DELETE /connectors`), as Kafka Connect's
// Jersey answers, instead of 404; and `OPTIONS` on any such path answers 200 with `Allow` and no
// body, as Jersey's generic OPTIONS handler does (Connect runs it without WADL). The paths and
// methods come from the OpenAPI document, so a new route is covered as soon as it is documented.
import type { RequestHandler } from 'express';
import { ApiError } from '../errors';
import { documentedOperations } from '../openapi';

/** `GET /connectors/{name}` -> ['GET', /^\/connectors\/[^/]+$/]. */
function compile(operation: string): { method: string; pattern: RegExp } {
  const [method = '', template = ''] = operation.split(' ');
  const escaped = template
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return { method, pattern: new RegExp(`^${escaped}/?$`) };
}

const OPERATIONS = documentedOperations().map(compile);

/** The methods config-api serves on this path, OPTIONS included (empty when the path is unknown). Pure. */
export function allowedMethods(path: string): string[] {
  const methods = new Set(OPERATIONS.filter((op) => op.pattern.test(path)).map((op) => op.method));
  if (methods.size === 0) return [];
  if (methods.has('GET')) methods.add('HEAD');
  methods.add('OPTIONS');
  return [...methods].sort();
}

export class MethodNotAllowedError extends ApiError {
  readonly allow: readonly string[];

  constructor(allow: readonly string[]) {
    super('METHOD_NOT_ALLOWED', 405, 'HTTP 405 Method Not Allowed');
    this.name = 'MethodNotAllowedError';
    this.allow = allow;
  }
}

/** Runs before the routes: `OPTIONS` on a known path is 200 with `Allow` and an empty body, else next(). */
export const optionsAllowed: RequestHandler = (req, res, next) => {
  const allow = req.method === 'OPTIONS' ? allowedMethods(req.path) : [];
  if (allow.length === 0) {
    next();
    return;
  }
  res.setHeader('Allow', allow.join(', '));
  res.status(200).end();
};

/** Runs after the routes: a known path with another method is 405 (with `Allow`), else next(). */
export const methodNotAllowed: RequestHandler = (req, res, next) => {
  const allow = allowedMethods(req.path);
  if (allow.length > 0 && !allow.includes(req.method)) {
    res.setHeader('Allow', allow.join(', '));
    next(new MethodNotAllowedError(allow));
    return;
  }
  next();
};
