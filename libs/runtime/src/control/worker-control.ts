// Run-time control of a running worker through its worker config file (docs/worker-contract.md),
// next to `targetState`: the cluster-scope log levels config-api sets (PUT /admin/loggers/{logger}
// ?scope=cluster) and the time of the connector's last topic-tracking reset. The file is
// re-read every second; only what changed is applied. Parsing and the decision are pure.
import { readFile } from 'node:fs/promises';
import type { Level, Logger } from 'pino';
import { pinoLevelOf, type LoggerRegistry } from '../logger/logger-registry';

/** One cluster-scope log level, in the order they were set (a later `root` overrides earlier ones). */
export interface LogLevelSetting {
  logger: string;
  level: string;
}

export interface WorkerControl {
  logLevels: LogLevelSetting[];
  /** Epoch ms of the connector's last PUT .../topics/reset; undefined when never reset. */
  activeTopicsResetAt: number | undefined;
}

export const NO_CONTROL: WorkerControl = { logLevels: [], activeTopicsResetAt: undefined };

/**
 * The control fields of a worker config file's text; undefined when the text cannot be used
 * (half-written, not JSON). Invalid entries are left out.
 */
export function workerControlOf(text: string): WorkerControl | undefined {
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof file !== 'object' || file === null || Array.isArray(file)) return undefined;
  const { logLevels, activeTopicsResetAt } = file as Record<string, unknown>;
  return {
    logLevels: logLevelSettingsOf(logLevels),
    activeTopicsResetAt: typeof activeTopicsResetAt === 'number' ? activeTopicsResetAt : undefined,
  };
}

/** The valid {logger, level} entries of a JSON value (a list of them); anything else is left out. */
export function logLevelSettingsOf(value: unknown): LogLevelSetting[] {
  const levels: LogLevelSetting[] = [];
  for (const entry of Array.isArray(value) ? (value as unknown[]) : []) {
    const { logger, level } = (entry ?? {}) as Record<string, unknown>;
    if (typeof logger === 'string' && logger !== '' && typeof level === 'string' && pinoLevelOf(level)) {
      levels.push({ logger, level });
    }
  }
  return levels;
}

/** What a re-read means: the levels to apply (all of them, in order, when the list changed) and whether to forget topics. */
export function controlChanges(
  before: WorkerControl,
  after: WorkerControl,
): { logLevels: { logger: string; level: Level | 'silent' }[]; topicsReset: boolean } {
  const changed = JSON.stringify(before.logLevels) !== JSON.stringify(after.logLevels);
  return {
    logLevels: changed
      ? after.logLevels.map((s) => ({ logger: s.logger, level: pinoLevelOf(s.level) ?? 'info' }))
      : [],
    topicsReset: after.activeTopicsResetAt !== before.activeTopicsResetAt,
  };
}

export interface WorkerControlHandlers {
  /** The worker's named loggers: cluster-scope levels are set here. */
  loggers: LoggerRegistry;
  /** Where the worker says (at info) what it applied. */
  logger: Logger;
  /** The connector's topics were reset: forget what was recorded (ActiveTopicsRecorder.forget). */
  resetActiveTopics(): void;
}

/** Polls the worker config file and applies control changes; an unreadable file changes nothing. */
export function watchWorkerControl(
  path: string,
  handlers: WorkerControlHandlers,
  intervalMs = 1000,
): { stop(): void } {
  const { loggers, logger } = handlers;
  let current: WorkerControl = NO_CONTROL;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    readFile(path, 'utf8')
      .then((text) => {
        const next = workerControlOf(text);
        if (next === undefined) return;
        const changes = controlChanges(current, next);
        for (const { logger: namespace, level } of changes.logLevels) {
          loggers.setLevel(namespace, level);
          logger.info({ namespace, level }, 'log level set (cluster scope)');
        }
        if (changes.topicsReset && current !== NO_CONTROL) {
          handlers.resetActiveTopics();
          logger.info('active topics reset; recording them again as they are used');
        }
        current = next;
      })
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
