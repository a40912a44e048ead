// /connectors: Kafka Connect's ConnectorsResource (codes and bodies as kafka-connect-and-peers.md 2.1).
import { Router, type Request } from 'express';
import type { ConnectorService } from '../services/connector-service';

/** Jersey's boolean query parsing: "true" (any case) is true, anything else false. */
export function queryFlag(value: unknown): boolean {
  return typeof value === 'string' && value.toLowerCase() === 'true';
}

function expandOf(req: Request): Set<string> {
  const raw = req.query['expand'];
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return new Set(values.filter((v): v is string => typeof v === 'string'));
}

function param(req: Request, key: string): string {
  return String(req.params[key]);
}

export function location(name: string): string {
  return `/connectors/${encodeURIComponent(name)}`;
}

export function connectorRoutes(service: ConnectorService): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    // As Kafka Connect: any `expand` parameter (even empty or unknown) answers the object form;
    // unknown values are ignored (`{name: {}}`).
    if (req.query['expand'] !== undefined) res.json(await service.expanded(expandOf(req)));
    else res.json(await service.names());
  });

  router.post('/', async (req, res) => {
    const info = await service.create(req.body);
    res.status(201).location(location(info.name)).json(info);
  });

  router.get('/:name', async (req, res) => {
    res.json(await service.getInfo(param(req, 'name')));
  });

  router.delete('/:name', async (req, res) => {
    await service.delete(param(req, 'name'));
    res.status(204).end();
  });

  router.get('/:name/config', async (req, res) => {
    res.json(await service.getConfig(param(req, 'name')));
  });

  router.put('/:name/config', async (req, res) => {
    const { info, created } = await service.putConfig(param(req, 'name'), req.body);
    if (created) res.status(201).location(location(info.name));
    res.json(info);
  });

  router.patch('/:name/config', async (req, res) => {
    res.json(await service.patchConfig(param(req, 'name'), req.body));
  });

  router.get('/:name/status', async (req, res) => {
    res.json(await service.getStatus(param(req, 'name')));
  });

  router.get('/:name/tasks', async (req, res) => {
    res.json(await service.getTasks(param(req, 'name')));
  });

  router.get('/:name/tasks/:id/status', async (req, res) => {
    res.json(await service.getTaskStatus(param(req, 'name'), param(req, 'id')));
  });

  router.post('/:name/restart', async (req, res) => {
    const outcome = await service.restart(
      param(req, 'name'),
      queryFlag(req.query['includeTasks']),
      queryFlag(req.query['onlyFailed']),
    );
    if (outcome.accepted) res.status(202).json(outcome.status);
    else res.status(204).end();
  });

  router.post('/:name/tasks/:id/restart', async (req, res) => {
    await service.restartTask(param(req, 'name'), param(req, 'id'));
    res.status(204).end();
  });

  router.get('/:name/topics', async (req, res) => {
    res.json(await service.activeTopics(param(req, 'name')));
  });

  router.put('/:name/topics/reset', async (req, res) => {
    await service.resetActiveTopics(param(req, 'name'));
    res.status(202).end();
  });

  router.put('/:name/pause', async (req, res) => {
    await service.pause(param(req, 'name'));
    res.status(202).end();
  });

  router.put('/:name/resume', async (req, res) => {
    await service.resume(param(req, 'name'));
    res.status(202).end();
  });

  router.put('/:name/stop', async (req, res) => {
    await service.stop(param(req, 'name'));
    res.status(204).end();
  });

  return router;
}
