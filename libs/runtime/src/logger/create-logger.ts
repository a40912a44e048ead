// Structured JSON logging with pino: one line per event, child loggers for context
// (connector, task, topic, partition, offset), and two layers that keep secrets out:
// pino's `redact` for structured fields and scrubSecrets() over every serialized line.
import { hostname } from 'node:os';
import { pino, type DestinationStream, type Level, type Logger, type LoggerOptions } from 'pino';
import { scrubSecrets, REDACTED } from './scrub-secrets';

export type { Logger } from 'pino';

/** Context fields that every log line of a worker carries where they apply. */
export interface LogFields {
  connector?: string;
  task?: number | string;
  topic?: string;
  partition?: number;
  offset?: string | number;
  table?: string;
  [field: string]: unknown;
}

export interface CreateLoggerOptions {
  /** Minimum level; default 'info'. */
  level?: Level | 'silent';
  /** Fields on every line (merged with pid and hostname). */
  base?: LogFields;
  /** Where lines go; default stdout. Tests pass a stream to capture output. */
  destination?: DestinationStream;
  /** Literal secret values (e.g. the loaded connection.password) masked wherever they appear. */
  secretValues?: readonly string[];
}

/**
 * Structured fields that are always censored. `secrets` censors the whole object under it.
 * Anything these paths miss is still caught by scrubSecrets() on the serialized line.
 */
export const REDACT_PATHS: readonly string[] = [
  'password',
  'connection.password',
  '*.password',
  '["connection.password"]',
  '*["connection.password"]',
  'secrets',
  '*.secrets',
];

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const secretValues = [...(options.secretValues ?? [])];
  const pinoOptions: LoggerOptions = {
    level: options.level ?? 'info',
    base: { pid: process.pid, hostname: hostname(), ...options.base },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    hooks: { streamWrite: (line) => scrubSecrets(line, secretValues) },
  };
  return options.destination === undefined ? pino(pinoOptions) : pino(pinoOptions, options.destination);
}

/** A child logger whose lines all carry `fields` (connector, task, topic, partition, offset...). */
export function childLogger(logger: Logger, fields: LogFields): Logger {
  return logger.child(fields);
}
