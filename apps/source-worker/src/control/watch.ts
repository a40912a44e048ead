// Re-reads the worker config file every second (docs/worker-contract.md): a targetState change
// pauses or resumes the task; any other change is logged (the supervisor restarts the worker).
import { readFile } from 'node:fs/promises';
import type { Logger } from '@kwdb-connect/runtime';
import { fileChange, parseWorkerFile, type TargetState, type WorkerFile } from './worker-file';

export function watchWorkerFile(
  path: string,
  initial: WorkerFile,
  logger: Logger,
  onTargetState: (state: TargetState) => void,
  intervalMs = 1000,
): () => void {
  let current = initial;
  let busy = false;
  let warnedConfig = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const next = parseWorkerFile(await readFile(path, 'utf8'));
      const change = fileChange(current, next);
      if (change.targetState !== undefined) {
        logger.info({ targetState: change.targetState }, 'target state changed');
        onTargetState(change.targetState);
      }
      if (change.configChanged && !warnedConfig) {
        warnedConfig = true;
        logger.warn('connector config changed in the worker file; it applies when the worker is restarted');
      }
      current = { ...current, targetState: next.targetState };
    } catch (error) {
      logger.warn({ err: error }, 'cannot re-read the worker config file; keeping the current state');
    } finally {
      busy = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
