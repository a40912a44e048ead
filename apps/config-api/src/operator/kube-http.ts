// The one place that talks to the Kubernetes API: plain JSON over HTTPS with the credentials of a
// kubeconfig (or the Pod's ServiceAccount), and watches through client-node's Watch. Objects stay
// plain JSON (no client-side model conversion), so what is written is exactly what the builders made.
// Answers that say "not now" are retried (retryDecision, ADR 0026): 429 for any method, 503 for
// idempotent ones, after Retry-After, within a total budget or the caller's deadline.
import { request as httpsRequest, type RequestOptions as HttpsRequestOptions } from 'node:https';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import * as k8s from '@kubernetes/client-node';

export type PatchType = 'merge' | 'json' | 'apply';
const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** An error answer of the API server, with its HTTP status and Status reason. */
export class KubeApiError extends Error {
  readonly code = 'KUBE_API_ERROR';
  readonly status: number;
  readonly reason: string;
  constructor(method: string, path: string, status: number, reason: string, message: string) {
    super(`${method} ${path}: ${status} ${reason}: ${message}`);
    this.name = 'KubeApiError';
    this.status = status;
    this.reason = reason;
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof KubeApiError && error.status === 404;
}
export function isConflict(error: unknown): boolean {
  return error instanceof KubeApiError && error.status === 409;
}

export interface RequestOptions {
  body?: unknown;
  patch?: PatchType;
  query?: Record<string, string | number | boolean | undefined>;
  /** Give up on one attempt after this long (default 30 s). */
  timeoutMs?: number;
  /**
   * The time (Date.now() clock) by which the whole request, retries and waits included, is over:
   * no attempt runs past it and no retry waits past it (a leader's Lease renewal, ADR 0026).
   */
  deadlineAt?: number;
}

/** Bounds of retrying "not now" answers (ADR 0026). */
export const RETRY = {
  /** A wait when the answer has no usable Retry-After. */
  defaultWaitMs: 1000,
  /** Retry-After: 0 still waits this long (no busy loop). */
  minWaitMs: 100,
  /** No single wait is longer, whatever Retry-After says. */
  maxWaitMs: 10_000,
  /** Retries and their waits end this long after the first attempt started. */
  totalMs: 30_000,
} as const;

/** Methods that may be sent twice with the effect of once (RFC 9110, 9.2.2). */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export interface RetryInput {
  method: string;
  status: number;
  /** The answer's Retry-After header (seconds), if any. */
  retryAfter: string | undefined;
  /** Time left for waiting and the next attempt (total budget or the caller's deadline). */
  msLeft: number;
}

export type RetryDecision =
  { retry: true; waitMs: number } | { retry: false; reason: 'not-retryable' | 'out-of-time' };

/**
 * Whether to send a request again after this answer, and after how long. 429: the apiserver did
 * not process it (priority and fairness, max-in-flight, a CRD's storage still initialising), so
 * any method; 503: it may have been processed, so only idempotent methods. The wait is Retry-After
 * (seconds) or 1 s, between 100 ms and 10 s; no retry when the wait would use up the time left.
 */
export function retryDecision(input: RetryInput): RetryDecision {
  const retryable =
    input.status === 429 || (input.status === 503 && IDEMPOTENT_METHODS.has(input.method.toUpperCase()));
  if (!retryable) return { retry: false, reason: 'not-retryable' };
  const seconds = /^\s*\d+\s*$/.test(input.retryAfter ?? '') ? Number(input.retryAfter) : undefined;
  const asked = seconds === undefined ? RETRY.defaultWaitMs : seconds * 1000;
  const waitMs = Math.min(RETRY.maxWaitMs, Math.max(RETRY.minWaitMs, asked));
  if (waitMs >= input.msLeft) return { retry: false, reason: 'out-of-time' };
  return { retry: true, waitMs };
}

interface Answer {
  status: number;
  text: string;
  retryAfter: string | undefined;
}

export class KubeHttp {
  readonly kc: k8s.KubeConfig;
  private readonly server: URL;

  constructor(kc: k8s.KubeConfig) {
    this.kc = kc;
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    this.server = new URL(cluster.server);
  }

  /** A kubeconfig file, or (path undefined) the in-cluster ServiceAccount. */
  static load(kubeconfigPath: string | undefined): KubeHttp {
    const kc = new k8s.KubeConfig();
    if (kubeconfigPath) kc.loadFromFile(kubeconfigPath);
    else kc.loadFromCluster();
    return new KubeHttp(kc);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const startedAt = Date.now();
    const endAt = Math.min(startedAt + RETRY.totalMs, options.deadlineAt ?? Infinity);
    for (;;) {
      const response = await this.send(method, path, options);
      if (response.status < 400) return parseJson(response.text) as T;
      const decision = retryDecision({
        method,
        status: response.status,
        retryAfter: response.retryAfter,
        msLeft: endAt - Date.now(),
      });
      if (!decision.retry) throw apiError(method, path, response);
      await new Promise((resolve) => setTimeout(resolve, decision.waitMs));
    }
  }

  /** One attempt. */
  private async send(method: string, path: string, options: RequestOptions): Promise<Answer> {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) query.set(k, String(v));
    const url = new URL(this.server.toString().replace(/\/$/, '') + path + (query.size ? `?${query}` : ''));
    const body = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body) {
      headers['Content-Type'] = options.patch ? PATCH_CONTENT_TYPE[options.patch] : 'application/json';
      headers['Content-Length'] = String(body.length);
    }
    const opts: HttpsRequestOptions = {
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      headers,
    };
    await this.kc.applyToHTTPSOptions(opts);
    const timeoutMs = Math.min(options.timeoutMs ?? 30_000, (options.deadlineAt ?? Infinity) - Date.now());
    // setTimeout(0) on a socket means "never": a deadline already passed fails here instead.
    if (timeoutMs <= 0) throw new Error(`${method} ${path}: deadline passed before the request`);
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise<Answer>((resolve, reject) => {
      const req = send(opts, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            retryAfter: res.headers['retry-after'],
          }),
        );
        res.on('error', reject);
      });
      req.setTimeout(timeoutMs, () =>
        req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)),
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  /** GET that answers undefined for 404. */
  async find<T>(path: string, options: Pick<RequestOptions, 'deadlineAt'> = {}): Promise<T | undefined> {
    try {
      return await this.request<T>('GET', path, options);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * Watches `path` from `resourceVersion`; `onEvent` gets ADDED/MODIFIED/DELETED/BOOKMARK/ERROR,
   * `onDone` when the watch ends (error or server close). Returns the AbortController.
   */
  watch(
    path: string,
    query: Record<string, string>,
    resourceVersion: string | undefined,
    onEvent: (type: string, object: Record<string, unknown>) => void,
    onDone: (error: unknown) => void,
  ): Promise<AbortController> {
    return new k8s.Watch(this.kc).watch(
      path,
      { ...query, allowWatchBookmarks: true, ...(resourceVersion ? { resourceVersion } : {}) },
      (type: string, object: Record<string, unknown>) => onEvent(type, object),
      onDone,
    );
  }
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function apiError(method: string, path: string, response: Answer): KubeApiError {
  const status = parseJson(response.text) as { reason?: string; message?: string } | undefined;
  return new KubeApiError(
    method,
    path,
    response.status,
    status?.reason ?? 'Error',
    status?.message ?? response.text.slice(0, 500),
  );
}
