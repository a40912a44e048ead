// The connector store: where connector definitions live. The local runtime keeps them in files
// (FileConnectorStore); the Kubernetes store (a KwdbConnector custom resource per connector, the
// password in a Secret) implements the same interface.

/** A connector's desired lifecycle state (Kafka Connect's target state; Strimzi's spec.state). */
export type TargetState = 'RUNNING' | 'PAUSED' | 'STOPPED';
export const TARGET_STATES: readonly TargetState[] = ['RUNNING', 'PAUSED', 'STOPPED'];

/** One connector as stored. `config` never holds `connection.password` (see ConnectorSecrets). */
export interface ConnectorDefinition {
  readonly name: string;
  /** The flat config, values as strings (Kafka Connect keeps Map<String, String>), without the password. */
  readonly config: Readonly<Record<string, string>>;
  readonly targetState: TargetState;
  /** Incremented on every config change (not on target-state changes). */
  readonly generation: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /**
   * True while the connector has no task configs: created PAUSED or STOPPED, or stopped, and not
   * run since. Kafka Connect generates task configs only when a connector runs, so such a connector
   * lists no tasks and (here) has no worker processes. Absent means false.
   */
  readonly noTaskConfigs?: boolean;
}

/** What is kept apart from the definition: today only `connection.password`. */
export interface ConnectorSecrets {
  readonly password?: string;
}

export interface ConnectorStore {
  /** Names of every stored connector, sorted. */
  list(): Promise<string[]>;
  get(name: string): Promise<ConnectorDefinition | undefined>;
  getSecrets(name: string): Promise<ConnectorSecrets>;
  /** Stores a new connector; throws AlreadyExistsError if the name is taken. */
  create(definition: ConnectorDefinition, secrets: ConnectorSecrets): Promise<void>;
  /** Replaces an existing connector's definition and secrets; throws NotFoundError if absent. */
  update(definition: ConnectorDefinition, secrets: ConnectorSecrets): Promise<void>;
  /** Removes a connector and its secrets; false when it did not exist. */
  delete(name: string): Promise<boolean>;
}
