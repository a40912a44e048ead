import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as k8s from '@kubernetes/client-node';
import { KubeApiError, KubeHttp, RETRY, retryDecision, type RetryInput } from './kube-http';

describe('retryDecision', () => {
  const plenty = RETRY.totalMs;
  it.each<{ name: string; input: RetryInput; expected: ReturnType<typeof retryDecision> }>([
    {
      name: '429 on a GET, Retry-After 2: wait 2 s',
      input: { method: 'GET', status: 429, retryAfter: '2', msLeft: plenty },
      expected: { retry: true, waitMs: 2000 },
    },
    {
      name: '429 on a POST (not processed): retried too',
      input: { method: 'POST', status: 429, retryAfter: '1', msLeft: plenty },
      expected: { retry: true, waitMs: 1000 },
    },
    {
      name: '429 on a PATCH without Retry-After: the default wait',
      input: { method: 'PATCH', status: 429, retryAfter: undefined, msLeft: plenty },
      expected: { retry: true, waitMs: RETRY.defaultWaitMs },
    },
    {
      name: 'Retry-After that is not whole seconds: the default wait',
      input: { method: 'GET', status: 429, retryAfter: 'Wed, 21 Oct 2015 07:28:00 GMT', msLeft: plenty },
      expected: { retry: true, waitMs: RETRY.defaultWaitMs },
    },
    {
      name: 'Retry-After 0: the minimum wait, no busy loop',
      input: { method: 'GET', status: 429, retryAfter: '0', msLeft: plenty },
      expected: { retry: true, waitMs: RETRY.minWaitMs },
    },
    {
      name: 'Retry-After 120: capped',
      input: { method: 'GET', status: 429, retryAfter: '120', msLeft: plenty },
      expected: { retry: true, waitMs: RETRY.maxWaitMs },
    },
    {
      name: '503 on a GET: retried',
      input: { method: 'GET', status: 503, retryAfter: '1', msLeft: plenty },
      expected: { retry: true, waitMs: 1000 },
    },
    {
      name: '503 on a PUT (idempotent; ours carry a resourceVersion): retried',
      input: { method: 'put', status: 503, retryAfter: undefined, msLeft: plenty },
      expected: { retry: true, waitMs: RETRY.defaultWaitMs },
    },
    {
      name: '503 on a DELETE: retried',
      input: { method: 'DELETE', status: 503, retryAfter: '1', msLeft: plenty },
      expected: { retry: true, waitMs: 1000 },
    },
    {
      name: '503 on a POST (may have been processed): not retried',
      input: { method: 'POST', status: 503, retryAfter: '1', msLeft: plenty },
      expected: { retry: false, reason: 'not-retryable' },
    },
    {
      name: '503 on a PATCH: not retried',
      input: { method: 'PATCH', status: 503, retryAfter: '1', msLeft: plenty },
      expected: { retry: false, reason: 'not-retryable' },
    },
    {
      name: '500: not retried',
      input: { method: 'GET', status: 500, retryAfter: '1', msLeft: plenty },
      expected: { retry: false, reason: 'not-retryable' },
    },
    {
      name: '409 conflict: not retried (the caller reads again)',
      input: { method: 'PUT', status: 409, retryAfter: undefined, msLeft: plenty },
      expected: { retry: false, reason: 'not-retryable' },
    },
    {
      name: '404: not retried',
      input: { method: 'GET', status: 404, retryAfter: undefined, msLeft: plenty },
      expected: { retry: false, reason: 'not-retryable' },
    },
    {
      name: 'the wait would use up the time left (a Lease deadline): not retried',
      input: { method: 'PUT', status: 429, retryAfter: '1', msLeft: 1000 },
      expected: { retry: false, reason: 'out-of-time' },
    },
    {
      name: 'a wait shorter than the time left: retried',
      input: { method: 'PUT', status: 429, retryAfter: '1', msLeft: 1001 },
      expected: { retry: true, waitMs: 1000 },
    },
    {
      name: 'no time left at all',
      input: { method: 'GET', status: 429, retryAfter: '0', msLeft: -5 },
      expected: { retry: false, reason: 'out-of-time' },
    },
  ])('$name', ({ input, expected }) => {
    expect(retryDecision(input)).toEqual(expected);
  });
});

describe('KubeHttp against a small local HTTP server', () => {
  /** What the server answers next, per path; the last entry repeats. */
  const script = new Map<string, { status: number; retryAfter?: string; body: unknown }[]>();
  const seen: string[] = [];
  let server: Server;
  let http: KubeHttp;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      seen.push(`${req.method} ${path}`);
      const answers = script.get(path) ?? [{ status: 404, body: { reason: 'NotFound', message: 'none' } }];
      const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
      res.writeHead(answer.status, {
        'Content-Type': 'application/json',
        ...(answer.retryAfter === undefined ? {} : { 'Retry-After': answer.retryAfter }),
      });
      res.end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const kc = new k8s.KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: 'local',
          server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          skipTLSVerify: true,
        },
      ],
      users: [{ name: 'nobody' }],
      contexts: [{ name: 'local', cluster: 'local', user: 'nobody' }],
      currentContext: 'local',
    });
    http = new KubeHttp(kc);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const tooMany = {
    status: 429,
    retryAfter: '0',
    body: { reason: 'TooManyRequests', message: 'storage is (re)initializing' },
  };
  const unavailable = {
    status: 503,
    retryAfter: '0',
    body: { reason: 'ServiceUnavailable', message: 'busy' },
  };

  it('a list answered 429 then 200 succeeds (what config-api does at start-up)', async () => {
    seen.length = 0;
    script.set('/apis/x/v1/things', [tooMany, tooMany, { status: 200, body: { items: [1, 2] } }]);
    await expect(http.get('/apis/x/v1/things')).resolves.toEqual({ items: [1, 2] });
    expect(seen).toEqual(Array(3).fill('GET /apis/x/v1/things'));
  });

  it('a POST answered 429 is sent again; answered 503, it is not', async () => {
    seen.length = 0;
    script.set('/post-429', [tooMany, { status: 201, body: { made: true } }]);
    await expect(http.request('POST', '/post-429', { body: { a: 1 } })).resolves.toEqual({ made: true });
    script.set('/post-503', [unavailable, { status: 201, body: { made: true } }]);
    const error = await http.request('POST', '/post-503', { body: { a: 1 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).status).toBe(503);
    expect(seen).toEqual(['POST /post-429', 'POST /post-429', 'POST /post-503']);
  });

  it('a GET answered 503 then 200 succeeds', async () => {
    seen.length = 0;
    script.set('/get-503', [unavailable, { status: 200, body: { ok: 1 } }]);
    await expect(http.find('/get-503')).resolves.toEqual({ ok: 1 });
    expect(seen).toHaveLength(2);
  });

  it('no retry waits past the deadline: a Lease PUT answered 429 Retry-After 1 with 500 ms left fails after one attempt', async () => {
    seen.length = 0;
    script.set('/lease', [{ ...tooMany, retryAfter: '1' }]);
    const error = await http
      .request('PUT', '/lease', { body: {}, deadlineAt: Date.now() + 500 })
      .catch((e: unknown) => e);
    expect((error as KubeApiError).status).toBe(429);
    expect(seen).toEqual(['PUT /lease']);
  });

  it('a deadline already passed sends nothing', async () => {
    seen.length = 0;
    await expect(http.find('/lease', { deadlineAt: Date.now() - 1 })).rejects.toThrow(/deadline passed/);
    expect(seen).toEqual([]);
  });
});
