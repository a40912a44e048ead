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
  /** The plugin version the instance runs (Kafka Connect 4.1). */
  version?: string;
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
  /** Publishes the connector-level state. */
  publishConnector(name: string, state: 'RUNNING' | 'PAUSED' | 'STOPPED'): Promise<void>;
  /** Tombstones for the connector and its tasks (a deleted connector). */
  remove(name: string, taskIds: readonly number[]): Promise<void>;
  /** The topics the connector's tasks recorded as used (KIP-558), sorted (after catching up). */
  topics(name: string): Promise<string[]>;
  /** Tombstones for the connector's recorded topics (a topics reset, a deleted connector). */
  removeTopics(name: string, topics: readonly string[]): Promise<void>;
  /** Why the status topic is no longer followed (for /health); undefined while it is. */
  failure?(): Error | undefined;
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
  /** Why the offsets topic is no longer followed (for /health); undefined while it is. */
  failure?(): Error | undefined;
}

/** Where connectors run: the local supervisor, or (later) the Kubernetes operator. */
export interface ConnectorRuntime {
  /** The definition of `name` changed (created, updated, target state, deleted): converge now. */
  changed(name: string): Promise<void>;
  /** Restart these tasks of the connector (a restart request). */
  restartTasks(name: string, taskIds: readonly number[]): Promise<void>;
}

/**
 * What config-api tells running workers besides their connector config (the local supervisor writes
 * it into the worker config files, which workers re-read every second; docs/worker-contract.md).
 */
export interface WorkerControl {
  /** Cluster-scope log level (PUT /admin/loggers/{logger}?scope=cluster): every worker, now and later. */
  setClusterLogLevel(logger: string, level: string): Promise<void>;
  /** The connector's recorded topics were reset: its running tasks record their topics again. */
  activeTopicsReset(name: string): Promise<void>;
}

/** No workers to tell (API-only mode). */
export const NO_WORKER_CONTROL: WorkerControl = {
  setClusterLogLevel: async () => undefined,
  activeTopicsReset: async () => undefined,
};

/** A runtime that runs nothing (API-only mode and contract tests without workers). */
export const NO_RUNTIME: ConnectorRuntime = {
  changed: async () => undefined,
  restartTasks: async () => undefined,
};
