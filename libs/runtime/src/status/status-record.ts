// The status topic's record format, as Kafka Connect's status topic (KafkaStatusBackingStore):
//   key   status-connector-<name>            | status-task-<name>-<taskId>
//   value {"state","trace","worker_id","generation","updated_at","version"?} | null (tombstone: deleted)
// (`version`, the plugin version the instance runs, as Kafka Connect 4.1 writes it; absent in older records.)
// Pure encoding and parsing; no I/O.
import { StatusRecordError } from '../errors';

export const STATUS_STATES = ['UNASSIGNED', 'RUNNING', 'PAUSED', 'FAILED', 'STOPPED', 'RESTARTING'] as const;
export type StatusState = (typeof STATUS_STATES)[number];

/** One status value, exactly as stored in the topic. */
export interface StatusValue {
  state: StatusState;
  /** Stack trace (or message) of a FAILED instance; null otherwise. */
  trace: string | null;
  /** Who reported it: a worker's host:port or pod name. */
  worker_id: string;
  /** The publisher's generation (e.g. the worker's restart or config generation); informational. */
  generation: number;
  /** Epoch milliseconds when the publisher wrote it. */
  updated_at: number;
  /** The plugin version of the instance (Kafka Connect 4.1); undefined when the publisher did not say. */
  version?: string;
}

export type StatusKey =
  | { kind: 'connector'; connector: string }
  | { kind: 'task'; connector: string; task: number }
  | { kind: 'topic'; connector: string; topic: string };

const CONNECTOR_PREFIX = 'status-connector-';
const TASK_PREFIX = 'status-task-';
const TASK_KEY = /^status-task-(.+)-(0|[1-9]\d*)$/;
// Topic tracking (KIP-558): status-topic-<topic>:connector-<connector>. A topic name never holds ':'.
const TOPIC_PREFIX = 'status-topic-';
const TOPIC_SEPARATOR = ':connector-';
const TOPIC_KEY = /^status-topic-([^:]+):connector-(.+)$/;

export function connectorStatusKey(connector: string): string {
  return CONNECTOR_PREFIX + connector;
}

export function taskStatusKey(connector: string, task: number): string {
  if (!Number.isSafeInteger(task) || task < 0)
    throw new StatusRecordError(`task id must be a non-negative integer, got ${task}`);
  return `${TASK_PREFIX}${connector}-${task}`;
}

/** Kafka Connect's key of "connector used topic" (KafkaStatusBackingStore.sendTopicStatus). */
export function topicStatusKey(connector: string, topic: string): string {
  if (topic === '' || topic.includes(':')) {
    throw new StatusRecordError(`topic name must be non-empty and without ':', got ${JSON.stringify(topic)}`);
  }
  return `${TOPIC_PREFIX}${topic}${TOPIC_SEPARATOR}${connector}`;
}

/** Parses a status key; undefined for keys of other kinds. */
export function parseStatusKey(key: string): StatusKey | undefined {
  if (key.startsWith(CONNECTOR_PREFIX) && key.length > CONNECTOR_PREFIX.length) {
    return { kind: 'connector', connector: key.slice(CONNECTOR_PREFIX.length) };
  }
  const task = TASK_KEY.exec(key);
  if (task) return { kind: 'task', connector: task[1] ?? '', task: Number(task[2]) };
  const topic = TOPIC_KEY.exec(key);
  if (topic) return { kind: 'topic', topic: topic[1] ?? '', connector: topic[2] ?? '' };
  return undefined;
}

/**
 * One "connector used topic" value, as Kafka Connect's JSON converter writes its TopicStatus:
 * `{"topic":{"name","connector","task","discoverTimestamp"}}`.
 */
export interface TopicStatusValue {
  name: string;
  connector: string;
  /** The task that first used the topic. */
  task: number;
  /** Epoch milliseconds when the task first used it. */
  discoverTimestamp: number;
}

export function encodeTopicStatusValue(value: TopicStatusValue): string {
  return JSON.stringify({
    topic: {
      name: value.name,
      connector: value.connector,
      task: value.task,
      discoverTimestamp: value.discoverTimestamp,
    },
  });
}

/** Parses a topic status value; throws StatusRecordError naming the problem. */
export function parseTopicStatusValue(text: string): TopicStatusValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new StatusRecordError(`topic status value is not JSON: ${(e as Error).message}`);
  }
  const inner = (parsed as { topic?: unknown } | null)?.topic;
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) {
    throw new StatusRecordError('topic status value has no "topic" object');
  }
  const t = inner as Record<string, unknown>;
  if (typeof t['name'] !== 'string' || t['name'] === '') {
    throw new StatusRecordError('topic status value has no topic name');
  }
  if (typeof t['connector'] !== 'string') throw new StatusRecordError('topic status value has no connector');
  const task = t['task'];
  if (typeof task !== 'number' || !Number.isInteger(task)) {
    throw new StatusRecordError('topic status value task is not an integer');
  }
  const discovered = t['discoverTimestamp'] ?? 0;
  if (typeof discovered !== 'number' || !Number.isFinite(discovered)) {
    throw new StatusRecordError('topic status value discoverTimestamp is not a number');
  }
  return { name: t['name'], connector: t['connector'], task, discoverTimestamp: discovered };
}

export function encodeStatusValue(value: StatusValue): string {
  return JSON.stringify({
    state: value.state,
    trace: value.trace,
    worker_id: value.worker_id,
    generation: value.generation,
    updated_at: value.updated_at,
    ...(value.version === undefined ? {} : { version: value.version }),
  });
}

function isState(value: unknown): value is StatusState {
  return typeof value === 'string' && (STATUS_STATES as readonly string[]).includes(value);
}

/**
 * Parses a status value. Fields Kafka Connect itself does not write (updated_at) default to 0,
 * so a status topic shared with Kafka Connect stays readable. Throws StatusRecordError naming
 * the problem otherwise.
 */
export function parseStatusValue(text: string): StatusValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new StatusRecordError(`status value is not JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new StatusRecordError('status value is not a JSON object');
  }
  const v = parsed as Record<string, unknown>;
  if (!isState(v['state'])) {
    throw new StatusRecordError(`status value has an unknown state ${JSON.stringify(v['state'])}`);
  }
  if (typeof v['worker_id'] !== 'string') throw new StatusRecordError('status value has no string worker_id');
  const trace = v['trace'] ?? null;
  if (trace !== null && typeof trace !== 'string')
    throw new StatusRecordError('status value trace is not a string');
  const generation = v['generation'] ?? 0;
  if (typeof generation !== 'number' || !Number.isInteger(generation)) {
    throw new StatusRecordError('status value generation is not an integer');
  }
  const updatedAt = v['updated_at'] ?? 0;
  if (typeof updatedAt !== 'number' || !Number.isFinite(updatedAt)) {
    throw new StatusRecordError('status value updated_at is not a number');
  }
  const version = v['version'] ?? undefined;
  if (version !== undefined && typeof version !== 'string') {
    throw new StatusRecordError('status value version is not a string');
  }
  const parsedValue: StatusValue = {
    state: v['state'],
    trace,
    worker_id: v['worker_id'],
    generation,
    updated_at: updatedAt,
  };
  if (version !== undefined) parsedValue.version = version;
  return parsedValue;
}
