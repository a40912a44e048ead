// Desired state of a connector's objects, as pure functions of the resource and the operator's
// settings (controller-runtime's `deploymentFor...` builders): the worker ConfigMap, the worker
// Deployment and the Secret made by the REST API. The loop (reconciler.ts) compares and applies.
import { createHash } from 'node:crypto';
import {
  CONNECTOR_CLASSES,
  PASSWORD_KEY,
  parseConnectorConfig,
  resolveConnectorClass,
  type ConnectorKind,
} from '@kwdb-connect/connector-config';
import { workerNodeArgs } from '@kwdb-connect/runtime';
import {
  ANNOTATIONS,
  connectorLabels,
  connectorNameOf,
  LABELS,
  ownedNames,
  ownerReferenceTo,
  targetStateOf,
  type KwdbConnector,
  type ObjectMeta,
} from './resource';
import { controlFields, NO_CONTROLS, type WorkerFileControls } from './worker-controls';

/** How the operator runs workers (config-api's settings; the same for every connector). */
export interface WorkerPodSettings {
  image: string;
  imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  /** Where the project lives in the image: `<appDir>/dist/apps/<kind>-worker/main.js`. */
  appDir: string;
  /** The node binary in the image. */
  nodeBinary: string;
  kafkaBrokers: readonly string[];
  statusTopic: string;
  offsetsTopic: string;
  logLevel: string;
  /** Worker /metrics, /healthz, /readyz port; 0 = any free port (no declared port, no probes). */
  httpPort: number;
  /** The name of that container port (KWDB_CONNECT_WORKER_METRICS_PORT_NAME; a PodMonitor selects it). */
  metricsPortName: string;
  httpHost: string;
  hostNetwork: boolean;
  /** Extra environment for every worker container. */
  extraEnv: Readonly<Record<string, string>>;
  serviceAccountName?: string;
  terminationGracePeriodSeconds: number;
  /** prometheus.io/scrape, /port, /path on worker Pods (KWDB_CONNECT_WORKER_SCRAPE_ANNOTATIONS). */
  scrapeAnnotations: boolean;
}

export const CONFIG_FILE_KEY = 'config.json';
export const MOUNTS = {
  config: '/etc/kwdb-connect/config',
  password: '/etc/kwdb-connect/password',
  podInfo: '/etc/kwdb-connect/pod',
} as const;
export const PASSWORD_FILE = 'password';
export const TASK_ID_FILE = 'task-id';
export const METRICS_PATH = '/metrics';
/** The annotations plain Prometheus (kubernetes_sd, role pod) scrapes by; docs/metrics.md. */
export const SCRAPE_ANNOTATIONS = {
  scrape: 'prometheus.io/scrape',
  port: 'prometheus.io/port',
  path: 'prometheus.io/path',
} as const;
/** The group of the image's user (docker/Dockerfile: USER 1000:1000). */
export const WORKER_GID = 1000;

/** What a resource means once checked: everything the builders need, or the problems. */
export type Interpreted =
  | {
      ok: true;
      kind: ConnectorKind;
      connectorName: string;
      /** The flat config as Kafka Connect shows it (values as strings), without the password. */
      config: Record<string, string>;
      targetState: 'RUNNING' | 'PAUSED' | 'STOPPED';
      tasksMax: number;
      password?: { secretName: string; key: string };
    }
  | { ok: false; problems: string[] };

function asText(value: string | number | boolean): string {
  return typeof value === 'string' ? value : String(value);
}

/** Reads spec into the flat connector config and checks it with the one config schema. */
export function interpret(resource: KwdbConnector): Interpreted {
  const spec = resource.spec;
  const kind = resolveConnectorClass(spec.class ?? '');
  if (kind === undefined)
    return { ok: false, problems: [`spec.class: unknown connector class ${JSON.stringify(spec.class)}`] };
  const connectorName = connectorNameOf(resource);
  const tasksMax = spec.tasksMax ?? 1;
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(spec.config ?? {})) {
    if (value === null || value === undefined) continue;
    config[key] = asText(value);
  }
  if (config[PASSWORD_KEY] !== undefined) {
    return {
      ok: false,
      problems: [`spec.config.${PASSWORD_KEY}: must not be set; use spec.passwordSecretRef`],
    };
  }
  config['connector.class'] = CONNECTOR_CLASSES[kind];
  config['tasks.max'] = String(tasksMax);
  config['name'] = connectorName;
  // The schema checks the password like any key; a placeholder stands for the Secret's value.
  const checked = parseConnectorConfig(
    spec.passwordSecretRef ? { ...config, [PASSWORD_KEY]: 'from-secret' } : config,
  );
  if (!checked.ok) return { ok: false, problems: checked.errors.map((p) => p.message) };
  const ref = spec.passwordSecretRef;
  return {
    ok: true,
    kind,
    connectorName,
    config: Object.fromEntries(Object.entries(config).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    targetState: targetStateOf(spec),
    tasksMax,
    ...(ref ? { password: { secretName: ref.name, key: ref.key ?? PASSWORD_KEY } } : {}),
  };
}

/**
 * The worker config file of docs/worker-contract.md (a STOPPED connector has no Pods; it keeps
 * PAUSED), with the run-time controls (cluster log levels, topics reset; not in the config hash).
 */
export function workerConfigFile(
  c: Extract<Interpreted, { ok: true }>,
  controls: WorkerFileControls = NO_CONTROLS,
): string {
  const file = {
    name: c.connectorName,
    config: c.config,
    targetState: c.targetState === 'RUNNING' ? 'RUNNING' : 'PAUSED',
    ...controlFields(controls),
  };
  return JSON.stringify(file, null, 2) + '\n';
}

function meta(resource: KwdbConnector, name: string, component: string): ObjectMeta {
  return {
    name,
    namespace: resource.metadata.namespace,
    labels: connectorLabels(resource.metadata.name, component),
    ownerReferences: [ownerReferenceTo(resource)],
  };
}

export interface ConfigMapObject {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: ObjectMeta;
  data: Record<string, string>;
}

export function desiredConfigMap(
  resource: KwdbConnector,
  c: Extract<Interpreted, { ok: true }>,
  controls: WorkerFileControls = NO_CONTROLS,
): ConfigMapObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(resource, ownedNames(resource.metadata.name).configMap, 'config'),
    data: { [CONFIG_FILE_KEY]: workerConfigFile(c, controls) },
  };
}

/**
 * What rolls the Deployment: the config (not the target state: pause and resume go through the
 * mounted file), the class, and the identity and version of the password Secret (never its value).
 */
export function configHash(c: Extract<Interpreted, { ok: true }>, secretVersion: string | undefined): string {
  return createHash('sha256')
    .update(
      JSON.stringify({
        kind: c.kind,
        config: c.config,
        secret: c.password ?? null,
        secretVersion: secretVersion ?? null,
      }),
    )
    .digest('hex')
    .slice(0, 16);
}

export interface DeploymentInput {
  resource: KwdbConnector;
  connector: Extract<Interpreted, { ok: true }>;
  settings: WorkerPodSettings;
  replicas: number;
  /** resourceVersion of the password Secret, when there is one. */
  secretVersion?: string;
  /** Set when every task is to be restarted (the restart annotation): rolls the Pods. */
  restartedAt?: string;
}

export function workerSelector(resourceName: string): Record<string, string> {
  return { [LABELS.connector]: resourceName, [LABELS.component]: 'worker' };
}

// Kubernetes object shapes kept loose on purpose: plain JSON as the API takes it.
export type Json = Record<string, unknown>;

/**
 * The worker Pod's scrape annotations: none when switched off or when the port is unknown (port 0,
 * a free port per process), else scrape, the metrics port and path.
 */
export function scrapeAnnotations(settings: WorkerPodSettings): Record<string, string> {
  if (!settings.scrapeAnnotations || settings.httpPort <= 0) return {};
  return {
    [SCRAPE_ANNOTATIONS.scrape]: 'true',
    [SCRAPE_ANNOTATIONS.port]: String(settings.httpPort),
    [SCRAPE_ANNOTATIONS.path]: METRICS_PATH,
  };
}

export function desiredDeployment(input: DeploymentInput): Json {
  const { resource, connector: c, settings } = input;
  const name = resource.metadata.name;
  const names = ownedNames(name);
  const template = resource.spec.template ?? {};
  const env: Json[] = [
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'KAFKA_BOOTSTRAP_SERVERS', value: settings.kafkaBrokers.join(',') },
    { name: 'KWDB_CONNECT_CONFIG_FILE', value: `${MOUNTS.config}/${CONFIG_FILE_KEY}` },
    { name: 'KWDB_CONNECT_TASK_ID_FILE', value: `${MOUNTS.podInfo}/${TASK_ID_FILE}` },
    { name: 'KWDB_CONNECT_WORKER_ID', value: '$(POD_NAME)' },
    { name: 'KWDB_CONNECT_HTTP_HOST', value: settings.httpHost },
    { name: 'KWDB_CONNECT_HTTP_PORT', value: String(settings.httpPort) },
    { name: 'KWDB_CONNECT_STATUS_TOPIC', value: settings.statusTopic },
    { name: 'KWDB_CONNECT_OFFSETS_TOPIC', value: settings.offsetsTopic },
    { name: 'KWDB_CONNECT_LOG_LEVEL', value: settings.logLevel },
    { name: 'KAFKAJS_NO_PARTITIONER_WARNING', value: '1' },
    // A FAILED task stays down (idle) until the operator restarts it; the kubelet would not wait.
    { name: 'KWDB_CONNECT_ON_FAILURE', value: 'wait' },
    ...(c.password
      ? [{ name: 'KWDB_CONNECT_PASSWORD_FILE', value: `${MOUNTS.password}/${PASSWORD_FILE}` }]
      : []),
    ...Object.entries(settings.extraEnv)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => ({ name: k, value: v })),
  ];
  const volumeMounts: Json[] = [
    { name: 'config', mountPath: MOUNTS.config, readOnly: true },
    { name: 'pod-info', mountPath: MOUNTS.podInfo, readOnly: true },
    ...(c.password ? [{ name: 'password', mountPath: MOUNTS.password, readOnly: true }] : []),
  ];
  const volumes: Json[] = [
    { name: 'config', configMap: { name: names.configMap } },
    {
      name: 'pod-info',
      downwardAPI: {
        items: [
          { path: TASK_ID_FILE, fieldRef: { fieldPath: `metadata.annotations['${ANNOTATIONS.taskId}']` } },
        ],
      },
    },
    ...(c.password
      ? [
          {
            name: 'password',
            secret: {
              secretName: c.password.secretName,
              items: [{ key: c.password.key, path: PASSWORD_FILE }],
              defaultMode: 0o440,
            },
          },
        ]
      : []),
  ];
  const withPort = settings.httpPort > 0;
  const container: Json = {
    name: 'worker',
    image: settings.image,
    imagePullPolicy: settings.imagePullPolicy,
    command: [
      settings.nodeBinary,
      ...workerNodeArgs(c.kind),
      `${settings.appDir}/dist/apps/${c.kind}-worker/main.js`,
    ],
    env,
    volumeMounts,
    ...(withPort
      ? {
          ports: [{ name: settings.metricsPortName, containerPort: settings.httpPort, protocol: 'TCP' }],
          readinessProbe: {
            httpGet: {
              path: '/readyz',
              port: settings.metricsPortName,
              ...(settings.hostNetwork ? { host: settings.httpHost } : {}),
            },
            periodSeconds: 5,
            failureThreshold: 3,
          },
        }
      : {}),
    ...(template.resources ? { resources: template.resources } : {}),
  };
  const podAnnotations: Record<string, string> = {
    ...scrapeAnnotations(settings), // the user's own pod annotations win
    ...(template.annotations ?? {}),
    // The connector name for scrape relabelling (the resource name may differ from it).
    [ANNOTATIONS.connectorName]: c.connectorName,
    [ANNOTATIONS.configHash]: configHash(c, input.secretVersion),
    ...(input.restartedAt ? { [ANNOTATIONS.restartedAt]: input.restartedAt } : {}),
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(resource, names.deployment, 'worker'),
    spec: {
      replicas: input.replicas,
      selector: { matchLabels: workerSelector(name) },
      // One task id per Pod: a new Pod waits for the id of the one it replaces, so never surge.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
      template: {
        metadata: {
          labels: { ...(template.labels ?? {}), ...connectorLabels(name, 'worker') },
          annotations: podAnnotations,
        },
        spec: {
          ...(settings.hostNetwork ? { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' } : {}),
          automountServiceAccountToken: false,
          // The image runs as uid/gid 1000 (docker/Dockerfile); the password file is 0440, so its
          // volume's group must be the process's group or the worker cannot read it (EACCES).
          securityContext: { runAsNonRoot: true, fsGroup: WORKER_GID },
          ...(settings.serviceAccountName ? { serviceAccountName: settings.serviceAccountName } : {}),
          terminationGracePeriodSeconds: settings.terminationGracePeriodSeconds,
          ...(template.nodeSelector ? { nodeSelector: template.nodeSelector } : {}),
          ...(template.tolerations ? { tolerations: template.tolerations } : {}),
          containers: [container],
          volumes,
        },
      },
    },
  };
}

/** The Secret the REST API creates for a connector's password (owned by the resource). */
export function desiredPasswordSecret(resource: KwdbConnector, password: string): Json {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(resource, ownedNames(resource.metadata.name).secret, 'password'),
    type: 'Opaque',
    stringData: { [PASSWORD_KEY]: password },
  };
}
