// /connector-plugins: Kafka Connect's ConnectorPluginsResource.
import { Router } from 'express';
import type { ConnectorService } from '../services/connector-service';
import { queryFlag } from './connectors';

export function connectorPluginRoutes(service: ConnectorService): Router {
  const router = Router();
  router.get('/', (req, res) => {
    // connectorsOnly defaults to true (Jersey's @DefaultValue); only "false" lists the other plugins.
    const raw = req.query['connectorsOnly'];
    res.json(service.plugins(raw === undefined ? true : queryFlag(raw)));
  });
  router.get('/:plugin/config', (req, res) => {
    res.json(service.pluginConfig(String(req.params['plugin'])));
  });
  router.put('/:plugin/config/validate', async (req, res) => {
    res.json(await service.validatePlugin(String(req.params['plugin']), req.body));
  });
  return router;
}
