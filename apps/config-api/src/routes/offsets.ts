// /connectors/{name}/offsets (KIP-875): list, alter (PATCH) and reset (DELETE); the last two only
// while the connector is STOPPED.
import { Router } from 'express';
import type { ConnectorService } from '../services/connector-service';

export function offsetRoutes(service: ConnectorService): Router {
  const router = Router();
  router.get('/:name/offsets', async (req, res) => {
    res.json(await service.getOffsets(String(req.params['name'])));
  });
  router.patch('/:name/offsets', async (req, res) => {
    res.json(await service.alterOffsets(String(req.params['name']), req.body));
  });
  router.delete('/:name/offsets', async (req, res) => {
    res.json(await service.resetOffsets(String(req.params['name'])));
  });
  return router;
}
