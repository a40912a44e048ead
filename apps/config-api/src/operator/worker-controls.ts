// Run-time controls of worker Pods in Kubernetes mode (ADR 0028), as pure functions: the
// cluster-scope log levels kept in one ConfigMap per config-api installation (`<lease>-log-levels`,
// read by every replica and the operator), the topics-reset time kept as an annotation on the
// KwdbConnector, and the fields both add to a connector's worker config file
// (docs/worker-contract.md: `logLevels`, `activeTopicsResetAt`). Neither is part of the config
// hash, so changing them never rolls the Deployment: the running workers re-read the mounted file.
import { logLevelSettingsOf, type LogLevelSetting } from '@kwdb-connect/runtime';

/** The ConfigMap key holding the cluster-scope levels, a JSON array of {logger, level}. */
export const LOG_LEVELS_KEY = 'log-levels.json';

/** The ConfigMap of the cluster-scope log levels of the installation whose operator Lease is `leaseName`. */
export function logLevelsConfigMapName(leaseName: string): string {
  return `${leaseName}-log-levels`;
}

/** The levels a log-levels ConfigMap holds; entries that are not {logger, level} with a known level are left out. */
export function logLevelsOf(data: Readonly<Record<string, string>> | undefined): LogLevelSetting[] {
  const text = data?.[LOG_LEVELS_KEY];
  if (text === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  return logLevelSettingsOf(parsed);
}

/** The levels after setting `logger` to `level`: a logger set again moves to the end (applied last). */
export function withLogLevel(
  levels: readonly LogLevelSetting[],
  logger: string,
  level: string,
): LogLevelSetting[] {
  return [...levels.filter((s) => s.logger !== logger), { logger, level }];
}

/** The ConfigMap data for these levels. */
export function logLevelsData(levels: readonly LogLevelSetting[]): Record<string, string> {
  return { [LOG_LEVELS_KEY]: JSON.stringify(levels) };
}

/** Epoch ms of the topics-reset annotation's value (an ISO-8601 time); undefined when absent or not a time. */
export function topicsResetAtOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The next topics-reset annotation value: now, but always later than the previous one (so it always changes). */
export function nextTopicsResetAt(previous: string | undefined, now: number): string {
  const before = topicsResetAtOf(previous);
  return new Date(before === undefined ? now : Math.max(now, before + 1)).toISOString();
}

/** What the operator adds to a worker config file besides the connector. */
export interface WorkerFileControls {
  logLevels: readonly LogLevelSetting[];
  activeTopicsResetAt: number | undefined;
}

export const NO_CONTROLS: WorkerFileControls = { logLevels: [], activeTopicsResetAt: undefined };

/** The worker config file's control fields (docs/worker-contract.md); empty ones are left out. */
export function controlFields(controls: WorkerFileControls): {
  logLevels?: LogLevelSetting[];
  activeTopicsResetAt?: number;
} {
  return {
    ...(controls.logLevels.length > 0 ? { logLevels: [...controls.logLevels] } : {}),
    ...(controls.activeTopicsResetAt !== undefined
      ? { activeTopicsResetAt: controls.activeTopicsResetAt }
      : {}),
  };
}
