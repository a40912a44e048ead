// Named loggers whose levels change at run time, as Kafka Connect's Loggers (KIP-495) do for log4j:
// `root` is the process logger; every other logger is a pino child of it named with dots
// (`config-api.supervisor`). Setting a level on a namespace sets it on every logger whose name
// starts with the namespace (all loggers for `root`), creating the namespace's logger if needed.
// Child loggers made from a named logger (`log.child({topic})`) take its level when they are made.
import type { Level, Logger } from 'pino';

export const ROOT_LOGGER = 'root';

/** Kafka Connect (log4j) level names and the pino level each one means. */
const CONNECT_TO_PINO: Readonly<Record<string, Level | 'silent'>> = {
  OFF: 'silent',
  FATAL: 'fatal',
  ERROR: 'error',
  WARN: 'warn',
  INFO: 'info',
  DEBUG: 'debug',
  TRACE: 'trace',
  ALL: 'trace',
};

/** The levels `PUT /admin/loggers/{logger}` accepts (any case). */
export const CONNECT_LOG_LEVELS: readonly string[] = Object.keys(CONNECT_TO_PINO);

/** The pino level of a Kafka Connect level name (any case); undefined when it is not one. */
export function pinoLevelOf(connectLevel: string): Level | 'silent' | undefined {
  return CONNECT_TO_PINO[connectLevel.toUpperCase()];
}

/** A pino level as Kafka Connect shows it: `silent` is OFF, the others in upper case. */
export function connectLevelOf(pinoLevel: string): string {
  return pinoLevel === 'silent' ? 'OFF' : pinoLevel.toUpperCase();
}

/** Kafka Connect's LoggerLevel: the level and when it was last set through the API (epoch ms). */
export interface LoggerLevel {
  level: string;
  last_modified: number | null;
}

function isRoot(name: string): boolean {
  return name.toLowerCase() === ROOT_LOGGER;
}

export class LoggerRegistry {
  private readonly root: Logger;
  private readonly now: () => number;
  private readonly loggers = new Map<string, Logger>();
  private readonly modifiedAt = new Map<string, number>();

  constructor(root: Logger, now: () => number = Date.now) {
    this.root = root;
    this.now = now;
    this.loggers.set(ROOT_LOGGER, root);
  }

  /**
   * The named logger, made on first use as a child of the root logger (lines carry `logger`),
   * with the level of its nearest named ancestor (`a.b` for `a.b.c`, else root).
   */
  logger(name: string): Logger {
    if (isRoot(name)) return this.root;
    const existing = this.loggers.get(name);
    if (existing !== undefined) return existing;
    const created = this.root.child({ logger: name });
    created.level = this.ancestorOf(name).level;
    this.loggers.set(name, created);
    return created;
  }

  /** The logger's level, or undefined when no logger of that name exists. */
  level(name: string): LoggerLevel | undefined {
    const key = isRoot(name) ? ROOT_LOGGER : name;
    const logger = this.loggers.get(key);
    if (logger === undefined) return undefined;
    return { level: connectLevelOf(logger.level), last_modified: this.modifiedAt.get(key) ?? null };
  }

  /** Every logger and its level, by name. */
  all(): Record<string, LoggerLevel> {
    const out: Record<string, LoggerLevel> = {};
    for (const name of [...this.loggers.keys()].sort()) {
      const level = this.level(name);
      if (level !== undefined) out[name] = level;
    }
    return out;
  }

  /**
   * Sets `level` (a pino level) on the namespace and every logger under it (every logger for
   * `root`). Returns the names of the loggers in the namespace, sorted; `last_modified` changes
   * only on those whose level really changed.
   */
  setLevel(namespace: string, level: Level | 'silent'): string[] {
    if (!isRoot(namespace)) this.logger(namespace);
    const affected = [...this.loggers.keys()].filter(
      (name) => isRoot(namespace) || name.startsWith(namespace),
    );
    const at = this.now();
    for (const name of affected) {
      const logger = this.loggers.get(name);
      if (logger === undefined || logger.level === level) continue;
      logger.level = level;
      this.modifiedAt.set(name, at);
    }
    return affected.sort();
  }

  private ancestorOf(name: string): Logger {
    for (let end = name.lastIndexOf('.'); end > 0; end = name.lastIndexOf('.', end - 1)) {
      const ancestor = this.loggers.get(name.slice(0, end));
      if (ancestor !== undefined) return ancestor;
    }
    return this.root;
  }
}
