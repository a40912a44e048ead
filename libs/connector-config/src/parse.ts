// parseConnectorConfig: one pass over the raw map, every problem collected, then a typed frozen object.
import { show } from './checks';
import { CONNECTOR_CLASSES, resolveConnectorClass, type ConnectorKind } from './connector-class';
import { coerceValue, type TypedValue } from './coerce';
import {
  CONFIG_KEYS,
  PRECISIONS_BY_FORMAT,
  findKeyDef,
  keysFor,
  type ConfigKeyDef,
  type MessageFormat,
  type TimestampPrecision,
} from './definitions';
import { ConfigError, problem, type ConfigProblem } from './errors';
import { Secret } from './secret';
import type { ConnectorConfig, SinkConfig, SourceConfig } from './types';

export type RawConfig = Readonly<Record<string, unknown>>;

export type ParseResult =
  | { readonly ok: true; readonly config: ConnectorConfig }
  | { readonly ok: false; readonly errors: readonly ConfigProblem[] };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Secret);
}

/** True for Kafka Connect's create-request shape `{"name": ..., "config": {...}}` (the guide's JSON files). */
export function isConnectorRequest(raw: RawConfig): boolean {
  return isPlainObject(raw) && isPlainObject(raw['config']) && !('connector.class' in raw);
}

/**
 * The flat config map. A request `{"name", "config": {...}}` is flattened: `name` goes into the map
 * (a different `name` inside `config` is a problem); other top-level fields such as `initial_state`
 * are not configuration and are left out.
 */
export function toFlatConfig(raw: RawConfig): { config: Record<string, unknown>; problems: ConfigProblem[] } {
  // A request body that is not a JSON object (null, an array, a string) has no keys at all.
  if (!isPlainObject(raw)) return { config: {}, problems: [problem('config', 'must be a JSON object')] };
  if (!isConnectorRequest(raw)) return { config: { ...raw }, problems: [] };
  const config: Record<string, unknown> = { ...(raw['config'] as Record<string, unknown>) };
  const problems: ConfigProblem[] = [];
  const outerName = raw['name'];
  if (outerName !== undefined && outerName !== null) {
    const innerName = config['name'];
    if (innerName !== undefined && innerName !== null && innerName !== outerName) {
      problems.push(
        problem('name', `${show(innerName)} in config does not match the connector name ${show(outerName)}`),
      );
    }
    config['name'] = outerName;
  }
  return { config, problems };
}

/** The connector kind named by `connector.class`, if it names one. */
export function connectorKindOf(raw: RawConfig): ConnectorKind | undefined {
  const value = toFlatConfig(raw).config['connector.class'];
  return typeof value === 'string' ? resolveConnectorClass(value) : undefined;
}

/** Absent: not written, null, or a blank string for an optional key without default. */
function isAbsent(def: ConfigKeyDef, raw: unknown): boolean {
  if (raw === undefined || raw === null) return true;
  return !def.required && def.default === undefined && typeof raw === 'string' && raw.trim() === '';
}

/** The outcome of validating each key of one kind: typed values and problems, by key. */
export interface KeyResults {
  readonly kind: ConnectorKind | undefined;
  readonly flat: Record<string, unknown>;
  readonly values: Map<string, TypedValue | undefined>;
  readonly problems: ConfigProblem[];
}

/** Validates every key of the kind `connector.class` names, then the rules between keys. */
export function validateKeys(raw: RawConfig, forcedKind?: ConnectorKind): KeyResults {
  const { config: flat, problems } = toFlatConfig(raw);
  const classValue = flat['connector.class'];
  const kind = forcedKind ?? (typeof classValue === 'string' ? resolveConnectorClass(classValue) : undefined);
  const values = new Map<string, TypedValue | undefined>();
  for (const def of keysFor(kind)) {
    const given = flat[def.name];
    if (isAbsent(def, given)) {
      if (def.required) problems.push(problem(def.name, 'is required and has no default value'));
      values.set(def.name, def.default);
      continue;
    }
    const result = coerceValue(def, given);
    if (result.ok) values.set(def.name, result.value);
    else problems.push(problem(def.name, result.text));
  }
  if (kind === 'sink') problems.push(...checkSinkRules(flat, values));
  if (kind) problems.push(...checkPrecision(kind, values));
  return { kind, flat, values, problems };
}

/** Whether a value was written at all (as Kafka Connect's "not blank"), valid or not. */
function isGiven(raw: unknown): boolean {
  if (raw === undefined || raw === null) return false;
  if (typeof raw === 'string') return raw.trim() !== '';
  if (Array.isArray(raw)) return raw.length > 0;
  return true;
}

/** Kafka Connect's sink rules: exactly one of topics and topics.regex; the DLQ topic is not consumed. */
function checkSinkRules(
  flat: Record<string, unknown>,
  values: Map<string, TypedValue | undefined>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const hasTopics = isGiven(flat['topics']);
  const hasRegex = isGiven(flat['topics.regex']);
  if (hasTopics && hasRegex) {
    const text = 'topics and topics.regex are mutually exclusive options, but both are set';
    problems.push(problem('topics', text), problem('topics.regex', text));
  }
  if (!hasTopics && !hasRegex) {
    const text = 'must configure one of topics or topics.regex';
    problems.push(problem('topics', text), problem('topics.regex', text));
  }
  // The typed values are undefined when invalid (reported already): then there is nothing to compare.
  const topics = values.get('topics') as readonly string[] | undefined;
  const regex = values.get('topics.regex') as string | undefined;
  const dlq = values.get('errors.deadletterqueue.topic.name') as string | undefined;
  if (dlq) {
    if (topics?.includes(dlq)) {
      problems.push(problem('topics', `must not include the dead letter queue topic ${show(dlq)}`));
    }
    if (regex !== undefined && safeRegexTest(regex, dlq)) {
      problems.push(problem('topics.regex', `must not match the dead letter queue topic ${show(dlq)}`));
    }
  }
  return problems;
}

function safeRegexTest(pattern: string, text: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(text);
  } catch {
    return false; // an invalid pattern is reported by its own check
  }
}

/** `timestamp.precision` must be one the message format supports. */
function checkPrecision(kind: ConnectorKind, values: Map<string, TypedValue | undefined>): ConfigProblem[] {
  const formatKey = kind === 'sink' ? 'protocol.type' : 'out.format';
  const format = values.get(formatKey) as MessageFormat | undefined;
  const precision = values.get('timestamp.precision') as TimestampPrecision | undefined;
  if (format === undefined || precision === undefined) return [];
  const supported = PRECISIONS_BY_FORMAT[format];
  if (supported.includes(precision)) return [];
  return [
    problem(
      'timestamp.precision',
      `${show(precision)} is not supported by ${formatKey} ${format}; use one of ${supported.join(', ')}`,
    ),
  ];
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !(value instanceof Secret) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** A copy of a passed-through value, so that freezing the config never freezes the caller's objects. */
function copyOf(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}

/** Builds the typed config from valid values. */
function buildConfig(kind: ConnectorKind, flat: Record<string, unknown>, values: KeyResults['values']) {
  const str = (key: string) => values.get(key) as string;
  const optStr = (key: string) => values.get(key) as string | undefined;
  const num = (key: string) => values.get(key) as number;
  const bool = (key: string) => values.get(key) as boolean;
  const passthrough: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    if (!values.has(key)) passthrough[key] = copyOf(value);
  }
  const common = {
    name: str('name'),
    connectorClass: CONNECTOR_CLASSES[kind],
    tasksMax: num('tasks.max'),
    keyConverter: optStr('key.converter'),
    valueConverter: optStr('value.converter'),
    connection: {
      url: str('connection.url'),
      user: optStr('connection.user'),
      password: values.get('connection.password') as Secret | undefined,
      database: str('connection.database'),
      attempts: num('connection.attempts'),
      backoffMs: num('connection.backoff.ms'),
      sslMode: str('connection.sslmode') as SinkConfig['connection']['sslMode'],
      sslRootCert: optStr('connection.sslrootcert'),
      sslCert: optStr('connection.sslcert'),
      sslKey: optStr('connection.sslkey'),
      poolMax: num('connection.pool.max'),
      dialect: str('dialect') as SinkConfig['connection']['dialect'],
    },
    timestampPrecision: str('timestamp.precision') as TimestampPrecision,
    passthrough,
  };
  const errors = {
    tolerance: str('errors.tolerance') as SinkConfig['errors']['tolerance'],
    retryTimeoutMs: num('errors.retry.timeout'),
    retryDelayMaxMs: num('errors.retry.delay.max.ms'),
    logEnable: bool('errors.log.enable'),
    logIncludeMessages: bool('errors.log.include.messages'),
  };
  if (kind === 'sink') {
    const sink: SinkConfig = {
      kind: 'sink',
      ...common,
      topics: (values.get('topics') as readonly string[] | undefined) ?? [],
      topicsRegex: optStr('topics.regex'),
      protocolType: str('protocol.type') as MessageFormat,
      maxRetries: num('max.retries'),
      retryBackoffMs: num('retry.backoff.ms'),
      batchSize: num('batch.size'),
      errors: {
        ...errors,
        deadLetterQueueTopicName: str('errors.deadletterqueue.topic.name'),
        deadLetterQueueTopicReplicationFactor: num('errors.deadletterqueue.topic.replication.factor'),
        deadLetterQueueContextHeadersEnable: bool('errors.deadletterqueue.context.headers.enable'),
      },
    };
    return sink;
  }
  const source: SourceConfig = {
    kind: 'source',
    ...common,
    outFormat: str('out.format') as MessageFormat,
    topicPrefix: str('topic.prefix'),
    topicDelimiter: str('topic.delimiter'),
    topicPerStable: bool('topic.per.stable'),
    topicIgnoreDb: bool('topic.ignore.db'),
    timestampInitial: optStr('timestamp.initial'),
    pollIntervalMs: num('poll.interval.ms'),
    fetchMaxRows: num('fetch.max.rows'),
    queryIntervalMs: num('query.interval.ms'),
    readMethod: 'query',
    timestampDelayIntervalMs: num('timestamp.delay.interval.ms'),
    exactlyOnceSourceSupport: str('exactly.once.source.support') as SourceConfig['exactlyOnceSourceSupport'],
    recordTimestamp: str('record.timestamp') as SourceConfig['recordTimestamp'],
    errors,
  };
  return source;
}

/**
 * Parses a connector configuration once: the flat map of `PUT /connectors/{name}/config`, or the
 * `{"name", "config"}` request of `POST /connectors` (the guide's JSON files). Strings are coerced
 * to numbers and booleans, defaults applied, and every problem is reported, each naming its key.
 */
export function parseConnectorConfig(raw: RawConfig): ParseResult {
  const { kind, flat, values, problems } = validateKeys(raw);
  if (problems.length > 0 || kind === undefined) {
    return { ok: false, errors: Object.freeze(problems) };
  }
  return { ok: true, config: deepFreeze(buildConfig(kind, flat, values)) };
}

/** Like parseConnectorConfig, but throws a ConfigError listing every problem. */
export function parseConnectorConfigOrThrow(raw: RawConfig): ConnectorConfig {
  const result = parseConnectorConfig(raw);
  if (!result.ok) throw new ConfigError(result.errors);
  return result.config;
}

/**
 * Warnings, not errors: keys no connector defines (kept and passed through, as Kafka Connect does),
 * keys that belong to the other connector kind, and options that have no effect. Values are never shown.
 */
export function configWarnings(raw: RawConfig): ConfigProblem[] {
  const { config: flat } = toFlatConfig(raw);
  const kind = connectorKindOf(raw);
  const warnings: ConfigProblem[] = [];
  for (const key of Object.keys(flat)) {
    const def = findKeyDef(key);
    if (!def) {
      warnings.push(problem(key, 'is not a configuration of this connector; it is kept but not used'));
    } else if (kind && def.appliesTo !== 'both' && def.appliesTo !== kind) {
      warnings.push(
        problem(key, `applies only to ${def.appliesTo} connectors; it is ignored by a ${kind} connector`),
      );
    }
  }
  const dlq = flat['errors.deadletterqueue.topic.name'];
  const tolerance = flat['errors.tolerance'] ?? 'none';
  if (kind === 'sink' && typeof dlq === 'string' && dlq.trim() !== '' && tolerance === 'none') {
    warnings.push(
      problem('errors.deadletterqueue.topic.name', 'has no effect while errors.tolerance is none'),
    );
  }
  return warnings;
}

/** Every key name the schema defines (both kinds). */
export const KNOWN_KEYS: readonly string[] = Object.freeze(CONFIG_KEYS.map((def) => def.name));
