// The local supervisor's decisions, as pure functions: given the tasks that should run and the
// processes that exist, which processes to start, stop or forget (docs/worker-contract.md):
//   exit 0 after our SIGTERM: drained        -> start again only if still wanted (restart, config change)
//   exit 0 unasked:           finished       -> no automatic restart (the contract: "none")
//   exit 1, other codes, signal: crashed     -> restart with exponential backoff
//   exit 2:                   task FAILED    -> no automatic restart until a restart request or a config change
import { createHash } from 'node:crypto';
import type { ConnectorKind } from '@kwdb-connect/connector-config';

export interface DesiredTask {
  connector: string;
  task: number;
  kind: ConnectorKind;
  /** Hash of everything whose change needs a new process (config, password, entry point). */
  configHash: string;
  /** Bumped by each restart request for this task. */
  restartEpoch: number;
}

export type Phase = 'running' | 'stopping' | 'exited';
export type ExitOutcome = 'drained' | 'finished' | 'crashed' | 'failed';

export interface ActualTask {
  connector: string;
  task: number;
  configHash: string;
  restartEpoch: number;
  phase: Phase;
  /** Set once exited. */
  outcome?: ExitOutcome;
  /** Consecutive crashes (drives the backoff); 0 after a healthy run. */
  crashes: number;
  startedAt: number;
  exitedAt?: number;
}

export type Action =
  | { type: 'start'; connector: string; task: number; kind: ConnectorKind; crashes: number }
  | {
      type: 'stop';
      connector: string;
      task: number;
      reason: 'removed' | 'config-changed' | 'restart-requested';
    }
  | { type: 'forget'; connector: string; task: number };

export interface Decision {
  actions: Action[];
  /** When to decide again (the earliest pending backoff), if any. */
  wakeAt?: number;
}

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** A run at least this long resets the crash count. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 60_000, stableMs: 60_000 };

export function taskKey(connector: string, task: number): string {
  return `${connector}\u0000${task}`;
}

/** How a process ended, from its exit code or signal and whether we asked it to stop. */
export function classifyExit(code: number | null, requestedStop: boolean): ExitOutcome {
  if (requestedStop) return 'drained';
  if (code === 0) return 'finished';
  if (code === 2) return 'failed';
  return 'crashed';
}

/**
 * Why a task's new process is a restart: how its previous process ended (`crashed`, `failed`,
 * `drained`, `finished`), or undefined for a first start (no previous process).
 */
export function restartReason(previous: ActualTask | undefined): ExitOutcome | undefined {
  return previous?.phase === 'exited' ? previous.outcome : undefined;
}

/** The crash count after a crash: reset to 1 when the process had run stably before crashing. */
export function nextCrashCount(
  previous: number,
  ranMs: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  return ranMs >= policy.stableMs ? 1 : previous + 1;
}

/** Delay before restarting after the n-th consecutive crash: initial * 2^(n-1), capped. */
export function backoffMs(crashes: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (crashes <= 0) return 0;
  return Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(crashes - 1, 30));
}

/** A stable hash of a worker's effective configuration (never logged; it covers the password). */
export function configHash(parts: {
  kind: ConnectorKind;
  config: Readonly<Record<string, string>>;
  password: string | undefined;
  entry: string;
}): string {
  const sorted = Object.fromEntries(
    Object.entries(parts.config).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return createHash('sha256')
    .update(JSON.stringify([parts.kind, parts.entry, sorted, parts.password ?? null]))
    .digest('hex');
}

export function decide(
  desired: readonly DesiredTask[],
  actual: readonly ActualTask[],
  now: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): Decision {
  const actions: Action[] = [];
  let wakeAt: number | undefined;
  const wanted = new Map(desired.map((d) => [taskKey(d.connector, d.task), d]));
  const existing = new Map(actual.map((a) => [taskKey(a.connector, a.task), a]));

  for (const a of actual) {
    if (wanted.has(taskKey(a.connector, a.task))) continue;
    if (a.phase === 'running')
      actions.push({ type: 'stop', connector: a.connector, task: a.task, reason: 'removed' });
    else if (a.phase === 'exited') actions.push({ type: 'forget', connector: a.connector, task: a.task });
  }

  for (const d of desired) {
    const a = existing.get(taskKey(d.connector, d.task));
    const start = (crashes: number): void => {
      actions.push({ type: 'start', connector: d.connector, task: d.task, kind: d.kind, crashes });
    };
    if (a === undefined) {
      start(0);
      continue;
    }
    const changed = a.configHash !== d.configHash;
    const restartRequested = a.restartEpoch !== d.restartEpoch;
    if (a.phase === 'running') {
      if (changed)
        actions.push({ type: 'stop', connector: d.connector, task: d.task, reason: 'config-changed' });
      else if (restartRequested) {
        actions.push({ type: 'stop', connector: d.connector, task: d.task, reason: 'restart-requested' });
      }
      continue;
    }
    if (a.phase === 'stopping') continue;
    // exited
    if (changed || restartRequested || a.outcome === 'drained') {
      start(0);
    } else if (a.outcome === 'crashed') {
      const retryAt = (a.exitedAt ?? now) + backoffMs(a.crashes, policy);
      if (now >= retryAt) start(a.crashes);
      else wakeAt = wakeAt === undefined ? retryAt : Math.min(wakeAt, retryAt);
    }
    // failed (exit 2) and finished (exit 0 unasked): wait for a restart request or a config change
  }
  return wakeAt === undefined ? { actions } : { actions, wakeAt };
}
