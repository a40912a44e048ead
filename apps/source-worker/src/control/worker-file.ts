// The worker config file of docs/worker-contract.md: {"name", "config", "targetState"}. Pure.
import { SourceWorkerError } from '../errors';

export type TargetState = 'RUNNING' | 'PAUSED';

export interface WorkerFile {
  name: string;
  config: Record<string, unknown>;
  targetState: TargetState;
}

/** Parses the file's text. Throws SourceWorkerError CONFIG_FILE_INVALID naming what is wrong. */
export function parseWorkerFile(text: string): WorkerFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SourceWorkerError(
      'CONFIG_FILE_INVALID',
      `worker config file is not JSON: ${(e as Error).message}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SourceWorkerError('CONFIG_FILE_INVALID', 'worker config file must be a JSON object');
  }
  const { name, config, targetState } = value as Record<string, unknown>;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new SourceWorkerError('CONFIG_FILE_INVALID', 'worker config file: "config" must be an object');
  }
  const state = targetState ?? 'RUNNING';
  if (state !== 'RUNNING' && state !== 'PAUSED') {
    throw new SourceWorkerError(
      'CONFIG_FILE_INVALID',
      `worker config file: "targetState" must be RUNNING or PAUSED, got ${JSON.stringify(state)}`,
    );
  }
  const configName = (config as Record<string, unknown>)['name'];
  const resolvedName = typeof name === 'string' ? name : typeof configName === 'string' ? configName : '';
  return { name: resolvedName, config: config as Record<string, unknown>, targetState: state };
}

/** What a re-read of the file means for a running worker. */
export function fileChange(
  before: WorkerFile,
  after: WorkerFile,
): { targetState: TargetState | undefined; configChanged: boolean } {
  return {
    targetState: after.targetState !== before.targetState ? after.targetState : undefined,
    configChanged:
      after.name !== before.name || JSON.stringify(after.config) !== JSON.stringify(before.config),
  };
}
