// The worker's operations endpoint: GET /metrics (Prometheus text), /healthz (liveness),
// /readyz (readiness). Small enough to run next to any process.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Registry } from 'prom-client';
import { HttpListenError } from '../errors';

export interface HttpServerOptions {
  /** Address to bind, e.g. "0.0.0.0" in a pod, "127.0.0.1" in tests. */
  host: string;
  /** Port to bind; 0 picks a free one (see the returned url/port). */
  port: number;
  registry: Registry;
  /** Ready to take work (consumer joined, database reachable...). Throwing counts as not ready. */
  isReady: () => boolean | Promise<boolean>;
  /** Alive and not failed; default always true. */
  isHealthy?: () => boolean;
}

export interface RunningHttpServer {
  /** e.g. "http://127.0.0.1:41234" */
  url: string;
  /** The bound port (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

export function createHttpApp(options: Omit<HttpServerOptions, 'host' | 'port'>): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', async (_req, res) => {
    const body = await options.registry.metrics();
    res.status(200).type(options.registry.contentType).send(body);
  });
  app.get('/healthz', (_req, res) => {
    const healthy = options.isHealthy ? options.isHealthy() : true;
    res.status(healthy ? 200 : 503).json({ status: healthy ? 'ok' : 'failed' });
  });
  app.get('/readyz', async (_req, res) => {
    let ready = false;
    try {
      ready = await options.isReady();
    } catch {
      ready = false;
    }
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready' });
  });
  return app;
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const server = createServer(createHttpApp(options));
  await listen(server, options.host, options.port);
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () => closeServer(server),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void =>
      reject(new HttpListenError(`cannot listen on ${host}:${port}: ${error.message}`, error));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
