// The worker config file's targetState (docs/worker-contract.md): re-read every second; a change
// pauses (stop fetching, keep the partitions, publish PAUSED) or resumes (publish RUNNING).
import { readFile } from 'node:fs/promises';

export type TargetState = 'RUNNING' | 'PAUSED';

/** RUNNING when absent; undefined for anything that is not RUNNING or PAUSED. */
export function parseTargetState(value: unknown): TargetState | undefined {
  if (value === undefined || value === null) return 'RUNNING';
  if (value === 'RUNNING' || value === 'PAUSED') return value;
  return undefined;
}

/** The target state in a config file's text; undefined when the text cannot be used (mid-write, invalid). */
export function targetStateOf(text: string): TargetState | undefined {
  try {
    const file = JSON.parse(text) as unknown;
    if (typeof file !== 'object' || file === null) return undefined;
    return parseTargetState((file as Record<string, unknown>)['targetState']);
  } catch {
    return undefined;
  }
}

export interface TargetStateWatcher {
  stop(): void;
}

/**
 * Polls the file every `intervalMs` and calls `onChange` (one call at a time) when the target state
 * differs from the last one applied. An unreadable or invalid file keeps the current state.
 */
export function watchTargetState(
  path: string,
  initial: TargetState,
  onChange: (state: TargetState) => Promise<void>,
  intervalMs = 1000,
): TargetStateWatcher {
  let current = initial;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    readFile(path, 'utf8')
      .then(async (text) => {
        const wanted = targetStateOf(text);
        if (wanted !== undefined && wanted !== current) {
          await onChange(wanted);
          current = wanted;
        }
      })
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
