// The one place that talks to the Kubernetes API: plain JSON over HTTPS with the credentials of a
// kubeconfig (or the Pod's ServiceAccount), and watches through client-node's Watch. Objects stay
// plain JSON (no client-side model conversion), so what is written is exactly what the builders made.
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
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
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
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const response = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = send(opts, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      });
      const timeoutMs = options.timeoutMs ?? 30_000;
      req.setTimeout(timeoutMs, () =>
        req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)),
      );
      req.on('error', reject);
      req.end(body);
    });
    let parsed: unknown;
    try {
      parsed = response.text === '' ? undefined : JSON.parse(response.text);
    } catch {
      parsed = undefined;
    }
    if (response.status >= 400) {
      const status = parsed as { reason?: string; message?: string } | undefined;
      throw new KubeApiError(
        method,
        path,
        response.status,
        status?.reason ?? 'Error',
        status?.message ?? response.text.slice(0, 500),
      );
    }
    return parsed as T;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  /** GET that answers undefined for 404. */
  async find<T>(path: string, timeoutMs?: number): Promise<T | undefined> {
    try {
      return await this.request<T>('GET', path, timeoutMs === undefined ? {} : { timeoutMs });
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
