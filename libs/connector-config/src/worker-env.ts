// Settings a worker takes from its environment rather than from the connector configuration.
// Pure: the caller passes process.env and reads the files named here.
import { show } from './checks';
import { integerRule } from './coerce';
import { ConfigError, problem, type ConfigProblem } from './errors';
import { Secret } from './secret';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where the database password comes from: a mounted file, or the variable itself. Never the command line. */
export type PasswordSource =
  { readonly kind: 'file'; readonly path: string } | { readonly kind: 'env'; readonly value: Secret };

export interface WorkerEnv {
  /** KAFKA_BOOTSTRAP_SERVERS, `host:port` entries. */
  readonly kafkaBootstrapServers: readonly string[];
  /** KWDB_CONNECT_TASK_ID (default 0). */
  readonly taskId: number;
  /** KWDB_CONNECT_WORKER_ID (default: the hostname the caller passes). */
  readonly workerId: string;
  /** KWDB_CONNECT_HTTP_HOST (default 0.0.0.0) and KWDB_CONNECT_HTTP_PORT (default 8084; 0 = any free port). */
  readonly httpHost: string;
  readonly httpPort: number;
  /** KWDB_CONNECT_STATUS_TOPIC (default kwdb-connect-status). */
  readonly statusTopic: string;
  /** KWDB_CONNECT_OFFSETS_TOPIC (default kwdb-connect-offsets). */
  readonly offsetsTopic: string;
  /** KWDB_CONNECT_CONFIG_FILE: path of the connector config JSON, if set. */
  readonly configFile: string | undefined;
  /** KWDB_CONNECT_PASSWORD_FILE or KWDB_CONNECT_PASSWORD (at most one), if set. */
  readonly password: PasswordSource | undefined;
  /** KWDB_CONNECT_MAX_BUFFERED_BYTES (default 64 MiB): memory budget of a task; the sink fetches 1/16 of it at a time. */
  readonly maxBufferedBytes: number;
  /** KWDB_CONNECT_LOG_LEVEL (default info). */
  readonly logLevel: LogLevel;
  /** KWDB_CONNECT_TOPIC_TRACKING_ENABLE (default true): record the topics the task uses (KIP-558). */
  readonly topicTracking: boolean;
}

export const WORKER_ENV_DEFAULTS = Object.freeze({
  taskId: 0,
  httpHost: '0.0.0.0',
  httpPort: 8084,
  statusTopic: 'kwdb-connect-status',
  offsetsTopic: 'kwdb-connect-offsets',
  maxBufferedBytes: 64 * 1024 * 1024,
  logLevel: 'info' as LogLevel,
  topicTracking: true,
});

/** Every variable parseWorkerEnv reads, with its default and meaning (rendered into docs/configuration.md). */
export const WORKER_ENV_VARS: readonly { name: string; default: string; description: string }[] = [
  {
    name: 'KAFKA_BOOTSTRAP_SERVERS',
    default: '(required)',
    description: 'Kafka brokers, `host:port[,host:port...]`.',
  },
  {
    name: 'KWDB_CONNECT_TASK_ID',
    default: '0',
    description: 'Task number of this worker within its connector.',
  },
  {
    name: 'KWDB_CONNECT_WORKER_ID',
    default: 'the host name',
    description: 'Worker id shown in task status.',
  },
  {
    name: 'KWDB_CONNECT_HTTP_HOST',
    default: '0.0.0.0',
    description: 'Address of `/metrics`, `/healthz`, `/readyz`.',
  },
  { name: 'KWDB_CONNECT_HTTP_PORT', default: '8084', description: 'Port of the same (0: any free port).' },
  {
    name: 'KWDB_CONNECT_STATUS_TOPIC',
    default: 'kwdb-connect-status',
    description: 'Compacted topic of task states.',
  },
  {
    name: 'KWDB_CONNECT_OFFSETS_TOPIC',
    default: 'kwdb-connect-offsets',
    description: 'Compacted topic of source cursors.',
  },
  {
    name: 'KWDB_CONNECT_CONFIG_FILE',
    default: '(none)',
    description: 'Path of the connector configuration JSON.',
  },
  {
    name: 'KWDB_CONNECT_PASSWORD_FILE',
    default: '(none)',
    description: 'Path of a file holding `connection.password` (e.g. a mounted Kubernetes Secret).',
  },
  {
    name: 'KWDB_CONNECT_PASSWORD',
    default: '(none)',
    description:
      '`connection.password` itself; set at most one of this and the file. Never on the command line.',
  },
  {
    name: 'KWDB_CONNECT_MAX_BUFFERED_BYTES',
    default: String(WORKER_ENV_DEFAULTS.maxBufferedBytes),
    description:
      'Memory budget of a task (at least 1024): the sink fetches at most 1/16 of it from Kafka at a time (1 MiB per partition at most).',
  },
  { name: 'KWDB_CONNECT_LOG_LEVEL', default: 'info', description: `Log level: ${LOG_LEVELS.join(', ')}.` },
  {
    name: 'KWDB_CONNECT_TOPIC_TRACKING_ENABLE',
    default: 'true',
    description:
      "Kafka Connect's `topic.tracking.enable`: record the topics the task uses in the status topic (`true` or `false`; config-api passes its own setting).",
  },
];

export type WorkerEnvResult =
  | { readonly ok: true; readonly env: WorkerEnv; readonly warnings: readonly ConfigProblem[] }
  | { readonly ok: false; readonly errors: readonly ConfigProblem[] };

const BROKER = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d+)$/;
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;

/**
 * Reads the worker settings from an environment map. Every problem is reported, each naming the
 * variable; unknown KWDB_CONNECT_* variables (likely typos) are warnings.
 * @param options.hostname the default worker id (the caller passes os.hostname()).
 */
export function parseWorkerEnv(
  env: Readonly<Record<string, string | undefined>>,
  options: { hostname: string },
): WorkerEnvResult {
  const errors: ConfigProblem[] = [];
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const text = get(name);
    if (text === undefined) return fallback;
    const n = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
    if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
    errors.push(problem(name, `${integerRule(min, max)}, got ${show(text)}`));
    return fallback;
  };
  const topic = (name: string, fallback: string): string => {
    const text = get(name) ?? fallback;
    if (!TOPIC.test(text)) errors.push(problem(name, `is not a valid Kafka topic name, got ${show(text)}`));
    return text;
  };

  const servers = (get('KAFKA_BOOTSTRAP_SERVERS') ?? '').split(',').map((s) => s.trim());
  if (servers.every((s) => s === '')) {
    errors.push(problem('KAFKA_BOOTSTRAP_SERVERS', 'is required (comma-separated host:port list)'));
  } else {
    for (const server of servers) {
      const m = BROKER.exec(server);
      if (!m || Number(m[1]) < 1 || Number(m[1]) > 65535) {
        errors.push(problem('KAFKA_BOOTSTRAP_SERVERS', `each entry must be host:port, got ${show(server)}`));
      }
    }
  }

  const passwordFile = get('KWDB_CONNECT_PASSWORD_FILE');
  const passwordValue = env['KWDB_CONNECT_PASSWORD']; // not trimmed: spaces may belong to the password
  let password: PasswordSource | undefined;
  if (passwordFile !== undefined && passwordValue !== undefined) {
    errors.push(
      problem(
        'KWDB_CONNECT_PASSWORD',
        'set only one of KWDB_CONNECT_PASSWORD_FILE and KWDB_CONNECT_PASSWORD',
      ),
    );
  } else if (passwordFile !== undefined) {
    password = { kind: 'file', path: passwordFile };
  } else if (passwordValue !== undefined) {
    password = { kind: 'env', value: new Secret(passwordValue) };
  }

  const logLevelText = get('KWDB_CONNECT_LOG_LEVEL') ?? WORKER_ENV_DEFAULTS.logLevel;
  let logLevel: LogLevel = WORKER_ENV_DEFAULTS.logLevel;
  if ((LOG_LEVELS as readonly string[]).includes(logLevelText)) {
    logLevel = logLevelText as LogLevel;
  } else {
    const text = `must be one of ${LOG_LEVELS.join(', ')}, got ${show(logLevelText)}`;
    errors.push(problem('KWDB_CONNECT_LOG_LEVEL', text));
  }

  const trackingText = (get('KWDB_CONNECT_TOPIC_TRACKING_ENABLE') ?? 'true').toLowerCase();
  if (trackingText !== 'true' && trackingText !== 'false') {
    errors.push(
      problem('KWDB_CONNECT_TOPIC_TRACKING_ENABLE', `must be true or false, got ${show(trackingText)}`),
    );
  }

  const workerEnv: WorkerEnv = {
    kafkaBootstrapServers: Object.freeze(servers.filter((s) => s !== '')),
    taskId: int('KWDB_CONNECT_TASK_ID', WORKER_ENV_DEFAULTS.taskId, 0, 2_147_483_647),
    workerId: get('KWDB_CONNECT_WORKER_ID') ?? options.hostname,
    httpHost: get('KWDB_CONNECT_HTTP_HOST') ?? WORKER_ENV_DEFAULTS.httpHost,
    httpPort: int('KWDB_CONNECT_HTTP_PORT', WORKER_ENV_DEFAULTS.httpPort, 0, 65535),
    statusTopic: topic('KWDB_CONNECT_STATUS_TOPIC', WORKER_ENV_DEFAULTS.statusTopic),
    offsetsTopic: topic('KWDB_CONNECT_OFFSETS_TOPIC', WORKER_ENV_DEFAULTS.offsetsTopic),
    configFile: get('KWDB_CONNECT_CONFIG_FILE'),
    password,
    maxBufferedBytes: int(
      'KWDB_CONNECT_MAX_BUFFERED_BYTES',
      WORKER_ENV_DEFAULTS.maxBufferedBytes,
      1024,
      Number.MAX_SAFE_INTEGER,
    ),
    logLevel,
    topicTracking: trackingText !== 'false',
  };
  if (errors.length > 0) return { ok: false, errors: Object.freeze(errors) };

  const known = new Set(WORKER_ENV_VARS.map((v) => v.name));
  const warnings = Object.keys(env)
    .filter((name) => name.startsWith('KWDB_CONNECT_') && !known.has(name))
    .sort()
    .map((name) => problem(name, 'is not a setting kwdb-connect workers read (a typo?)'));
  return { ok: true, env: Object.freeze(workerEnv), warnings: Object.freeze(warnings) };
}

/** Like parseWorkerEnv, but throws a ConfigError listing every problem. */
export function parseWorkerEnvOrThrow(
  env: Readonly<Record<string, string | undefined>>,
  options: { hostname: string },
): WorkerEnv {
  const result = parseWorkerEnv(env, options);
  if (!result.ok) throw new ConfigError(result.errors, 'Worker environment');
  return result.env;
}
