// What the ConnectorService needs from the outside world, as small interfaces: the real
// implementations talk to Kafka (status topic, consumer groups, offsets topic) and to worker
// processes; unit tests pass small fakes.
import type { ConnectorKind } from '@kwdb-connect/connector-config';
import type { ConnectorDefinition } from '../store/connector-store';

/** Kafka Connect's state names. */
export type InstanceState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'FAILED' | 'STOPPED' | 'RESTARTING';

export interface InstanceStatus {
  state: InstanceState;
  worker_id: string;
  trace?: string;
}

/** What the status topic says about one connector. */
export interface PublishedStatus {
  connector: InstanceStatus | undefined;
  tasks: ReadonlyMap<number, InstanceStatus>;
}

export interface StatusBackend {
  /** This config-api's worker id (host:port), shown as the connector's worker_id. */
  readonly workerId: string;
  /** The latest published statuses (after catching up with the topic). */
  read(name: string): Promise<PublishedStatus>;
  /** The statuses read so far, without waiting to catch up (metrics scrapes). */
  current(name: string): PublishedStatus;
  /** Publishes the connector-level state. */
  publishConnector(name: string, state: 'RUNNING' | 'PAUSED' | 'STOPPED'): Promise<void>;
  /** Tombstones for the connector and its tasks (a deleted connector). */
  remove(name: string, taskIds: readonly number[]): Promise<void>;
}

/** One offset as Kafka Connect's offsets endpoints show it. */
export interface ConnectorOffset {
  partition: Record<string, unknown>;
  offset: Record<string, unknown> | null;
}

export interface OffsetsBackend {
  list(kind: ConnectorKind, definition: ConnectorDefinition): Promise<ConnectorOffset[]>;
  /** Alters the given offsets (`offset: null` resets one partition). */
  alter(
    kind: ConnectorKind,
    definition: ConnectorDefinition,
    offsets: readonly ConnectorOffset[],
  ): Promise<void>;
  /** Resets every offset of the connector. */
  reset(kind: ConnectorKind, definition: ConnectorDefinition): Promise<void>;
}

/** Where connectors run: the local supervisor, or (later) the Kubernetes operator. */
export interface ConnectorRuntime {
  /** The definition of `name` changed (created, updated, target state, deleted): converge now. */
  changed(name: string): Promise<void>;
  /** Restart these tasks of the connector (a restart request). */
  restartTasks(name: string, taskIds: readonly number[]): Promise<void>;
}

/** A runtime that runs nothing (API-only mode and contract tests without workers). */
export const NO_RUNTIME: ConnectorRuntime = {
  changed: async () => undefined,
  restartTasks: async () => undefined,
};
