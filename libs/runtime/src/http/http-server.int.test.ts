// The operations endpoint on a real socket (127.0.0.1, port 0).
import { afterEach, describe, expect, it } from '@jest/globals';
import client from 'prom-client';
import { createMetrics } from '../metrics/metrics';
import { startHttpServer, type RunningHttpServer } from './http-server';

describe('startHttpServer', () => {
  let server: RunningHttpServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(
    isReady: () => boolean | Promise<boolean>,
    isHealthy?: () => boolean,
  ): Promise<RunningHttpServer> {
    const registry = new client.Registry();
    const metrics = createMetrics(registry);
    metrics.rowsWritten.inc({ connector: 'c', task: '0', table: 'cpu' }, 3);
    server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      registry,
      isReady,
      ...(isHealthy ? { isHealthy } : {}),
    });
    return server;
  }

  it('binds a free port and reports it', async () => {
    const s = await start(() => true);
    expect(s.port).toBeGreaterThan(0);
    expect(s.url).toBe(`http://127.0.0.1:${s.port}`);
  });

  it('serves Prometheus text on /metrics', async () => {
    const s = await start(() => true);
    const res = await fetch(`${s.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await res.text();
    expect(body).toContain('kwdb_connect_rows_written_total{connector="c",task="0",table="cpu"} 3');
    expect(body).toContain('process_resident_memory_bytes');
  });

  it.each([
    { name: 'ready (sync)', isReady: () => true, status: 200 },
    { name: 'not ready (sync)', isReady: () => false, status: 503 },
    { name: 'ready (async)', isReady: async () => true, status: 200 },
    { name: 'not ready (async)', isReady: async () => false, status: 503 },
    {
      name: 'readiness check throws',
      isReady: async (): Promise<boolean> => {
        throw new Error('db down');
      },
      status: 503,
    },
  ])('/readyz: $name -> $status', async ({ isReady, status }) => {
    const s = await start(isReady);
    expect((await fetch(`${s.url}/readyz`)).status).toBe(status);
  });

  it.each([
    { name: 'default: alive', isHealthy: undefined, status: 200 },
    { name: 'healthy', isHealthy: () => true, status: 200 },
    { name: 'failed', isHealthy: () => false, status: 503 },
  ])('/healthz: $name -> $status', async ({ isHealthy, status }) => {
    const s = await start(() => false, isHealthy);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(status);
  });

  it('answers 404 elsewhere, and close() frees the port even with a kept-alive connection', async () => {
    const s = await start(() => true);
    expect((await fetch(`${s.url}/nope`)).status).toBe(404);
    await s.close();
    server = undefined;
    await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();
  });

  it('fails with HTTP_LISTEN_FAILED when the port is taken', async () => {
    const s = await start(() => true);
    await expect(
      startHttpServer({
        host: '127.0.0.1',
        port: s.port,
        registry: new client.Registry(),
        isReady: () => true,
      }),
    ).rejects.toMatchObject({ code: 'HTTP_LISTEN_FAILED' });
  });
});
