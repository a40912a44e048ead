// GET / and GET /health (Kafka Connect's RootResource and KIP-1017 health check).
import { Router } from 'express';

export interface ServerInfo {
  version: string;
  commit: string;
  kafka_cluster_id: string;
}

export function rootRoutes(info: ServerInfo, isHealthy: () => boolean): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json(info);
  });
  router.get('/health', (_req, res) => {
    if (isHealthy()) {
      res.json({
        status: 'healthy',
        message: 'Worker has completed startup and is ready to handle requests.',
      });
    } else {
      res
        .status(500)
        .json({ status: 'unhealthy', message: 'The status or offsets reader of config-api has stopped' });
    }
  });
  return router;
}
