// The two Prometheus HTTP API calls we need: instant and range queries. Errors name the query.

export interface InstantSeries {
  metric: Record<string, string>;
  value: [number, string];
}

export interface RangeSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

export class PrometheusQueryError extends Error {
  readonly code = 'PROMETHEUS_QUERY_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusQueryError';
  }
}

interface ApiReply<T> {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: T };
}

async function call<T>(url: string, path: string, params: Record<string, string>): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  const reply = (await response.json()) as ApiReply<T>;
  if (reply.status !== 'success' || reply.data === undefined) {
    throw new PrometheusQueryError(
      `${path} ${params['query']}: HTTP ${response.status} ${reply.error ?? ''}`,
    );
  }
  if (!['vector', 'matrix'].includes(reply.data.resultType)) {
    throw new PrometheusQueryError(`${params['query']}: a ${reply.data.resultType} result, not a vector`);
  }
  return reply.data.result;
}

export class PrometheusClient {
  constructor(readonly url: string) {}

  query(expr: string, timeSeconds?: number): Promise<InstantSeries[]> {
    return call(this.url, '/api/v1/query', {
      query: expr,
      ...(timeSeconds !== undefined ? { time: String(timeSeconds) } : {}),
    });
  }

  queryRange(
    expr: string,
    startSeconds: number,
    endSeconds: number,
    stepSeconds: number,
  ): Promise<RangeSeries[]> {
    return call(this.url, '/api/v1/query_range', {
      query: expr,
      start: String(startSeconds),
      end: String(endSeconds),
      step: String(stepSeconds),
    });
  }

  /** The scrape targets Prometheus knows, with their health. */
  async targets(): Promise<{ labels: Record<string, string>; health: string; scrapeUrl: string }[]> {
    const response = await fetch(`${this.url}/api/v1/targets?state=active`);
    const reply = (await response.json()) as {
      data: { activeTargets: { labels: Record<string, string>; health: string; scrapeUrl: string }[] };
    };
    return reply.data.activeTargets;
  }
}
