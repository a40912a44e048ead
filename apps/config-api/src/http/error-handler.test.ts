import { describe, expect, it } from '@jest/globals';
import { AlreadyExistsError, BadRequestError, InvalidConfigError, NotFoundError } from '../errors';
import { CatchUpTimeoutError } from '@kwdb-connect/runtime';
import { toErrorBody } from './error-handler';

describe('toErrorBody: every error becomes Kafka Connect\'s {"error_code","message"}', () => {
  it.each([
    {
      name: 'unknown connector: 404',
      error: new NotFoundError('Connector x not found'),
      status: 404,
      message: 'Connector x not found',
    },
    {
      name: 'duplicate: 409',
      error: new AlreadyExistsError('Connector x already exists'),
      status: 409,
      message: 'Connector x already exists',
    },
    { name: 'bad request: 400', error: new BadRequestError('nope'), status: 400, message: 'nope' },
    {
      name: 'invalid config: 400 listing every problem',
      error: new InvalidConfigError(['a: bad', 'b: bad'], 'KwdbSinkConnector'),
      status: 400,
      message: /contains the following 2 error\(s\):\na: bad\nb: bad\n/,
    },
    {
      name: 'the status reader cannot catch up (Kafka down): 503 naming Kafka',
      error: new CatchUpTimeoutError('could not list the end offsets of kwdb-connect-status'),
      status: 503,
      message: /^Kafka is not reachable \(could not list the end offsets of kwdb-connect-status\)/,
    },
    {
      name: 'a kafkajs error, also as a cause: 503',
      error: new Error('publish failed', {
        cause: Object.assign(new Error('Connection error: connect ECONNREFUSED'), {
          name: 'KafkaJSNumberOfRetriesExceeded',
        }),
      }),
      status: 503,
      message: /^Kafka is not reachable/,
    },
    {
      name: 'malformed JSON from body-parser: 400',
      error: Object.assign(new Error('Unexpected token'), { status: 400, type: 'entity.parse.failed' }),
      status: 400,
      message: /^Request body is not valid JSON/,
    },
    {
      name: 'body too large from body-parser: 413',
      error: Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large' }),
      status: 413,
      message: /larger than the limit/,
    },
    {
      name: 'anything else: 500 without internals',
      error: new Error('db password is hunter2'),
      status: 500,
      message: /^Internal server error/,
    },
    { name: 'a thrown string: 500', error: 'boom', status: 500, message: /^Internal server error/ },
  ])('$name', ({ error, status, message }) => {
    const body = toErrorBody(error);
    expect(body.error_code).toBe(status);
    if (typeof message === 'string') expect(body.message).toBe(message);
    else expect(body.message).toMatch(message);
    expect(Object.keys(body).sort()).toEqual(['error_code', 'message']);
  });
});
