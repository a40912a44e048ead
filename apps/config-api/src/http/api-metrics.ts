// config-api's own Prometheus metrics: requests by route and status, request duration, connectors
// by target state, each connector's target state, and task restarts (local supervisor, or the
// Kubernetes operator while it leads). One
// prefixed registry (kwdb_connect_).
import type { RequestHandler } from 'express';
import client from 'prom-client';
import { METRIC_PREFIX, STATUS_STATES } from '@kwdb-connect/runtime';
import { TARGET_STATES } from '../store/connector-store';

export interface ApiMetrics {
  readonly registry: client.Registry;
  readonly middleware: RequestHandler;
  /** Counts a new process (or Pod) for a task that had one before; `reason` is how the previous one ended. */
  taskRestarted(connector: string, task: number, reason: string, by?: number): void;
  /** A task's process started: its crash-restart counter exists from now on (at 0 at first). */
  taskStarted(connector: string, task: number): void;
  /** A task no longer exists (connector deleted or stopped, fewer tasks): its counters go. */
  taskForgotten(connector: string, task: number): void;
}

/** What the connector gauges read at each scrape. */
export interface ConnectorStates {
  countByState(): Promise<Record<string, number>>;
  targetStates(): Promise<{ connector: string; state: string }[]>;
  taskStates(): Promise<{ connector: string; task: number; state: string }[]>;
}

/** The route template of a request (`/connectors/:name/status`), never the raw path. */
export function routeLabel(baseUrl: string, routePath: unknown): string {
  if (typeof routePath !== 'string') return 'unmatched';
  if (routePath === '/' && baseUrl !== '') return baseUrl;
  return `${baseUrl}${routePath}` || '/';
}

/** Remembers the mount path of a router for the route label (express resets req.baseUrl on errors). */
export function mountedAt(base: string): RequestHandler {
  return (_req, res, next) => {
    res.locals['routeBase'] = base;
    next();
  };
}

/** How a task's previous process ended (decide.ts ExitOutcome). */
const RESTART_REASONS = ['crashed', 'failed', 'drained', 'finished'] as const;

export function createApiMetrics(connectors: ConnectorStates): ApiMetrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const requests = new client.Counter({
    name: `${METRIC_PREFIX}api_requests_total`,
    help: 'REST API requests by method, route template and HTTP status.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new client.Histogram({
    name: `${METRIC_PREFIX}api_request_duration_seconds`,
    help: 'REST API request duration by method and route template.',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new client.Gauge({
    name: `${METRIC_PREFIX}connectors`,
    help: 'Connectors by target state (RUNNING, PAUSED, STOPPED).',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const counts = await connectors.countByState();
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });
  new client.Gauge({
    name: `${METRIC_PREFIX}connector_state`,
    help: "A connector's target state: 1 for the current one (RUNNING, PAUSED, STOPPED), 0 for the others.",
    labelNames: ['connector', 'state'],
    registers: [registry],
    async collect() {
      this.reset(); // deleted connectors disappear
      for (const { connector, state } of await connectors.targetStates()) {
        for (const each of TARGET_STATES) this.set({ connector, state: each }, each === state ? 1 : 0);
      }
    },
  });
  new client.Gauge({
    name: `${METRIC_PREFIX}task_status`,
    help: 'Task state as the status topic (GET .../status) shows it, also for tasks whose process has exited: 1 for the current state, 0 for the others.',
    labelNames: ['connector', 'task', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const { connector, task, state } of await connectors.taskStates()) {
        for (const each of STATUS_STATES)
          this.set({ connector, task: String(task), state: each }, each === state ? 1 : 0);
      }
    },
  });
  const restarts = new client.Counter({
    name: `${METRIC_PREFIX}task_restarts_total`,
    help: 'Task processes started again (local runtime) or worker containers and Pods restarted or replaced (Kubernetes), by how the previous one ended.',
    labelNames: ['connector', 'task', 'reason'],
    registers: [registry],
  });
  const middleware: RequestHandler = (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      const base = typeof res.locals['routeBase'] === 'string' ? res.locals['routeBase'] : '';
      const route = routeLabel(base, req.route?.path);
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      end({ method: req.method, route });
    });
    next();
  };
  return {
    registry,
    middleware,
    taskRestarted: (connector, task, reason, by = 1) =>
      restarts.inc({ connector, task: String(task), reason }, by),
    taskStarted: (connector, task) => restarts.inc({ connector, task: String(task), reason: 'crashed' }, 0),
    taskForgotten: (connector, task) => {
      for (const reason of RESTART_REASONS) restarts.remove({ connector, task: String(task), reason });
    },
  };
}
