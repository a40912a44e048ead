// The status topic's record format, as Kafka Connect's status topic (KafkaStatusBackingStore):
//   key   status-connector-<name>            | status-task-<name>-<taskId>
//   value {"state","trace","worker_id","generation","updated_at"} | null (tombstone: deleted)
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
}

export type StatusKey =
  { kind: 'connector'; connector: string } | { kind: 'task'; connector: string; task: number };

const CONNECTOR_PREFIX = 'status-connector-';
const TASK_PREFIX = 'status-task-';
const TASK_KEY = /^status-task-(.+)-(0|[1-9]\d*)$/;

export function connectorStatusKey(connector: string): string {
  return CONNECTOR_PREFIX + connector;
}

export function taskStatusKey(connector: string, task: number): string {
  if (!Number.isSafeInteger(task) || task < 0)
    throw new StatusRecordError(`task id must be a non-negative integer, got ${task}`);
  return `${TASK_PREFIX}${connector}-${task}`;
}

/** Parses a status key; undefined for keys of other kinds (Kafka Connect also writes status-topic-*). */
export function parseStatusKey(key: string): StatusKey | undefined {
  if (key.startsWith(CONNECTOR_PREFIX) && key.length > CONNECTOR_PREFIX.length) {
    return { kind: 'connector', connector: key.slice(CONNECTOR_PREFIX.length) };
  }
  const task = TASK_KEY.exec(key);
  if (task) return { kind: 'task', connector: task[1] ?? '', task: Number(task[2]) };
  return undefined;
}

export function encodeStatusValue(value: StatusValue): string {
  return JSON.stringify({
    state: value.state,
    trace: value.trace,
    worker_id: value.worker_id,
    generation: value.generation,
    updated_at: value.updated_at,
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
  return { state: v['state'], trace, worker_id: v['worker_id'], generation, updated_at: updatedAt };
}
