// The express app: body limit, JSON parsing, metrics, the routes, /openapi.json, and the one error
// mapper. No listening here (see server.ts), so tests and main build it the same way.
import express, { type Express } from 'express';
import type { Logger, LoggerRegistry } from '@kwdb-connect/runtime';
import { NotFoundError } from '../errors';
import { openApiDocument } from '../openapi';
import { connectorPluginRoutes } from '../routes/connector-plugins';
import { connectorRoutes } from '../routes/connectors';
import { loggerRoutes } from '../routes/loggers';
import { offsetRoutes } from '../routes/offsets';
import { rootRoutes, type HealthCheck, type ServerInfo } from '../routes/root';
import { CONNECTOR_VERSION, type ConnectorService } from '../services/connector-service';
import type { WorkerControl } from '../services/ports';
import { mountedAt, type ApiMetrics } from './api-metrics';
import { errorHandler } from './error-handler';
import { methodNotAllowed, optionsAllowed } from './method-not-allowed';
import type { TargetGroup } from './prometheus-targets';

/** Kafka Connect accepts large configs, but 1 MB is far above any real connector config. */
export const DEFAULT_BODY_LIMIT = '1mb';

export interface AppDeps {
  service: ConnectorService;
  metrics: ApiMetrics;
  logger: Logger;
  info: ServerInfo;
  /** Prometheus HTTP SD target groups (GET /prometheus/targets): config-api and its workers. */
  metricsTargets: () => TargetGroup[] | Promise<TargetGroup[]>;
  /** config-api's named loggers (/admin/loggers). */
  loggers: LoggerRegistry;
  /** Where cluster-scope log levels go (the worker processes). */
  workers: WorkerControl;
  /** /health: Kafka Connect's health check (ConnectorService.healthCheck in the server). */
  healthCheck: HealthCheck;
  bodyLimit?: string;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('json spaces', 0);
  app.use(deps.metrics.middleware);
  app.use(optionsAllowed);
  // Every body is read as JSON whatever its Content-Type: `curl -d @file` without
  // `-H "Content-Type: application/json"` sends form encoding, and still means JSON.
  app.use(express.json({ limit: deps.bodyLimit ?? DEFAULT_BODY_LIMIT, type: () => true, strict: false }));
  app.use(rootRoutes(deps.info, deps.healthCheck));
  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  app.get('/prometheus/targets', async (_req, res, next) => {
    try {
      res.json(await deps.metricsTargets());
    } catch (error) {
      next(error); // the apiserver did not answer: Prometheus keeps the targets it had
    }
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument(CONNECTOR_VERSION));
  });
  app.use('/connectors', mountedAt('/connectors'), connectorRoutes(deps.service), offsetRoutes(deps.service));
  app.use('/connector-plugins', mountedAt('/connector-plugins'), connectorPluginRoutes(deps.service));
  app.use('/admin/loggers', mountedAt('/admin/loggers'), loggerRoutes(deps.loggers, deps.workers));
  app.use(methodNotAllowed);
  app.use((req, _res, next) => {
    next(new NotFoundError(`HTTP 404 Not Found: ${req.method} ${req.path}`));
  });
  app.use(errorHandler(deps.logger));
  return app;
}
