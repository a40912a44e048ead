// The in-memory view of the status topic: the latest value per key wins, a tombstone removes
// the key. The view is a function of the latest record per key only, so it is the same before
// and after log compaction. Pure; StatusReader feeds it from Kafka.
import {
  parseStatusKey,
  parseStatusValue,
  parseTopicStatusValue,
  type StatusState,
  type StatusValue,
  type TopicStatusValue,
} from './status-record';

/** What one connector looks like: its own state (if published) and its tasks' states. */
export interface ConnectorStatus {
  name: string;
  connector: StatusValue | null;
  tasks: TaskStatus[];
}

export interface TaskStatus extends StatusValue {
  id: number;
}

export type ApplyResult = 'updated' | 'deleted' | 'ignored';

interface Entry {
  connector: StatusValue | null;
  tasks: Map<number, StatusValue>;
}

export class StatusTable {
  private readonly entries = new Map<string, Entry>();
  /** Topic tracking: connector -> topic -> value. Independent of the status entries (own keys). */
  private readonly topicEntries = new Map<string, Map<string, TopicStatusValue>>();

  /**
   * Applies one record. Keys of other kinds are ignored; a malformed value throws
   * StatusRecordError (the reader logs it and goes on) and leaves the table unchanged.
   */
  apply(key: string, value: string | null): ApplyResult {
    const parsed = parseStatusKey(key);
    if (parsed === undefined) return 'ignored';
    if (parsed.kind === 'topic') return this.applyTopic(parsed.connector, parsed.topic, value);
    const status = value === null ? null : parseStatusValue(value);
    const entry = this.entries.get(parsed.connector) ?? {
      connector: null,
      tasks: new Map<number, StatusValue>(),
    };
    if (parsed.kind === 'connector') entry.connector = status;
    else if (status === null) entry.tasks.delete(parsed.task);
    else entry.tasks.set(parsed.task, status);
    if (entry.connector === null && entry.tasks.size === 0) this.entries.delete(parsed.connector);
    else this.entries.set(parsed.connector, entry);
    return status === null ? 'deleted' : 'updated';
  }

  /** The connector's status, tasks sorted by id; undefined when nothing is published for it. */
  get(connector: string): ConnectorStatus | undefined {
    const entry = this.entries.get(connector);
    if (entry === undefined) return undefined;
    const tasks = [...entry.tasks.entries()]
      .sort(([a], [b]) => a - b)
      .map(([id, status]) => ({ id, ...status }));
    return { name: connector, connector: entry.connector, tasks };
  }

  private applyTopic(connector: string, topic: string, value: string | null): ApplyResult {
    const status = value === null ? null : parseTopicStatusValue(value);
    const topics = this.topicEntries.get(connector) ?? new Map<string, TopicStatusValue>();
    if (status === null) topics.delete(topic);
    else topics.set(topic, status);
    if (topics.size === 0) this.topicEntries.delete(connector);
    else this.topicEntries.set(connector, topics);
    return status === null ? 'deleted' : 'updated';
  }

  /** The topics the connector's tasks recorded as used (KIP-558), sorted by name. */
  topics(connector: string): TopicStatusValue[] {
    const topics = this.topicEntries.get(connector);
    if (topics === undefined) return [];
    return [...topics.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Names of the connectors with any published status, sorted. */
  connectors(): string[] {
    return [...this.entries.keys()].sort();
  }

  /** The state of one task, or undefined. */
  taskState(connector: string, task: number): StatusState | undefined {
    return this.entries.get(connector)?.tasks.get(task)?.state;
  }
}
