// /admin/loggers: Kafka Connect's LoggingResource (KIP-495, cluster scope KIP-976). `worker` scope
// changes config-api's own loggers and answers the affected names; `cluster` scope also reaches
// every worker process (now and started later) through the worker config files, and answers 204.
import { Router } from 'express';
import { pinoLevelOf, type LoggerRegistry } from '@kwdb-connect/runtime';
import { BadRequestError, NotFoundError } from '../errors';
import type { WorkerControl } from '../services/ports';

export function loggerRoutes(loggers: LoggerRegistry, workers: WorkerControl): Router {
  const router = Router();

  router.get('/', (_req, res) => {
    res.json(loggers.all());
  });

  router.get('/:logger', (req, res) => {
    const name = String(req.params['logger']);
    const level = loggers.level(name);
    if (level === undefined) throw new NotFoundError(`Logger ${name} not found.`);
    res.json(level);
  });

  router.put('/:logger', async (req, res) => {
    const name = String(req.params['logger']);
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new BadRequestError('Request body must be a JSON object {"level": "<level>"}');
    }
    const given = (body as Record<string, unknown>)['level'];
    if (typeof given !== 'string') {
      throw new BadRequestError("Desired 'level' parameter was not specified in request.");
    }
    // Kafka Connect answers an unknown level with 404 (NotFoundException); so do we.
    const level = pinoLevelOf(given);
    if (level === undefined) throw new NotFoundError(`invalid log level '${given}'.`);
    const scope = typeof req.query['scope'] === 'string' ? req.query['scope'].toLowerCase() : 'worker';
    if (scope === 'cluster') {
      loggers.setLevel(name, level);
      await workers.setClusterLogLevel(name, given.toUpperCase());
      res.status(204).end();
      return;
    }
    // `worker`, and (as Kafka Connect, which logs a warning) any other scope value.
    res.json(loggers.setLevel(name, level));
  });

  return router;
}
