// Task ids of worker Pods: a Deployment's Pods have no ordinals, so the operator writes each Pod's
// task id into an annotation and the kubelet projects it into a file (downward API). The worker
// waits for that file before it reads its environment (docs/adr/0016-task-ids-for-deployment-pods.md).
import { readFile } from 'node:fs/promises';

export const TASK_ID_FILE_VAR = 'KWDB_CONNECT_TASK_ID_FILE';
export const TASK_ID_VAR = 'KWDB_CONNECT_TASK_ID';

export interface TaskIdFileOptions {
  pollMs?: number;
  /** Called every `noticeMs` while waiting (for a log line). */
  onWaiting?: (waitedMs: number, path: string) => void;
  noticeMs?: number;
  readText?: (path: string) => Promise<string>;
}

/** The task id in the file's text, or undefined while the annotation is not set yet (empty file). */
export function parseTaskIdText(text: string): number | undefined {
  const trimmed = text.trim();
  return /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : undefined;
}

/**
 * When KWDB_CONNECT_TASK_ID_FILE is set and KWDB_CONNECT_TASK_ID is not, waits until the file
 * holds a task id and sets KWDB_CONNECT_TASK_ID in `env` to it. Otherwise does nothing.
 */
export async function resolveTaskIdFile(
  env: NodeJS.ProcessEnv,
  options: TaskIdFileOptions = {},
): Promise<void> {
  const path = env[TASK_ID_FILE_VAR]?.trim();
  if (!path || (env[TASK_ID_VAR]?.trim() ?? '') !== '') return;
  const read = options.readText ?? ((p: string) => readFile(p, 'utf8'));
  const pollMs = options.pollMs ?? 200;
  const noticeMs = options.noticeMs ?? 10_000;
  const started = Date.now();
  let lastNotice = started;
  for (;;) {
    const text = await read(path).catch(() => '');
    const id = parseTaskIdText(text);
    if (id !== undefined) {
      env[TASK_ID_VAR] = String(id);
      return;
    }
    if (Date.now() - lastNotice >= noticeMs) {
      lastNotice = Date.now();
      options.onWaiting?.(lastNotice - started, path);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
