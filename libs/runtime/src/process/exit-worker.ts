// How a worker process ends. Exit 2 means the task FAILED (docs/worker-contract.md): a supervisor
// must not restart it on its own. A Deployment's Pod cannot say so (restartPolicy is Always: the
// kubelet would restart the container), so worker Pods run with KWDB_CONNECT_ON_FAILURE=wait: a
// FAILED worker stays alive and idle until it is told to stop (the operator deletes its Pod to
// restart the task), and only then exits 2.

export const ON_FAILURE_VAR = 'KWDB_CONNECT_ON_FAILURE';

/** The part of `process` exitWorker uses. */
export interface ExitProcess {
  env: NodeJS.ProcessEnv;
  exit(code: number): void;
  once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
}

/** Exits with `code`; with KWDB_CONNECT_ON_FAILURE=wait, exit 2 waits for SIGTERM/SIGINT first. */
export function exitWorker(code: number, proc: ExitProcess = process): void {
  if (code !== 2 || proc.env[ON_FAILURE_VAR] !== 'wait') {
    proc.exit(code);
    return;
  }
  const stop = (): void => proc.exit(2);
  proc.once('SIGTERM', stop);
  proc.once('SIGINT', stop);
  // Keep the event loop alive while idle (the task's own timers and sockets are gone).
  setInterval(() => undefined, 1 << 30);
}
