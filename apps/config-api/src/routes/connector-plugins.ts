// /connector-plugins: Kafka Connect's ConnectorPluginsResource.
import { Router } from 'express';
import type { ConnectorService } from '../services/connector-service';

export function connectorPluginRoutes(service: ConnectorService): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json(service.plugins());
  });
  router.get('/:plugin/config', (req, res) => {
    res.json(service.pluginConfig(String(req.params['plugin'])));
  });
  router.put('/:plugin/config/validate', async (req, res) => {
    res.json(await service.validatePlugin(String(req.params['plugin']), req.body));
  });
  return router;
}
