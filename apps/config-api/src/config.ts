// config-api's own settings, parsed once at start from the environment; every problem is listed.
// Nothing else in config-api reads process.env.
import { resolve } from 'node:path';
import { DEFAULT_TASK_LIMITS, type TaskLimits } from '@kwdb-connect/connector-config';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type ApiLogLevel = (typeof LOG_LEVELS)[number];

export interface ApiConfig {
  /** KWDB_CONNECT_REST_HOST, default 0.0.0.0 */
  host: string;
  /** KWDB_CONNECT_REST_PORT, default 8083 (0 = any free port) */
  port: number;
  /** KWDB_CONNECT_REST_ADVERTISED_HOST: the host of the worker ids config-api shows; default the host name */
  advertisedHost: string | undefined;
  /** KAFKA_BOOTSTRAP_SERVERS (required) */
  kafkaBrokers: string[];
  /** KWDB_CONNECT_DATA_DIR: the file store, worker config files and task logs; default ./.kwdb-connect */
  dataDir: string;
  /** KWDB_CONNECT_STATUS_TOPIC, default kwdb-connect-status */
  statusTopic: string;
  /** KWDB_CONNECT_OFFSETS_TOPIC, default kwdb-connect-offsets */
  offsetsTopic: string;
  /**
   * KWDB_CONNECT_RUNTIME: `local` runs worker processes; `kubernetes` stores connectors as
   * KwdbConnector resources and runs the operator loop; `none` serves the API only. Default local.
   */
  runtime: 'local' | 'none' | 'kubernetes';
  /** Settings of the Kubernetes runtime (set when runtime is kubernetes). */
  kubernetes?: KubernetesSettings;
  /** KWDB_CONNECT_SINK_WORKER, default dist/apps/sink-worker/main.js */
  sinkWorker: string;
  /** KWDB_CONNECT_SOURCE_WORKER, default dist/apps/source-worker/main.js */
  sourceWorker: string;
  /** KWDB_CONNECT_WORKER_HTTP_HOST: where workers serve /metrics, default 127.0.0.1 */
  workerHttpHost: string;
  /** KWDB_CONNECT_WORKER_BASE_PORT: first worker HTTP port (each task gets the next); 0 = free ports. Default 0. */
  workerBasePort: number;
  /** KWDB_CONNECT_LOG_LEVEL, default info */
  logLevel: ApiLogLevel;
  /**
   * KWDB_CONNECT_MAX_TASKS_PER_CONNECTOR (highest tasks.max, default 32) and KWDB_CONNECT_MAX_TASKS
   * (sum of tasks.max over connectors not STOPPED, default 64).
   */
  taskLimits: TaskLimits;
  /**
   * Kafka Connect's topic tracking (KIP-558): KWDB_CONNECT_TOPIC_TRACKING_ENABLE (`topic.tracking.enable`,
   * default true: workers record the topics they use, GET /connectors/{name}/topics serves them) and
   * KWDB_CONNECT_TOPIC_TRACKING_ALLOW_RESET (`topic.tracking.allow.reset`, default true: PUT .../topics/reset).
   * parseApiConfig always sets it; absent (configs built in code) means both true.
   */
  topicTracking?: TopicTracking;
}

export interface TopicTracking {
  enable: boolean;
  allowReset: boolean;
}

export const DEFAULT_TOPIC_TRACKING: TopicTracking = { enable: true, allowReset: true };

export interface KubernetesSettings {
  /** KWDB_CONNECT_KUBECONFIG: a kubeconfig file; unset = the Pod's ServiceAccount (in-cluster). */
  kubeconfig: string | undefined;
  /** KWDB_CONNECT_NAMESPACE: where the resources and worker Deployments live. Default default. */
  namespace: string;
  /** KWDB_CONNECT_POD_NAME (the downward API's metadata.name): this replica's Lease identity. Default the host name. */
  identity: string | undefined;
  /** KWDB_CONNECT_WORKER_IMAGE (required): the image of the worker Pods. */
  workerImage: string;
  /** KWDB_CONNECT_WORKER_IMAGE_PULL_POLICY: Always, IfNotPresent or Never. Default IfNotPresent. */
  workerImagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  /** KWDB_CONNECT_WORKER_APP_DIR: the project in the image (dist/apps/... below it). Default /app. */
  workerAppDir: string;
  /** KWDB_CONNECT_WORKER_NODE: the node binary in the image. Default node. */
  workerNode: string;
  /** KWDB_CONNECT_WORKER_HOST_NETWORK: run worker Pods with hostNetwork. Default false. */
  workerHostNetwork: boolean;
  /** KWDB_CONNECT_WORKER_PORT: the workers' /metrics port; 0 = any free port, no probes. Default 8084. */
  workerPort: number;
  /**
   * KWDB_CONNECT_WORKER_METRICS_PORT_NAME: the name of that container port (what a PodMonitor
   * selects; chart value monitoring.metricsPortName). Default metrics.
   */
  workerMetricsPortName: string;
  /**
   * KWDB_CONNECT_WORKER_SCRAPE_ANNOTATIONS: prometheus.io/scrape, /port, /path on worker Pods (when
   * the port is fixed). Default true.
   */
  workerScrapeAnnotations: boolean;
  /** KWDB_CONNECT_WORKER_SERVICE_ACCOUNT: ServiceAccount of the worker Pods. Default: the namespace's default. */
  workerServiceAccount: string | undefined;
  /** KWDB_CONNECT_LEASE_NAME: the operator's leader Lease. Default kwdb-connect-operator. */
  leaseName: string;
  /** KWDB_CONNECT_LEASE_DURATION_SECONDS: default 15. */
  leaseDurationSeconds: number;
  /** KWDB_CONNECT_RESYNC_SECONDS: full re-list period of the operator. Default 60. */
  resyncSeconds: number;
}

export type ApiConfigResult = { ok: true; config: ApiConfig } | { ok: false; errors: string[] };

const BROKER = /^[A-Za-z0-9_.\-[\]:]+:(\d{1,5})$/;
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;

/** The variables parseApiConfig reads (for docs and the startup log). */
export const API_ENV_VARS = [
  'KWDB_CONNECT_REST_HOST',
  'KWDB_CONNECT_REST_PORT',
  'KWDB_CONNECT_REST_ADVERTISED_HOST',
  'KAFKA_BOOTSTRAP_SERVERS',
  'KWDB_CONNECT_DATA_DIR',
  'KWDB_CONNECT_STATUS_TOPIC',
  'KWDB_CONNECT_OFFSETS_TOPIC',
  'KWDB_CONNECT_RUNTIME',
  'KWDB_CONNECT_SINK_WORKER',
  'KWDB_CONNECT_SOURCE_WORKER',
  'KWDB_CONNECT_WORKER_HTTP_HOST',
  'KWDB_CONNECT_WORKER_BASE_PORT',
  'KWDB_CONNECT_LOG_LEVEL',
  'KWDB_CONNECT_KUBECONFIG',
  'KWDB_CONNECT_NAMESPACE',
  'KWDB_CONNECT_POD_NAME',
  'KWDB_CONNECT_WORKER_IMAGE',
  'KWDB_CONNECT_WORKER_IMAGE_PULL_POLICY',
  'KWDB_CONNECT_WORKER_APP_DIR',
  'KWDB_CONNECT_WORKER_NODE',
  'KWDB_CONNECT_WORKER_HOST_NETWORK',
  'KWDB_CONNECT_WORKER_PORT',
  'KWDB_CONNECT_WORKER_METRICS_PORT_NAME',
  'KWDB_CONNECT_WORKER_SERVICE_ACCOUNT',
  'KWDB_CONNECT_WORKER_SCRAPE_ANNOTATIONS',
  'KWDB_CONNECT_MAX_TASKS_PER_CONNECTOR',
  'KWDB_CONNECT_LEASE_NAME',
  'KWDB_CONNECT_LEASE_DURATION_SECONDS',
  'KWDB_CONNECT_RESYNC_SECONDS',
  'KWDB_CONNECT_MAX_TASKS',
  'KWDB_CONNECT_TOPIC_TRACKING_ENABLE',
  'KWDB_CONNECT_TOPIC_TRACKING_ALLOW_RESET',
] as const;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A container port name (Kubernetes IANA_SVC_NAME): 1-15 of a-z 0-9 -, a letter, no -- and no - at an end. */
const PORT_NAME = /^(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/;

export function parseApiConfig(
  env: Readonly<Record<string, string | undefined>>,
  cwd = process.cwd(),
): ApiConfigResult {
  const errors: string[] = [];
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const port = (name: string, fallback: number): number => {
    const text = get(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!/^\d+$/.test(text) || n > 65535) {
      errors.push(`${name}: must be a port number between 0 and 65535, got ${JSON.stringify(text)}`);
      return fallback;
    }
    return n;
  };
  const positive = (name: string, fallback: number): number => {
    const text = get(name);
    if (text === undefined) return fallback;
    if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 100_000) {
      errors.push(`${name}: must be a whole number between 1 and 100000, got ${JSON.stringify(text)}`);
      return fallback;
    }
    return Number(text);
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const text = get(name)?.toLowerCase();
    if (text === undefined) return fallback;
    if (text !== 'true' && text !== 'false') {
      errors.push(`${name}: must be true or false, got ${JSON.stringify(text)}`);
      return fallback;
    }
    return text === 'true';
  };
  const topic = (name: string, fallback: string): string => {
    const value = get(name) ?? fallback;
    if (!TOPIC.test(value)) errors.push(`${name}: must be a Kafka topic name, got ${JSON.stringify(value)}`);
    return value;
  };

  const brokers = (get('KAFKA_BOOTSTRAP_SERVERS') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (brokers.length === 0)
    errors.push('KAFKA_BOOTSTRAP_SERVERS: is required (comma-separated host:port list)');
  for (const broker of brokers) {
    const m = BROKER.exec(broker);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > 65535) {
      errors.push(`KAFKA_BOOTSTRAP_SERVERS: each entry must be host:port, got ${JSON.stringify(broker)}`);
    }
  }

  const runtimeText = get('KWDB_CONNECT_RUNTIME') ?? 'local';
  if (runtimeText !== 'local' && runtimeText !== 'none' && runtimeText !== 'kubernetes') {
    errors.push(
      `KWDB_CONNECT_RUNTIME: must be local, kubernetes or none, got ${JSON.stringify(runtimeText)}`,
    );
  }
  const count = (name: string, fallback: number, min: number): number => {
    const text = get(name);
    if (text === undefined) return fallback;
    if (!/^\d{1,9}$/.test(text) || Number(text) < min) {
      errors.push(`${name}: must be an integer >= ${min}, got ${JSON.stringify(text)}`);
      return fallback;
    }
    return Number(text);
  };
  let kubernetes: KubernetesSettings | undefined;
  if (runtimeText === 'kubernetes') {
    const namespace = get('KWDB_CONNECT_NAMESPACE') ?? 'default';
    if (!DNS_LABEL.test(namespace))
      errors.push(`KWDB_CONNECT_NAMESPACE: must be a namespace name, got ${JSON.stringify(namespace)}`);
    const image = get('KWDB_CONNECT_WORKER_IMAGE');
    if (image === undefined)
      errors.push('KWDB_CONNECT_WORKER_IMAGE: is required when KWDB_CONNECT_RUNTIME=kubernetes');
    const pull = get('KWDB_CONNECT_WORKER_IMAGE_PULL_POLICY') ?? 'IfNotPresent';
    if (pull !== 'Always' && pull !== 'IfNotPresent' && pull !== 'Never') {
      errors.push(
        `KWDB_CONNECT_WORKER_IMAGE_PULL_POLICY: must be Always, IfNotPresent or Never, got ${JSON.stringify(pull)}`,
      );
    }
    const hostNetwork = (get('KWDB_CONNECT_WORKER_HOST_NETWORK') ?? 'false').toLowerCase();
    if (hostNetwork !== 'true' && hostNetwork !== 'false') {
      errors.push(
        `KWDB_CONNECT_WORKER_HOST_NETWORK: must be true or false, got ${JSON.stringify(hostNetwork)}`,
      );
    }
    const scrape = (get('KWDB_CONNECT_WORKER_SCRAPE_ANNOTATIONS') ?? 'true').toLowerCase();
    if (scrape !== 'true' && scrape !== 'false') {
      errors.push(
        `KWDB_CONNECT_WORKER_SCRAPE_ANNOTATIONS: must be true or false, got ${JSON.stringify(scrape)}`,
      );
    }
    const metricsPortName = get('KWDB_CONNECT_WORKER_METRICS_PORT_NAME') ?? 'metrics';
    if (!PORT_NAME.test(metricsPortName)) {
      errors.push(
        'KWDB_CONNECT_WORKER_METRICS_PORT_NAME: must be a container port name (1-15 of a-z, 0-9 and -, ' +
          `with a letter, no -- and no - at either end), got ${JSON.stringify(metricsPortName)}`,
      );
    }
    const leaseName = get('KWDB_CONNECT_LEASE_NAME') ?? 'kwdb-connect-operator';
    if (!DNS_LABEL.test(leaseName))
      errors.push(`KWDB_CONNECT_LEASE_NAME: must be a DNS label, got ${JSON.stringify(leaseName)}`);
    kubernetes = {
      kubeconfig:
        get('KWDB_CONNECT_KUBECONFIG') === undefined
          ? undefined
          : resolve(cwd, get('KWDB_CONNECT_KUBECONFIG')!),
      namespace,
      identity: get('KWDB_CONNECT_POD_NAME'),
      workerImage: image ?? '',
      workerImagePullPolicy: pull as KubernetesSettings['workerImagePullPolicy'],
      workerAppDir: get('KWDB_CONNECT_WORKER_APP_DIR') ?? '/app',
      workerNode: get('KWDB_CONNECT_WORKER_NODE') ?? 'node',
      workerHostNetwork: hostNetwork === 'true',
      workerPort: port('KWDB_CONNECT_WORKER_PORT', 8084),
      workerMetricsPortName: metricsPortName,
      workerServiceAccount: get('KWDB_CONNECT_WORKER_SERVICE_ACCOUNT'),
      workerScrapeAnnotations: scrape === 'true',
      leaseName,
      leaseDurationSeconds: count('KWDB_CONNECT_LEASE_DURATION_SECONDS', 15, 2),
      resyncSeconds: count('KWDB_CONNECT_RESYNC_SECONDS', 60, 1),
    };
  }
  const logLevel = get('KWDB_CONNECT_LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    errors.push(
      `KWDB_CONNECT_LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`,
    );
  }

  const config: ApiConfig = {
    host: get('KWDB_CONNECT_REST_HOST') ?? '0.0.0.0',
    port: port('KWDB_CONNECT_REST_PORT', 8083),
    advertisedHost: get('KWDB_CONNECT_REST_ADVERTISED_HOST'),
    kafkaBrokers: brokers,
    dataDir: resolve(cwd, get('KWDB_CONNECT_DATA_DIR') ?? '.kwdb-connect'),
    statusTopic: topic('KWDB_CONNECT_STATUS_TOPIC', 'kwdb-connect-status'),
    offsetsTopic: topic('KWDB_CONNECT_OFFSETS_TOPIC', 'kwdb-connect-offsets'),
    runtime: runtimeText === 'none' ? 'none' : runtimeText === 'kubernetes' ? 'kubernetes' : 'local',
    ...(kubernetes ? { kubernetes } : {}),
    sinkWorker: resolve(cwd, get('KWDB_CONNECT_SINK_WORKER') ?? 'dist/apps/sink-worker/main.js'),
    sourceWorker: resolve(cwd, get('KWDB_CONNECT_SOURCE_WORKER') ?? 'dist/apps/source-worker/main.js'),
    // Local workers listen on loopback; worker Pods on every address (probes come from the node).
    workerHttpHost:
      get('KWDB_CONNECT_WORKER_HTTP_HOST') ?? (runtimeText === 'kubernetes' ? '0.0.0.0' : '127.0.0.1'),
    workerBasePort: port('KWDB_CONNECT_WORKER_BASE_PORT', 0),
    logLevel: logLevel as ApiLogLevel,
    taskLimits: {
      perConnector: positive('KWDB_CONNECT_MAX_TASKS_PER_CONNECTOR', DEFAULT_TASK_LIMITS.perConnector),
      perRuntime: positive('KWDB_CONNECT_MAX_TASKS', DEFAULT_TASK_LIMITS.perRuntime),
    },
    topicTracking: {
      enable: flag('KWDB_CONNECT_TOPIC_TRACKING_ENABLE', true),
      allowReset: flag('KWDB_CONNECT_TOPIC_TRACKING_ALLOW_RESET', true),
    },
  };
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config };
}
