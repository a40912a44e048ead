// GET / and GET /health (Kafka Connect's RootResource and its KIP-1017 health check).
import { Router } from 'express';

export interface ServerInfo {
  version: string;
  commit: string;
  kafka_cluster_id: string;
}

export type HealthCheck = () => Promise<{ healthy: true } | { healthy: false; details: string }>;

/** Kafka Connect's WorkerStatus bodies of /health. */
export const HEALTHY = {
  status: 'healthy',
  message: 'Worker has completed startup and is ready to handle requests.',
} as const;

export function starting(details?: string): { status: 'starting'; message: string } {
  return { status: 'starting', message: ['Worker is still starting up.', details].filter(Boolean).join(' ') };
}

export function unhealthy(details?: string): { status: 'unhealthy'; message: string } {
  return {
    status: 'unhealthy',
    message: ['Worker was unable to handle this request and may be unable to handle other requests.', details]
      .filter(Boolean)
      .join(' '),
  };
}

export function rootRoutes(info: ServerInfo, healthCheck: HealthCheck): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json(info);
  });
  // 200 healthy; 500 unhealthy once started (503 starting is answered by server.ts before the app exists).
  router.get('/health', async (_req, res) => {
    const result = await healthCheck();
    if (result.healthy) res.json(HEALTHY);
    else res.status(500).json(unhealthy(result.details));
  });
  return router;
}
